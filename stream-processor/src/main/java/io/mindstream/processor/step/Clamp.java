package io.mindstream.processor.step;

import io.mindstream.contracts.QualityFlags;

/**
 * After scaling: flags PEAK_TO_PEAK when a channel's (unclamped) peak-to-peak exceeds the threshold, then clamps to
 * ±limit (CLAMPED when anything was). Stateless.
 */
public final class Clamp {

    private final double limit;
    private final double peakToPeak;

    /** @param limit ≤ 0 disables clamping */
    public Clamp(double limit, double peakToPeak) {
        this.limit = limit;
        this.peakToPeak = peakToPeak;
    }

    /** In place, on channel-major {@code data}; returns the flags raised. */
    public int apply(float[] data, int channels, int times) {
        int flags = 0;
        for (int c = 0; c < channels; c++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < times; t++) {
                int i = c * times + t;
                float v = data[i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                if (limit > 0 && Math.abs(v) > limit) {
                    data[i] = (float) Math.copySign(limit, v);
                    flags |= QualityFlags.CLAMPED;
                }
            }
            if (hi - lo > peakToPeak) {
                flags |= QualityFlags.PEAK_TO_PEAK;
            }
        }
        return flags;
    }
}
