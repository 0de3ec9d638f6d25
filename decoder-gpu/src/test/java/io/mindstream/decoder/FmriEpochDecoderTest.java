package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.retrieval.CosineIndex;
import io.mindstream.decoder.ridge.RidgeCalibrator;
import io.mindstream.decoder.ridge.RidgeModel;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fMRI epochs through the decoder: a model fitted on stimulus epochs (voxels × 1) decodes them, and decodes a per-TR
 * window (voxels × N) as the mean of its N volumes; a MEG epoch of the same shape gets no such treatment.
 */
class FmriEpochDecoderTest {

    static final int VOXELS = 40, DIM = 8, IMAGES = 12;

    @Test
    void stimulusEpochsAndTrWindowsOfAVoxelModelAreDecoded() throws Exception {
        Random r = new Random(3);
        float[] bank = new float[IMAGES * DIM];
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            ids.add("img" + i);
        }
        for (int i = 0; i < bank.length; i++) {
            bank[i] = (float) r.nextGaussian();
        }
        CosineIndex index = new CosineIndex(ids, bank, DIM);
        float[] mix = new float[DIM * VOXELS];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (float) r.nextGaussian();
        }
        RidgeCalibrator cal = new RidgeCalibrator(VOXELS, 1, 1, DIM, true);
        for (int k = 0; k < 60; k++) {
            cal.add(volume(bank, k % IMAGES, mix, r), java.util.Arrays.copyOfRange(bank, (k % IMAGES) * DIM,
                    (k % IMAGES + 1) * DIM), "fmri:p");
        }
        RidgeModel model = cal.fit(new double[]{1e-3, 1e-2, 1e-1}, "test", s -> { });
        try (EpochDecoder d = new EpochDecoder(model, index, null, 3, null, 4, 1000)) {
            // a stimulus epoch: voxels × 1
            Epoch stimulus = fmri(TriggerKind.FMRI_STIMULUS, 1, volume(bank, 4, mix, r), "img4");
            DecodeResult s = d.decode(stimulus).get(10, TimeUnit.SECONDS);
            assertEquals("img4", s.topK().get(0).imageId());

            // a TR window of three volumes (channel-major: voxel v's three values side by side) = their mean
            float[][] vols = {volume(bank, 7, mix, r), volume(bank, 7, mix, r), volume(bank, 7, mix, r)};
            float[] window = new float[VOXELS * 3];
            float[] mean = new float[VOXELS];
            for (int v = 0; v < VOXELS; v++) {
                for (int k = 0; k < 3; k++) {
                    window[v * 3 + k] = vols[k][v];
                    mean[v] += vols[k][v] / 3;
                }
            }
            DecodeResult w = d.decode(fmri(TriggerKind.FMRI_TR, 3, window, null)).get(10, TimeUnit.SECONDS);
            assertEquals("img7", w.topK().get(0).imageId());
            assertArrayEquals(model.embed(java.util.List.of(mean))[0], w.embedding(), 1e-5f);
            assertEquals(TriggerKind.FMRI_TR, w.trigger().kind());

            // the same shape from a MEG stream is not averaged: it is the wrong shape
            Epoch meg = new Epoch("s", "s/meg/1", "meg", StreamKind.MEG, new Trigger(TriggerKind.WINDOW, 1, 1, null,
                    null, null), 0, 1, 120, VOXELS, 3, window, "p", 0, TraceStamps.empty());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> d.decode(meg).get(10, TimeUnit.SECONDS));
            assertInstanceOf(EpochRejectedException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains(VOXELS + " × 3"), e.getCause().getMessage());
        }
    }

    private static float[] volume(float[] bank, int image, float[] mix, Random r) {
        float[] emb = java.util.Arrays.copyOfRange(bank, image * DIM, (image + 1) * DIM);
        float[] x = new float[VOXELS];
        for (int v = 0; v < VOXELS; v++) {
            float s = 0;
            for (int d = 0; d < DIM; d++) {
                s += emb[d] * mix[d * VOXELS + v];
            }
            x[v] = s + 0.05f * (float) r.nextGaussian();
        }
        return x;
    }

    private static Epoch fmri(TriggerKind kind, int times, float[] data, String image) {
        Trigger t = new Trigger(kind, 10, 1, image == null ? null : "onset image=" + image, null, image);
        return new Epoch("s", "s/s-fmri/" + kind + "/1", "s-fmri", StreamKind.FMRI, t, 4, 8, 1 / 1.5, VOXELS, times,
                data, "fmri:p", 0, TraceStamps.empty());
    }
}
