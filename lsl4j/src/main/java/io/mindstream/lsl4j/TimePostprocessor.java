package io.mindstream.lsl4j;

import java.util.Set;

/**
 * Inlet-side timestamp post-processing (liblsl src/time_postprocessor.cpp): clock synchronization (add the time
 * correction), dejittering (recursive least squares fit of timestamp against sample index with an exponential
 * forgetting factor derived from SmoothingHalftime) and monotonization.
 */
final class TimePostprocessor {
    private final boolean clocksync;
    private final boolean dejitter;
    private final boolean monotonize;
    private final double srate;
    private final double lambda;
    // RLS state: t ≈ w0 + w1 * n
    private double w0;
    private double w1;
    private double p00, p01, p11;
    private double n;
    private boolean initialized;
    private double lastValue = Double.NEGATIVE_INFINITY;

    TimePostprocessor(Set<ProcessingFlag> flags, double srate, double halftimeSeconds) {
        this.clocksync = flags.contains(ProcessingFlag.CLOCKSYNC);
        this.dejitter = flags.contains(ProcessingFlag.DEJITTER) && srate > 0;
        this.monotonize = flags.contains(ProcessingFlag.MONOTONIZE);
        this.srate = srate;
        this.lambda = srate > 0 ? Math.pow(2, -1.0 / (srate * Math.max(halftimeSeconds, 1e-3))) : 1;
    }

    boolean needsClock() { return clocksync; }

    double process(double t, double correction) {
        if (clocksync) t += correction;
        if (dejitter) t = smooth(t);
        if (monotonize) {
            if (t < lastValue) t = lastValue;
            lastValue = t;
        }
        return t;
    }

    private double smooth(double t) {
        if (!initialized) {
            initialized = true;
            w0 = t;
            w1 = 1.0 / srate;
            p00 = 1e10; p01 = 0; p11 = 1e10;
            n = 0;
            return t;
        }
        n += 1;
        // RLS update with regressor x = [1, n]
        double px0 = p00 + p01 * n;
        double px1 = p01 + p11 * n;
        double denom = lambda + px0 + px1 * n;
        double k0 = px0 / denom;
        double k1 = px1 / denom;
        double err = t - (w0 + w1 * n);
        w0 += k0 * err;
        w1 += k1 * err;
        double np00 = (p00 - k0 * px0) / lambda;
        double np01 = (p01 - k0 * px1) / lambda;
        double np11 = (p11 - k1 * px1) / lambda;
        p00 = np00; p01 = np01; p11 = np11;
        return w0 + w1 * n;
    }

    /** The dejitter fit restarts after a reconnection (timestamps of a new outlet restart the series). */
    void reset() {
        initialized = false;
    }
}
