package io.mindstream.contracts;

import java.util.Arrays;

/**
 * Wall-clock trace stamps, one slot per {@link Stage}, in microseconds since the Unix epoch; 0 means "not reached".
 * Immutable: {@link #with} returns a copy, so a record can be passed on and stamped by the next stage.
 */
public record TraceStamps(long[] micros) {

    private static final int STAGES = Stage.values().length;

    public TraceStamps {
        if (micros == null || micros.length != STAGES) {
            throw new IllegalArgumentException("trace needs exactly " + STAGES + " stage slots");
        }
        micros = micros.clone();
    }

    public static TraceStamps empty() {
        return new TraceStamps(new long[STAGES]);
    }

    /** Wall-clock now in microseconds since the epoch (the unit of every stamp). */
    public static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public long get(Stage stage) {
        return micros[stage.ordinal()];
    }

    public boolean has(Stage stage) {
        return micros[stage.ordinal()] != 0;
    }

    public TraceStamps with(Stage stage, long epochMicros) {
        long[] copy = micros.clone();
        copy[stage.ordinal()] = epochMicros;
        return new TraceStamps(copy);
    }

    public TraceStamps withNow(Stage stage) {
        return with(stage, nowMicros());
    }

    @Override
    public long[] micros() {
        return micros.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceStamps t && Arrays.equals(micros, t.micros);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(micros);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TraceStamps[");
        for (Stage s : Stage.values()) {
            if (has(s)) {
                sb.append(s).append('=').append(get(s)).append(' ');
            }
        }
        return sb.append(']').toString();
    }
}
