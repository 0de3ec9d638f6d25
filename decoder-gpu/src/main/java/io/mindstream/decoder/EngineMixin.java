package io.mindstream.decoder;

import io.mindstream.decoder.engine.Accelerator;
import io.mindstream.decoder.engine.ComputeDevice;
import io.mindstream.decoder.engine.EngineOptions;
import picocli.CommandLine.Option;

/** The engine options shared by {@code decode} and {@code evaluate} (a picocli mixin). */
public final class EngineMixin {

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, or gpu (CUDA; needs the gpu Maven profile "
            + "build and CUDA 12 + cuDNN 9 on the host)")
    ComputeDevice device;

    @Option(names = "--accelerator", defaultValue = "none", description = "none, or tensorrt (ONNX Runtime's TensorRT "
            + "execution provider; needs --device gpu and TensorRT 10)")
    Accelerator accelerator;

    @Option(names = "--gpu-id", defaultValue = "0", description = "CUDA device ordinal")
    int gpuId;

    @Option(names = "--fallback-cpu", description = "if the GPU/TensorRT asked for is not available, run on the CPU "
            + "(logged) instead of failing")
    boolean fallbackCpu;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = its default)")
    int threads;

    @Option(names = "--max-batch", defaultValue = "8", description = "micro-batch size limit")
    int maxBatch;

    @Option(names = "--max-wait-us", defaultValue = "1000",
            description = "a micro-batch closes this many µs after its first epoch at the latest")
    long maxWaitMicros;

    public EngineOptions options() {
        return new EngineOptions(device, accelerator, gpuId, fallbackCpu, threads, maxBatch, maxWaitMicros);
    }
}
