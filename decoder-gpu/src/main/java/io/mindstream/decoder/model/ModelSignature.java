package io.mindstream.decoder.model;

import java.util.Map;
import java.util.Objects;

/**
 * What a decoding model takes and gives: epochs of {@code channels × times} (channel-major) in, an embedding of
 * {@code outDim} floats out.
 *
 * @param modelId         file name plus version/hash, written into every {@code DecodeResult}
 * @param channels        input rows (sensors or voxels)
 * @param times           input columns (samples; 1 for an fMRI beta map)
 * @param outDim          embedding dimension; must equal the bank's
 * @param preprocessingId the frozen preprocessing the model was fitted on ("" when unknown)
 * @param metadata        everything else the model file declares
 */
public record ModelSignature(String modelId, int channels, int times, int outDim, String preprocessingId,
                             Map<String, String> metadata) {
    public ModelSignature {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(preprocessingId, "preprocessingId");
        metadata = Map.copyOf(metadata);
        if (channels < 1 || times < 1 || outDim < 1) {
            throw new IllegalArgumentException("model " + modelId + " has a bad signature: " + channels + " × " + times
                    + " → " + outDim);
        }
    }

    public int inputSize() {
        return channels * times;
    }
}
