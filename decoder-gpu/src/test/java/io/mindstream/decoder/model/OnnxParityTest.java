package io.mindstream.decoder.model;

import io.mindstream.decoder.dataset.EpochArrayFile;
import io.mindstream.decoder.engine.EngineOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DJL (OnnxRuntime, CPU) reproduces PyTorch: each committed demo model, run on its committed test inputs, gives the
 * embeddings torch computed when it exported the model (train_brain_module.py and train_window_model.py write both
 * files): the epoch brain module on three test epochs (272 × 181), the sliding-window model on three test windows
 * (272 × 30) before, during and after the response, loaded as any model file is ({@link Models#load}).
 * Tolerance: |djl − torch| ≤ 1e-4 + 1e-4·|torch| per value (float32 kernels differ in summation order).
 */
class OnnxParityTest {

    static final Path MODEL = Path.of("src/main/resources/models/brain-module-demo.onnx");
    static final Path PARITY = Path.of("src/test/resources/brain-module-parity");
    static final Path WINDOW_MODEL = Path.of("src/main/resources/models/window-model-demo.onnx");
    static final Path WINDOW_PARITY = Path.of("src/test/resources/window-model-parity");

    @Test
    void djlReproducesTorchOutputs() throws Exception {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.load(MODEL, EngineOptions.cpu())) {
            assertParity(model, PARITY);
        }
    }

    /** The window model through the decoder's own loader: 272 × 30 in, 768 out, and torch's numbers. */
    @Test
    void windowModelLoadsAndReproducesTorchOutputs() throws Exception {
        try (EmbeddingModel model = Models.load(WINDOW_MODEL, EngineOptions.cpu())) {
            ModelSignature sig = model.signature();
            assertEquals(272, sig.channels());
            assertEquals(30, sig.times());
            assertEquals(768, sig.outDim());
            assertTrue(sig.preprocessingId().startsWith("meg:") && sig.preprocessingId().contains(":cal-"),
                    sig.preprocessingId());
            assertParity(model, WINDOW_PARITY);
        }
        // the epoch model's order of size (0.8 MB), not a paper-sized one
        assertTrue(java.nio.file.Files.size(WINDOW_MODEL) < 4_000_000, "window model size");
    }

    static void assertParity(EmbeddingModel model, Path parity) throws Exception {
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        try (EpochArrayFile in = EpochArrayFile.open(parity.resolve("inputs.npy"));
             EpochArrayFile out = EpochArrayFile.open(parity.resolve("outputs.npy"))) {
            for (int i = 0; i < in.rows(); i++) {
                inputs.add(in.row(i, null));
                expected.add(out.row(i, null));
            }
        }
        assertEquals(3, inputs.size(), "three committed inputs");
        ModelSignature sig = model.signature();
        assertEquals(inputs.get(0).length, sig.inputSize());
        assertEquals(expected.get(0).length, sig.outDim());
        // whole batch at once and one by one must both match (dynamic batch axis)
        float[][] batch = model.embed(inputs);
        for (int i = 0; i < inputs.size(); i++) {
            float[] single = model.embed(List.of(inputs.get(i)))[0];
            assertClose(expected.get(i), batch[i], "batched row " + i);
            assertClose(expected.get(i), single, "single row " + i);
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-4 + 1e-4 * Math.abs(expected[i]);
            double err = Math.abs(expected[i] - actual[i]);
            worst = Math.max(worst, err);
            assertTrue(err <= tol, what + " value " + i + ": torch " + expected[i] + " djl " + actual[i]);
        }
        assertTrue(worst < 1e-3, what + " worst error " + worst);
    }
}
