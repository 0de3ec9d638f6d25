package io.mindstream.cli.dataset;

import io.mindstream.cli.Mindstream;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.decoder.dataset.DatasetTrial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small export through the real simulator and offline epocher, read back as the training script reads it. */
class DatasetExportCommandTest {

    @Test
    void exportsEpochsLabelsAndBank(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ds");
        int code = Mindstream.newCommandLine().execute("dataset", "export", "--out", out.toString(), "--trials", "36",
                "--seed", "3", "--test-images", "4", "--test-repeats", "3", "--no-thumbnails");
        assertEquals(0, code);
        try (DatasetFormat.Dataset ds = DatasetFormat.open(out)) {
            assertEquals(272, ds.channels());
            assertEquals(181, ds.times());
            assertEquals(120.0, ds.sampleRate(), 1e-9);
            // 36 image trials; the processor's 20-epoch calibration block is left out
            assertEquals(36 - 20, ds.trials().size());
            assertTrue(ds.preprocessingId().contains(":cal-"), ds.preprocessingId());
            Set<String> epochIds = new HashSet<>();
            int test = 0;
            for (int i = 0; i < ds.trials().size(); i++) {
                DatasetTrial t = ds.trials().get(i);
                assertTrue(ds.bank().indexOf(t.imageId()) >= 0, t.imageId() + " not in the bank");
                assertTrue(epochIds.add(t.epochId()));
                test += t.split().equals("test") ? 1 : 0;
                assertEquals(t.split().equals("test"), ds.bank().testIds().contains(t.imageId()));
                float[] x = ds.epoch(i, null);
                for (float v : x) {
                    assertTrue(Float.isFinite(v) && Math.abs(v) <= 20f, "values are robust-scaled and clamped");
                }
            }
            assertTrue(test > 0, "some test epochs");
            assertEquals(4, ds.bank().testIds().size());
        }
    }
}
