package io.mindstream.decoder;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.retrieval.CosineIndex;
import io.mindstream.decoder.ridge.RidgeCalibrator;
import io.mindstream.decoder.ridge.RidgeModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A linear "brain" for the decode-loop tests: an epoch is an image's embedding times a random mixing matrix (plus a
 * little noise), so a ridge model fitted on such epochs recovers the embedding and clean epochs decode to their image.
 * Draws everything from the caller's {@link Random}, in a fixed order, so a test is the same every run.
 */
final class LinearBrain {

    static final int CH = 4, T = 5, DIM = 6, IMAGES = 10;

    final List<String> ids = new ArrayList<>();
    final float[] bank = new float[IMAGES * DIM];
    final float[] mix = new float[DIM * CH * T];

    LinearBrain(Random r) {
        for (int i = 0; i < IMAGES; i++) {
            ids.add("img" + i);
        }
        for (int i = 0; i < bank.length; i++) {
            bank[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (float) r.nextGaussian();
        }
    }

    /** The ridge model fitted on 60 noisy epochs of this brain (preprocessing id {@code p1}). */
    RidgeModel fit(Random r) {
        RidgeCalibrator cal = new RidgeCalibrator(CH, T, 1, DIM, true);
        for (int k = 0; k < 60; k++) {
            int img = k % IMAGES;
            cal.add(data(img, r, 0.05f), Arrays.copyOfRange(bank, img * DIM, (img + 1) * DIM), "p1");
        }
        return cal.fit(new double[]{1e-3, 1e-2, 1e-1}, "test", s -> { });
    }

    CosineIndex index() {
        return new CosineIndex(ids, bank, DIM);
    }

    /** The epoch data ({@code CH × T}) this brain answers to image {@code img % IMAGES}. */
    float[] data(int img, Random r, float noise) {
        int i = img % IMAGES;
        float[] x = new float[CH * T];
        for (int j = 0; j < x.length; j++) {
            float s = 0;
            for (int d = 0; d < DIM; d++) {
                s += bank[i * DIM + d] * mix[d * CH * T + j];
            }
            x[j] = s + noise * (float) r.nextGaussian();
        }
        return x;
    }

    /** Trial {@code k} of {@code session} as the processor would cut it: epoch id {@code <session>/e<k>}, image k. */
    static Epoch epoch(String session, int k, int channels, float[] data) {
        Trigger t = new Trigger(TriggerKind.MARKER, k, k, "onset image=img" + (k % IMAGES) + " trial=" + k + " split=test",
                null, "img" + (k % IMAGES));
        return new Epoch(session, session + "/e" + k, session + "-meg", StreamKind.MEG, t, k - 0.5, k + 1.0, 120,
                channels, T, data, "p1", 0, TraceStamps.empty());
    }
}
