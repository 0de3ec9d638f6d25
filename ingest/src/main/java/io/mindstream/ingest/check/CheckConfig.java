package io.mindstream.ingest.check;

/**
 * Thresholds of the per-stream checks (architecture.md §2). They decide what is counted and flagged; data is never
 * altered.
 *
 * @param gapPeriods            an interval longer than this many nominal sample periods is a gap
 * @param driftTolerance        relative deviation of the effective rate from the nominal one that counts as drift
 *                              (0.005 = 0.5 %)
 * @param driftWindowSeconds    stream time over which the effective rate is measured
 * @param clockToleranceSeconds a stamp further than this from the ingest host's LSL clock is in a foreign clock
 *                              domain (typically Unix-epoch seconds)
 */
public record CheckConfig(double gapPeriods, double driftTolerance, double driftWindowSeconds,
                          double clockToleranceSeconds) {

    public CheckConfig {
        if (!(gapPeriods > 1)) {
            throw new IllegalArgumentException("gapPeriods must be > 1, got " + gapPeriods);
        }
        if (!(driftTolerance > 0)) {
            throw new IllegalArgumentException("driftTolerance must be > 0, got " + driftTolerance);
        }
        if (!(driftWindowSeconds > 0) || !(clockToleranceSeconds > 0)) {
            throw new IllegalArgumentException("drift window and clock tolerance must be > 0");
        }
    }

    public static CheckConfig defaults() {
        return new CheckConfig(1.5, 0.005, 10.0, 86_400.0);
    }
}
