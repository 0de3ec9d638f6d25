package io.mindstream.decoder.engine;

/**
 * An optional ONNX Runtime execution provider on top of the device. {@link #TENSORRT} is ORT's TensorRT execution
 * provider, selected through DJL's {@code ortDevice=TensorRT} model option (DJL's own TensorRT engine is frozen at
 * TensorRT 8.4 and is not used, architecture.md §7).
 */
public enum Accelerator {
    NONE, TENSORRT
}
