package io.mindstream.processor.decode;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;

/**
 * A decoder the processor calls in its own Kafka Streams task, for the fast path ({@code process --decode}): each
 * epoch it cuts is decoded before it leaves the task, and the epoch and its result are written to Kafka together
 * (with exactly-once, in the same transaction). The decoding itself (model, bank, retrieval, the closed-loop LSL
 * outlet) lives in {@code decoder-gpu}; this interface is all the processor knows of it, so the processor does not
 * depend on DJL or on the decoder module (docs/architecture.md: the module graph), and the CLI wires one in.
 *
 * <p>Called from stream threads; an implementation used by more than one thread must be safe for that.
 */
public interface InlineDecoder extends AutoCloseable {

    /** True when this decoder takes {@code e} (its stream kinds, its session); the others go on undecoded. */
    boolean takes(Epoch e);

    /**
     * Decodes {@code e} now, delivering the result to any closed-loop consumer (the LSL outlet) before returning; the
     * processor then writes it to the results topic.
     *
     * @throws RuntimeException naming the epoch and the problem, for an epoch the model cannot take: the epoch is
     *                          still written (undecoded), and the other epochs go on
     */
    DecodeResult decode(Epoch e);

    /** What it decodes with, for the logs (e.g. the model id). */
    String describe();

    @Override
    void close();
}
