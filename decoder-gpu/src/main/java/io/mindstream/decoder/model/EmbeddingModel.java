package io.mindstream.decoder.model;

import java.util.List;

/**
 * A model that maps epochs (channel-major {@code float[channels * times]}) to embeddings: the ONNX brain module
 * served by DJL, or the pure-Java ridge decoder. Implementations are not required to be thread-safe; the decoder
 * calls one from its single batching thread.
 */
public interface EmbeddingModel extends AutoCloseable {

    ModelSignature signature();

    /** One embedding per input, in order. Inputs must have {@link ModelSignature#inputSize()} values. */
    float[][] embed(List<float[]> epochs);

    @Override
    void close();
}
