package io.mindstream.display.state;

import io.mindstream.contracts.Stage;
import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.Map;

/**
 * Per-stage latency over the last {@code capacity} traced results. A stage's latency is the time from the previous
 * stage that was stamped to this one, so a pipeline that skips a stage (no journal, say) still adds up; "total" runs
 * from the first stamp (normally {@link Stage#ACQUIRED}) to the last (normally {@link Stage#RENDERED}).
 */
public final class LatencyStats {

    /** Percentiles per stage (keyed by the stage a segment ends at) and end to end, in milliseconds. */
    public record Summary(long traces, Map<Stage, Percentiles> stages, Percentiles total) {
    }

    private static final Stage[] STAGES = Stage.values();

    private final int capacity;
    private final long[][] ring;
    /*
     * The window is the last `capacity` traces, and a histogram cannot forget single values, so the percentiles are
     * rebuilt from the ring at each summary (once a second for the page) rather than recorded as traces arrive. One
     * histogram serves every stage in turn, so its counts are allocated once.
     */
    private final Histogram scratch = Percentiles.microsHistogram();
    private int head;
    private int size;
    private long traces;

    public LatencyStats(int capacity) {
        this.capacity = capacity;
        this.ring = new long[capacity][];
    }

    /** Adds one trace (µs stamps in {@link Stage} order, 0 = not reached). */
    public synchronized void record(long[] micros) {
        ring[head] = micros.clone();
        head = (head + 1) % capacity;
        size = Math.min(size + 1, capacity);
        traces++;
    }

    public synchronized Summary summary() {
        Map<Stage, Percentiles> stages = new EnumMap<>(Stage.class);
        for (int s = 1; s < STAGES.length; s++) {
            scratch.reset();
            for (int i = 0; i < size; i++) {
                long[] t = ring[i];
                int from = segmentStart(t, s);
                if (from >= 0) {
                    Percentiles.recordMicros(scratch, t[s] - t[from]);
                }
            }
            if (scratch.getTotalCount() > 0) {
                stages.put(STAGES[s], Percentiles.ofMicros(scratch));
            }
        }
        scratch.reset();
        for (int i = 0; i < size; i++) {
            long[] t = ring[i];
            int first = firstStamped(t);
            int last = lastStamped(t);
            if (first >= 0 && first < last) {
                Percentiles.recordMicros(scratch, t[last] - t[first]);
            }
        }
        return new Summary(traces, stages, Percentiles.ofMicros(scratch));
    }

    /**
     * Where the segment ending at {@code stage} starts: the last stage before it that was stamped; -1 if
     * {@code stage} itself was not stamped or nothing before it was.
     */
    public static int segmentStart(long[] micros, int stage) {
        if (micros[stage] == 0) {
            return -1;
        }
        for (int p = stage - 1; p >= 0; p--) {
            if (micros[p] != 0) {
                return p;
            }
        }
        return -1;
    }

    private static int firstStamped(long[] micros) {
        for (int i = 0; i < micros.length; i++) {
            if (micros[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private static int lastStamped(long[] micros) {
        for (int i = micros.length - 1; i >= 0; i--) {
            if (micros[i] != 0) {
                return i;
            }
        }
        return -1;
    }
}
