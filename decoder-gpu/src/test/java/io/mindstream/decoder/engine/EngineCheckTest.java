package io.mindstream.decoder.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the default (CPU onnxruntime) build a GPU request must fail loudly, or fall back only when asked. */
class EngineCheckTest {

    static EngineOptions gpu(Accelerator acc, boolean fallback) {
        return new EngineOptions(ComputeDevice.GPU, acc, 0, fallback, 0, 8, 1000);
    }

    @Test
    void cpuIsAlwaysAvailable() throws Exception {
        assertEquals(EngineOptions.cpu(), EngineCheck.resolve(EngineOptions.cpu()));
    }

    @Test
    void gpuWithoutTheGpuBuildSaysWhatIsMissingAndHowToGetIt() {
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        org.junit.jupiter.api.Assumptions.assumeFalse(
                ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this build has the GPU onnxruntime");
        for (Accelerator acc : Accelerator.values()) {
            EngineUnavailableException e = assertThrows(EngineUnavailableException.class,
                    () -> EngineCheck.resolve(gpu(acc, false)));
            assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
            assertTrue(e.getMessage().contains("MINDSTREAM_GPU=1 ./mindstream"), e.getMessage());
            assertTrue(e.getMessage().contains("--fallback-cpu"), e.getMessage());
        }
    }

    @Test
    void fallbackCpuRunsOnTheCpuWhenTheGpuIsMissing() throws Exception {
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        org.junit.jupiter.api.Assumptions.assumeFalse(
                ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA));
        EngineOptions got = EngineCheck.resolve(gpu(Accelerator.TENSORRT, true));
        assertEquals(ComputeDevice.CPU, got.device());
        assertEquals(Accelerator.NONE, got.accelerator());
    }

    @Test
    void tensorRtNeedsTheGpu() {
        assertThrows(IllegalArgumentException.class,
                () -> new EngineOptions(ComputeDevice.CPU, Accelerator.TENSORRT, 0, false, 0, 8, 1000));
    }
}
