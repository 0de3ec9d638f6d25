package io.mindstream.display.state;

import io.mindstream.contracts.Stage;

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
        double[] buf = new double[size];
        for (int s = 1; s < STAGES.length; s++) {
            int n = 0;
            for (int i = 0; i < size; i++) {
                double d = segmentMs(ring[i], s);
                if (!Double.isNaN(d)) {
                    buf[n++] = d;
                }
            }
            if (n > 0) {
                stages.put(STAGES[s], Percentiles.of(buf, n));
            }
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            double d = totalMs(ring[i]);
            if (!Double.isNaN(d)) {
                buf[n++] = d;
            }
        }
        return new Summary(traces, stages, Percentiles.of(buf, n));
    }

    /** Milliseconds from the last stamped stage before {@code stage} to {@code stage}; NaN if either is missing. */
    public static double segmentMs(long[] micros, int stage) {
        if (micros[stage] == 0) {
            return Double.NaN;
        }
        for (int p = stage - 1; p >= 0; p--) {
            if (micros[p] != 0) {
                return (micros[stage] - micros[p]) / 1000.0;
            }
        }
        return Double.NaN;
    }

    /** Milliseconds from the first to the last stamp; NaN with fewer than two stamps. */
    public static double totalMs(long[] micros) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < micros.length; i++) {
            if (micros[i] != 0) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        return first < 0 || first == last ? Double.NaN : (micros[last] - micros[first]) / 1000.0;
    }
}
