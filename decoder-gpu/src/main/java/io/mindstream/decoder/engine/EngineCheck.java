package io.mindstream.decoder.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;

/**
 * Checks, before any model is loaded, that the engine configuration asked for can really run here, so a GPU run never
 * silently becomes a CPU run (ONNX Runtime itself falls back to the CPU with only a warning when the CUDA libraries
 * are missing, docs/dependencies.md §4a). Either returns the options to use or throws with what is missing and how to get it;
 * with {@link EngineOptions#fallbackCpu()} a missing GPU is logged and the CPU options are returned instead.
 */
public final class EngineCheck {

    private static final Logger log = LoggerFactory.getLogger(EngineCheck.class);

    static final String GPU_BUILD_HINT = "the CPU build of ONNX Runtime (com.microsoft.onnxruntime:onnxruntime) is on "
            + "the classpath; run with MINDSTREAM_GPU=1 ./mindstream … (the launcher then builds with the gpu Maven "
            + "profile, -Pgpu) to get onnxruntime_gpu";
    static final String CUDA_HINT = "install CUDA 12 (libcudart.so.12, libcublas/libcublasLt.so.12, libcurand.so.10) and "
            + "cuDNN 9 and put them on LD_LIBRARY_PATH";
    static final String TENSORRT_HINT = "install TensorRT 10 (libnvinfer.so.10, libnvonnxparser.so.10) next to CUDA 12 "
            + "and cuDNN 9, on LD_LIBRARY_PATH";

    private EngineCheck() {
    }

    /** The options to run with, or an exception naming what is missing (and the fix). */
    public static EngineOptions resolve(EngineOptions wanted) throws EngineUnavailableException {
        if (wanted.device() == ComputeDevice.CPU) {
            return wanted;
        }
        String missing = missingFor(wanted);
        if (missing == null) {
            log.info("engine: {} available", wanted.describe());
            return wanted;
        }
        if (wanted.fallbackCpu()) {
            log.warn("engine: {} is not available ({}); falling back to the CPU as --fallback-cpu asked",
                    wanted.describe(), missing);
            return wanted.onCpu();
        }
        throw new EngineUnavailableException(wanted.describe() + " is not available: " + missing
                + " (or pass --fallback-cpu to run on the CPU instead)");
    }

    /** Null when the GPU configuration can run, else what is missing and how to get it. */
    static String missingFor(EngineOptions wanted) {
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        if (!providers.contains(OrtProvider.CUDA)) {
            return "this ONNX Runtime build has no CUDA execution provider (" + providers + "): " + GPU_BUILD_HINT;
        }
        if (wanted.accelerator() == Accelerator.TENSORRT && !providers.contains(OrtProvider.TENSOR_RT)) {
            return "this ONNX Runtime build has no TensorRT execution provider (" + providers + "): " + GPU_BUILD_HINT;
        }
        int gpus = gpuCount();
        if (gpus <= wanted.gpuId()) {
            return gpus == 0 ? "no CUDA GPU is visible (driver missing or CUDA_VISIBLE_DEVICES empty)"
                    : "GPU " + wanted.gpuId() + " asked for but only " + gpus + " visible";
        }
        // Registering a provider makes ORT dlopen its libraries: the failure message names the missing .so.
        try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
            try {
                probe.addCUDA(wanted.gpuId());
            } catch (OrtException e) {
                return "the CUDA execution provider did not load (" + e.getMessage() + "): " + CUDA_HINT;
            }
            if (wanted.accelerator() == Accelerator.TENSORRT) {
                try {
                    probe.addTensorrt(wanted.gpuId());
                } catch (OrtException e) {
                    return "the TensorRT execution provider did not load (" + e.getMessage() + "): " + TENSORRT_HINT;
                }
            }
        }
        return null;
    }

    private static int gpuCount() {
        try {
            return ai.djl.util.cuda.CudaUtils.getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
