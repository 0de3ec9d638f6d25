package io.mindstream.decoder.output;

/**
 * What the closed-loop LSL outlet carries per decode result.
 * <ul>
 *   <li>{@link #JSON}: one string channel, type {@code DecodeResults}: {@link DecodeResultJson} (ids and scores of the
 *       top-k, the epoch, the model) — what stimulus software reacting to "what was seen" needs.</li>
 *   <li>{@link #EMBEDDING}: float32 channels, one per embedding dimension, type {@code DecodeEmbedding}: the predicted
 *       embedding itself, for a client that retrieves or generates on its own.</li>
 * </ul>
 * Either way the sample's timestamp is the decoder host's LSL clock when the result was ready.
 */
public enum LslOutletFormat {
    JSON, EMBEDDING
}
