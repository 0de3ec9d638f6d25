package io.mindstream.cli.decode;

import io.mindstream.decoder.engine.Accelerator;
import io.mindstream.decoder.engine.ComputeDevice;
import io.mindstream.decoder.engine.EngineOptions;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * Where the model runs (a picocli mixin; defaults shown in the help): shared by {@code decode}, {@code evaluate}
 * (through {@link EngineMixin}) and {@code process --decode}; the defaults are {@link EngineOptions#cpu()}'s.
 */
public final class DeviceMixin {

    private static final EngineOptions DEFAULTS = EngineOptions.cpu();

    @Option(names = "--device", showDefaultValue = Visibility.ALWAYS,
            description = "cpu, or gpu (CUDA; needs the gpu Maven profile "
            + "build and CUDA 12 + cuDNN 9 on the host)")
    ComputeDevice device = DEFAULTS.device();

    @Option(names = "--accelerator", showDefaultValue = Visibility.ALWAYS,
            description = "none, or tensorrt (ONNX Runtime's TensorRT "
            + "execution provider; needs --device gpu and TensorRT 10)")
    Accelerator accelerator = DEFAULTS.accelerator();

    @Option(names = "--gpu-id", showDefaultValue = Visibility.ALWAYS,
            description = "CUDA device ordinal")
    int gpuId = DEFAULTS.gpuId();

    @Option(names = "--fallback-cpu", showDefaultValue = Visibility.NEVER,
            description = "if the GPU/TensorRT asked for is not available, run on the CPU "
            + "(logged) instead of failing")
    boolean fallbackCpu;

    /** {@code base} on the device these options name. */
    public EngineOptions on(EngineOptions base) {
        return new EngineOptions(device, accelerator, gpuId, fallbackCpu, base.intraOpThreads(), base.maxBatch(),
                base.maxWaitMicros());
    }
}
