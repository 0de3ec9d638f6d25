package io.mindstream.cli.decode;

import io.mindstream.decoder.engine.Accelerator;
import io.mindstream.decoder.engine.ComputeDevice;
import io.mindstream.decoder.engine.EngineOptions;
import picocli.CommandLine.Option;

/**
 * The engine options shared by {@code decode} and {@code evaluate} (a picocli mixin); the defaults are
 * {@link EngineOptions#cpu()}'s.
 */
public final class EngineMixin {

    private static final EngineOptions DEFAULTS = EngineOptions.cpu();

    @Option(names = "--device", description = "cpu, or gpu (CUDA; needs the gpu Maven profile "
            + "build and CUDA 12 + cuDNN 9 on the host)")
    ComputeDevice device = DEFAULTS.device();

    @Option(names = "--accelerator", description = "none, or tensorrt (ONNX Runtime's TensorRT "
            + "execution provider; needs --device gpu and TensorRT 10)")
    Accelerator accelerator = DEFAULTS.accelerator();

    @Option(names = "--gpu-id", description = "CUDA device ordinal")
    int gpuId = DEFAULTS.gpuId();

    @Option(names = "--fallback-cpu", description = "if the GPU/TensorRT asked for is not available, run on the CPU "
            + "(logged) instead of failing")
    boolean fallbackCpu;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (0 = its default)")
    int threads = DEFAULTS.intraOpThreads();

    @Option(names = "--max-batch", description = "micro-batch size limit")
    int maxBatch = DEFAULTS.maxBatch();

    @Option(names = "--max-wait-us",
            description = "a micro-batch closes this many µs after its first epoch at the latest")
    long maxWaitMicros = DEFAULTS.maxWaitMicros();

    public EngineOptions options() {
        return new EngineOptions(device, accelerator, gpuId, fallbackCpu, threads, maxBatch, maxWaitMicros);
    }
}
