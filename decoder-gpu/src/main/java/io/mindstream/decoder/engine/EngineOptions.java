package io.mindstream.decoder.engine;

import java.util.Objects;

/**
 * How the decoder's DJL/ONNX Runtime engine is configured: the one typed place for engine settings.
 *
 * @param device          CPU or GPU (CUDA)
 * @param accelerator     an extra execution provider (TensorRT needs {@code device == GPU})
 * @param gpuId           CUDA device ordinal
 * @param fallbackCpu     when what was asked for is not available, run on the CPU instead of failing
 * @param intraOpThreads  ORT intra-op threads (0 = ORT's default)
 * @param maxBatch        micro-batch size limit
 * @param maxWaitMicros   how long a micro-batch stays open for more epochs after its first one
 */
public record EngineOptions(ComputeDevice device, Accelerator accelerator, int gpuId, boolean fallbackCpu,
                            int intraOpThreads, int maxBatch, long maxWaitMicros) {

    public EngineOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(accelerator, "accelerator");
        if (accelerator == Accelerator.TENSORRT && device != ComputeDevice.GPU) {
            throw new IllegalArgumentException("--accelerator tensorrt needs --device gpu (TensorRT runs on an NVIDIA GPU)");
        }
        if (gpuId < 0 || intraOpThreads < 0) {
            throw new IllegalArgumentException("gpu id and thread count must be >= 0");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be >= 1, was " + maxBatch);
        }
        if (maxWaitMicros < 0) {
            throw new IllegalArgumentException("max wait must be >= 0 µs, was " + maxWaitMicros);
        }
    }

    /** CPU, no accelerator, micro-batches of up to 8 epochs closing after 1 ms. */
    public static EngineOptions cpu() {
        return new EngineOptions(ComputeDevice.CPU, Accelerator.NONE, 0, false, 0, 8, 1000);
    }

    public EngineOptions withBatching(int batch, long waitMicros) {
        return new EngineOptions(device, accelerator, gpuId, fallbackCpu, intraOpThreads, batch, waitMicros);
    }

    /** The same options on the CPU: what {@code --fallback-cpu} switches to. */
    public EngineOptions onCpu() {
        return new EngineOptions(ComputeDevice.CPU, Accelerator.NONE, 0, false, intraOpThreads, maxBatch, maxWaitMicros);
    }

    public String describe() {
        return switch (device) {
            case CPU -> "OnnxRuntime/CPU";
            case GPU -> "OnnxRuntime/" + (accelerator == Accelerator.TENSORRT ? "TensorRT" : "CUDA") + " gpu " + gpuId;
        };
    }
}
