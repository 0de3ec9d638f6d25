package io.mindstream.cli.decode;

import io.mindstream.decoder.engine.EngineOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The engine options shared by {@code decode} and {@code evaluate} (a picocli mixin): the device
 * ({@link DeviceMixin}) and the micro-batching; the defaults are {@link EngineOptions#cpu()}'s.
 */
public final class EngineMixin {

    private static final EngineOptions DEFAULTS = EngineOptions.cpu();

    @Mixin
    DeviceMixin device;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (0 = its default)")
    int threads = DEFAULTS.intraOpThreads();

    @Option(names = "--max-batch", description = "micro-batch size limit")
    int maxBatch = DEFAULTS.maxBatch();

    @Option(names = "--max-wait-us",
            description = "a micro-batch closes this many µs after its first epoch at the latest")
    long maxWaitMicros = DEFAULTS.maxWaitMicros();

    public EngineOptions options() {
        return device.on(new EngineOptions(DEFAULTS.device(), DEFAULTS.accelerator(), DEFAULTS.gpuId(), false, threads,
                maxBatch, maxWaitMicros));
    }
}
