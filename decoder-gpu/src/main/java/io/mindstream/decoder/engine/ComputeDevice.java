package io.mindstream.decoder.engine;

/** Where ONNX Runtime runs the model: the CPU (default) or a CUDA GPU. */
public enum ComputeDevice {
    CPU, GPU
}
