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
 * DJL (OnnxRuntime, CPU) reproduces PyTorch: the committed demo model, run on the committed test epochs, gives the
 * embeddings torch computed when it exported the model (train_brain_module.py writes both files).
 * Tolerance: |djl − torch| ≤ 1e-4 + 1e-4·|torch| per value (float32 kernels differ in summation order).
 */
class OnnxParityTest {

    static final Path MODEL = Path.of("src/main/resources/models/brain-module-demo.onnx");
    static final Path PARITY = Path.of("src/test/resources/brain-module-parity");

    @Test
    void djlReproducesTorchOutputs() throws Exception {
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        try (EpochArrayFile in = EpochArrayFile.open(PARITY.resolve("inputs.npy"));
             EpochArrayFile out = EpochArrayFile.open(PARITY.resolve("outputs.npy"))) {
            for (int i = 0; i < in.rows(); i++) {
                inputs.add(in.row(i, null));
                expected.add(out.row(i, null));
            }
        }
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.load(MODEL, EngineOptions.cpu())) {
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
