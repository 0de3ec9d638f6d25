package io.mindstream.processor.step;

import io.mindstream.contracts.SampleChunk;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts one stream's chunks back into sequence order and tells a delivery hole from a gap at the source
 * (docs/stream-processor.md, "Time rules").
 *
 * <p>Ingest numbers a stream's samples on its nominal timeline, and the first chunk after samples the source lost
 * says how many it lost just before it ({@link SampleChunk#lostBefore()}). So a hole in the sequence numbers is either
 * <ul>
 *   <li>a <b>source gap</b>, accounted for by the next chunk's {@code lostBefore}: those samples will never come, and
 *       the stream goes on after the hole; or</li>
 *   <li>a <b>delivery hole</b>: its records are still on their way (a broker outage, a resend after a producer failure
 *       lands later in the partition) and the chunks after it wait here until it fills.</li>
 * </ul>
 * A chunk with no samples is an <em>end</em>: the stream's data stops there for now (ingest stopped reading it).
 * Nothing here reads the wall clock: a live run, an offline run over the same records and a processor rebuilt from its
 * stores see the same events in the same order. Memory is bounded: when more than {@code maxHeldSamples} wait behind a
 * hole that never fills, the hole is given up as lost (reported, never silently) and the stream goes on.
 *
 * <p>Not thread-safe: one per stream.
 */
public final class ChunkSequencer {

    /** What the stream sees, in sequence order. */
    public interface Sink {
        /** The next chunk in order; its first {@code skip} samples were already delivered (an overlapping resend). */
        void chunk(SampleChunk chunk, int skip);

        /** Every sample before {@code at} was delivered and the stream's data stops there (for now). */
        void end(long at);

        /**
         * Samples {@code from … to−1} will never be delivered; the stream goes on at {@code to}.
         *
         * @param atSource true when the source lost them (the chunk at {@code to} says so), false when their records
         *                 never arrived although {@code maxHeldSamples} samples waited behind them
         */
        void gap(long from, long to, boolean atSource);

        /** A chunk (or an end) now waits behind a hole: what a restart must not lose. */
        default void held(SampleChunk chunk) {
        }

        /** A held chunk (or end) left the waiting room: delivered, or dropped as a duplicate. */
        default void released(SampleChunk chunk) {
        }
    }

    private final long maxHeldSamples;
    private final LongAdder duplicateCount;
    private final LongAdder heldCount;
    private final TreeMap<Long, SampleChunk> held = new TreeMap<>();
    private final TreeMap<Long, SampleChunk> heldEnds = new TreeMap<>();
    private long heldSamples;
    private long next = -1;
    private boolean ended;
    private long duplicates;

    /**
     * @param duplicates counts chunks (and ends) dropped because everything in them was delivered already
     * @param held       counts chunks that had to wait behind a hole
     */
    public ChunkSequencer(long maxHeldSamples, LongAdder duplicates,
                          LongAdder held) {
        if (maxHeldSamples < 1) {
            throw new IllegalArgumentException("maxHeldSamples must be ≥ 1, got " + maxHeldSamples);
        }
        this.maxHeldSamples = maxHeldSamples;
        this.duplicateCount = duplicates;
        this.heldCount = held;
    }

    /** The sequence number the stream expects next; -1 before the first chunk. */
    public long next() {
        return next;
    }

    /** True while the stream's data has stopped at {@link #next()} (an end, and nothing after it yet). */
    public boolean ended() {
        return ended;
    }

    /** Samples held back behind a hole. */
    public long heldSamples() {
        return heldSamples;
    }

    /** Chunks (and ends) dropped because every sample in them had been delivered already. */
    public long duplicates() {
        return duplicates;
    }

    private void duplicate() {
        duplicates++;
        duplicateCount.increment();
    }

    /** Continues at {@code sequence} (a restored snapshot) with nothing held. */
    public void resetTo(long sequence) {
        next = sequence;
        ended = false;
        held.clear();
        heldEnds.clear();
        heldSamples = 0;
    }

    /** Offers one chunk (an end when it has no samples), in any order. */
    public void offer(SampleChunk c, Sink out) {
        long first = c.firstSequence();
        int n = c.sampleCount();
        if (next < 0) {
            next = first;
        }
        if (n == 0) {
            if (first < next || (first == next && ended)) {
                duplicate();
            } else if (first == next) {
                ended = true;
                out.end(next);
            } else if (heldEnds.putIfAbsent(first, c) == null) {
                out.held(c);
            }
            drain(out);
            return;
        }
        if (first + n <= next) {
            duplicate();
            return;
        }
        if (first > next && first - c.lostBefore() > next) {
            if (held.putIfAbsent(first, c) == null) {
                heldSamples += n;
                heldCount.increment();
                out.held(c);
            } else {
                duplicate();
            }
            if (heldSamples > maxHeldSamples) {
                long to = held.firstKey();
                out.gap(next, to, false);
                next = to;
                drain(out);
            }
            return;
        }
        if (first > next) {
            out.gap(next, first, true);
            next = first;
        }
        deliver(c, out);
        drain(out);
    }

    private void deliver(SampleChunk c, Sink out) {
        int skip = (int) (next - c.firstSequence());
        ended = false;
        next = c.firstSequence() + c.sampleCount();
        out.chunk(c, skip);
    }

    private void drain(Sink out) {
        while (true) {
            while (!heldEnds.isEmpty() && heldEnds.firstKey() <= next) {
                Map.Entry<Long, SampleChunk> end = heldEnds.pollFirstEntry();
                out.released(end.getValue());
                long at = end.getKey();
                if (at == next && !ended) {
                    ended = true;
                    out.end(next);
                } else {
                    duplicate();
                }
            }
            Map.Entry<Long, SampleChunk> head = held.firstEntry();
            if (head == null) {
                return;
            }
            SampleChunk c = head.getValue();
            if (head.getKey() > next) {
                if (head.getKey() - c.lostBefore() > next) {
                    return;
                }
                out.gap(next, head.getKey(), true);
                next = head.getKey();
            }
            held.pollFirstEntry();
            heldSamples -= c.sampleCount();
            out.released(c);
            if (c.firstSequence() + c.sampleCount() <= next) {
                duplicate();
                continue;
            }
            deliver(c, out);
        }
    }

    /**
     * End of input (offline runs only): holes that never filled are given up as lost, so every held chunk is
     * delivered.
     */
    public void flush(Sink out) {
        while (!held.isEmpty()) {
            long to = held.firstKey();
            if (to > next) {
                SampleChunk head = held.firstEntry().getValue();
                out.gap(next, to, to - head.lostBefore() <= next);
                next = to;
            }
            drain(out);
        }
    }
}
