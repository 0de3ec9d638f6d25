package io.mindstream.processor.step;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.TraceStamps;

import java.util.function.LongSupplier;

/**
 * The wall-clock trace an output carries: the stamps of the newest chunk consumed (from acquisition on), when it was
 * consumed, and when the output was cut. Owns the newest chunk's stamps.
 */
public final class TraceKeeper {

    private final LongSupplier clockMicros;
    private TraceStamps last = TraceStamps.empty();
    private long consumedMicros;

    /** @param clockMicros wall clock, µs (tests pass a fixed one) */
    public TraceKeeper(LongSupplier clockMicros) {
        this.clockMicros = clockMicros;
    }

    /** A chunk with samples was consumed now. */
    public void consumed(SampleChunk c) {
        if (c.sampleCount() > 0) {
            last = c.trace();
            consumedMicros = clockMicros.getAsLong();
        }
    }

    /** The trace of an output cut now. */
    public TraceStamps cut() {
        return last.with(Stage.CONSUMED, consumedMicros).with(Stage.EPOCHED, clockMicros.getAsLong());
    }
}
