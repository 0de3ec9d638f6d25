package io.mindstream.processor.fmri;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.offline.OfflineEpocher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NIfTI-1 masks (fixtures written by nibabel), volume reassembly, detrend, z-score, stimulus and TR windows. */
class FmriTest {

    @TempDir
    Path tmp;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(FmriTest.class.getResource("/fmri/" + name).toURI());
    }

    static int[] expectedIndices() throws Exception {
        return Arrays.stream(Files.readString(resource("mask_indices.txt")).trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void niftiMasksWrittenByNibabelGiveTheSameVoxels() throws Exception {
        int[] want = expectedIndices();
        assertArrayEquals(want, Nifti1Mask.read(resource("mask_u8.nii.gz")).indices(), "uint8, gzipped, n+1");
        assertArrayEquals(want, Nifti1Mask.read(resource("mask_f32_be.nii")).indices(), "float32 big-endian");
        assertArrayEquals(want, Nifti1Mask.read(resource("mask_i16.hdr")).indices(), "int16 .hdr/.img pair");
        assertArrayEquals(want, VoxelMask.load(resource("mask_u8.nii.gz")).indices(), "by extension");
    }

    @Test
    void badNiftiAndIndexFilesAreRejectedWithTheirName() throws IOException {
        Path junk = tmp.resolve("junk.nii");
        Files.write(junk, new byte[400]);
        var e = assertThrows(IllegalArgumentException.class, () -> Nifti1Mask.read(junk));
        assertTrue(e.getMessage().contains("junk.nii"), e.getMessage());
        Path txt = tmp.resolve("mask.txt");
        Files.writeString(txt, "# voxels\n3, 1 2\nx\n");
        e = assertThrows(IllegalArgumentException.class, () -> VoxelMask.load(txt));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        Files.writeString(txt, "# voxels\n3, 1 2\n");
        assertArrayEquals(new int[]{1, 2, 3}, VoxelMask.load(txt).indices());
    }

    /**
     * A NIfTI mask carries the grid it was drawn on; on a stream of another size it would pick the right number of
     * wrong voxels (every index still in range), so the stream is refused with one error naming mask, grid and stream.
     */
    @Test
    void aNiftiMaskDrawnOnAnotherGridIsRefused() throws Exception {
        VoxelMask m = Nifti1Mask.read(resource("mask_u8.nii.gz"));
        assertTrue(m.gridVoxels() > m.maxIndex(), m.toString());
        assertTrue(m.grid().describe().matches("\\d+×\\d+×\\d+ @ .* mm"), m.grid().describe());
        FmriSettings f = new FmriSettings(4, 8, 2, true, false, 3, Optional.of(m), 32, 10);
        int other = m.gridVoxels() + 1; // every mask index is still inside this stream's volume
        OfflineEpocher wrong = new OfflineEpocher(ProcessorConfig.defaults().withFmri(f), () -> 1L);
        var e = assertThrows(IllegalArgumentException.class,
                () -> wrong.accept(volumes(1, other, (v, i) -> 1f).get(0)));
        assertTrue(e.getMessage().contains("mask_u8.nii.gz") && e.getMessage().contains(m.grid().describe())
                && e.getMessage().contains(other + " voxels"), e.getMessage());
        OfflineEpocher right = new OfflineEpocher(ProcessorConfig.defaults().withFmri(f), () -> 1L);
        for (SampleChunk v : volumes(3, m.gridVoxels(), (v, i) -> (float) (i + v))) {
            right.accept(v);
        }
    }

    static List<SampleChunk> volumes(int n, int voxels, java.util.function.BiFunction<Integer, Integer, Float> f) {
        List<SampleChunk> out = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            float[] vals = new float[voxels];
            for (int i = 0; i < voxels; i++) {
                vals[i] = f.apply(v, i);
            }
            out.add(SampleChunk.ofFloats("s", "bold", StreamKind.FMRI, voxels, 0.5, v, new double[]{100 + 2.0 * v},
                    vals, TraceStamps.empty()));
        }
        return out;
    }

    @Test
    void stimulusAverageTakesTheVolumesFourToEightSecondsAfterOnsetAndMasks() {
        // no detrend: a stimulus epoch is the z-scored mean of the volumes at onset+4 … onset+8
        FmriSettings f = new FmriSettings(4, 8, 2, true, false, 3, Optional.of(new VoxelMask(new int[]{1, 3}, "t")),
                32, 10);
        ProcessorConfig cfg = ProcessorConfig.defaults().withFmri(f);
        OfflineEpocher ep = new OfflineEpocher(cfg, () -> 1L);
        List<Epoch> out = new ArrayList<>();
        List<SampleChunk> vols = volumes(12, 5, (v, i) -> (float) (10 * i + (v % 3)));
        for (int v = 0; v < 12; v++) {
            out.addAll(ep.accept(vols.get(v)));
            if (v == 4) {
                out.addAll(ep.accept(Recording.onset("s", 3, 104.5, "img")));
            }
        }
        List<Epoch> stim = out.stream().filter(e -> e.trigger().kind() == TriggerKind.FMRI_STIMULUS).toList();
        assertEquals(1, stim.size());
        Epoch e = stim.get(0);
        // onset 104.5: volumes at 108.5 … 112.5 → t = 110 and 112 (volumes 5 and 6)
        assertEquals(110.0, e.tStart());
        assertEquals(112.0, e.tEnd());
        assertEquals(2, e.channels());
        assertEquals(1, e.times());
        assertEquals("s/bold/fmri-stimulus/3", e.epochId());
        // z-score statistics from volumes 0…2 (values 10i + 0, 1, 2: mean 10i+1, sd 1); volumes 5, 6 hold +2, +0
        assertEquals(0f, e.value(0, 0), 1e-6f);
        assertEquals(0f, e.value(1, 0), 1e-6f);
        assertEquals(0, e.qualityFlags());
        List<Epoch> tr = out.stream().filter(x -> x.trigger().kind() == TriggerKind.FMRI_TR).toList();
        assertEquals(11, tr.size()); // from the second volume on, one per TR
        assertEquals(2, tr.get(0).times());
        assertEquals(0.5, tr.get(0).sampleRate());
        assertEquals(QualityFlags.UNCALIBRATED, tr.get(0).qualityFlags() & QualityFlags.UNCALIBRATED);
        assertEquals(0, tr.get(5).qualityFlags() & QualityFlags.UNCALIBRATED);
    }

    @Test
    void runningDetrendRemovesALinearDriftAndMissingVolumesFlagGap() {
        FmriSettings f = new FmriSettings(4, 8, 3, true, true, 3, Optional.empty(), 32, 10);
        // identity z-score (a frozen calibration), so the output is the detrended signal itself
        var identity = io.mindstream.processor.calibration.Calibration.of(StreamKind.FMRI, "zscore", new float[4],
                new float[]{1, 1, 1, 1}, "identity (test)");
        OfflineEpocher ep = new OfflineEpocher(ProcessorConfig.defaults().withFmri(f).withCalibration(identity),
                () -> 1L);
        List<SampleChunk> vols = new ArrayList<>(volumes(10, 4, (v, i) -> (float) (100 + i + 0.7 * v)));
        vols.remove(6); // volume 6 lost at the source: the next one says so
        vols.set(6, io.mindstream.processor.Recording.afterLoss(vols.get(6), 1));
        List<Epoch> out = new ArrayList<>();
        vols.forEach(c -> out.addAll(ep.accept(c)));
        for (Epoch e : out) {
            for (float x : e.data()) {
                assertEquals(0f, x, 1e-3f); // a pure line is detrended to zero
            }
        }
        Epoch spanning = out.stream().filter(e -> e.trigger().eventSequence() == 7).findFirst().orElseThrow();
        assertEquals(QualityFlags.GAP, spanning.qualityFlags() & QualityFlags.GAP);
    }
}
