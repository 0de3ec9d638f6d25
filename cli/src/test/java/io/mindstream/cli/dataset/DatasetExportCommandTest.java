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

    /** The export feeds the ridge: calibrate on it, evaluate the model on it; a source missing is a usage error. */
    @Test
    void calibrateAndEvaluateOnAnExport(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("ds");
        assertEquals(0, Mindstream.newCommandLine().execute("dataset", "export", "--out", ds.toString(), "--trials",
                "36", "--seed", "3", "--test-images", "4", "--test-repeats", "3", "--no-thumbnails"));
        Path model = dir.resolve("m.ridge");
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.out;
        System.setOut(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        int calibrated;
        int evaluated;
        try {
            calibrated = Mindstream.newCommandLine().execute("calibrate", "--dataset", ds.toString(), "--split", "any",
                    "--time-bin", "10", "--out", model.toString());
            evaluated = Mindstream.newCommandLine().execute("evaluate", "--model", model.toString(), "--dataset",
                    ds.toString(), "--split", "test");
        } finally {
            System.setOut(was);
        }
        String out = text.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, calibrated, out);
        assertTrue(out.contains("calibration block: 16 labelled epochs (skipped: 0 other split/unlabelled, 0 images "
                + "not in the bank, 0 before the preprocessing froze)"), out);
        assertTrue(java.nio.file.Files.size(model) > 0);
        assertEquals(0, evaluated, out);
        assertTrue(out.contains("single trial:"), out);
        assertEquals(2, Mindstream.newCommandLine().execute("calibrate", "--out", model.toString()),
                "neither --dataset nor --session");
        assertEquals(2, Mindstream.newCommandLine().execute("evaluate", "--model", model.toString(), "--session", "s"),
                "--session without --bank");
    }
}
