package io.mindstream.processor.dsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The causal filter chain of a continuous stream (decoding.md §2.1): Butterworth band-pass, notches at the line
 * frequency and its harmonics, and the anti-aliasing low-pass of the decimator ({@code scipy.signal.decimate}'s
 * Chebyshev I, order 8, 0.05 dB ripple, cut-off 0.8 × the output Nyquist frequency).
 *
 * @param highPassHz     lower band edge (≤ 0 disables the high-pass side)
 * @param lowPassHz      upper band edge (≤ 0 disables the low-pass side)
 * @param order          Butterworth prototype order
 * @param lineHz         mains frequency (≤ 0: no notches)
 * @param notchHarmonics how many multiples of {@code lineHz} to notch (those at or above Nyquist are skipped)
 * @param notchQ         notch quality factor
 * @param targetRateHz   output rate after decimation (the decimation factor is {@code round(fs / targetRateHz)})
 */
public record FilterSettings(double highPassHz, double lowPassHz, int order, double lineHz, int notchHarmonics,
                             double notchQ, double targetRateHz) {

    public static FilterSettings defaults() {
        return new FilterSettings(0.1, 40.0, 4, 60.0, 9, 30.0, 120.0);
    }

    public FilterSettings {
        if (order < 1 || order > 12) {
            throw new IllegalArgumentException("filter order must be 1…12, got " + order);
        }
        if (notchQ <= 0) {
            throw new IllegalArgumentException("notch Q must be positive, got " + notchQ);
        }
        if (!(targetRateHz > 0)) {
            throw new IllegalArgumentException("target rate must be positive, got " + targetRateHz);
        }
    }

    public FilterSettings withLineHz(double hz) {
        return new FilterSettings(highPassHz, lowPassHz, order, hz, notchHarmonics, notchQ, targetRateHz);
    }

    public FilterSettings withBand(double highPass, double lowPass) {
        return new FilterSettings(highPass, lowPass, order, lineHz, notchHarmonics, notchQ, targetRateHz);
    }

    public FilterSettings withTargetRate(double hz) {
        return new FilterSettings(highPassHz, lowPassHz, order, lineHz, notchHarmonics, notchQ, hz);
    }

    /** The integer decimation factor for an input rate: 1200 Hz → 120 Hz is exactly 10. */
    public int decimationFactor(double inputRate) {
        return Math.max(1, (int) Math.round(inputRate / targetRateHz));
    }

    /** The whole cascade for one input rate, in application order. */
    public List<Biquad> cascade(double fs) {
        List<Biquad> all = new ArrayList<>();
        double nyquist = fs / 2;
        boolean hp = highPassHz > 0;
        boolean lp = lowPassHz > 0 && lowPassHz < nyquist;
        if (hp && lp) {
            all.addAll(FilterDesign.butterworthBandPass(order, highPassHz, lowPassHz, fs));
        } else if (hp) {
            all.addAll(FilterDesign.butterworthHighPass(order, highPassHz, fs));
        } else if (lp) {
            all.addAll(FilterDesign.butterworthLowPass(order, lowPassHz, fs));
        }
        if (lineHz > 0) {
            for (int h = 1; h <= notchHarmonics && h * lineHz < nyquist; h++) {
                all.add(FilterDesign.notch(h * lineHz, notchQ, fs));
            }
        }
        int q = decimationFactor(fs);
        if (q > 1) {
            all.addAll(FilterDesign.chebyshev1LowPass(8, 0.05, 0.8 * fs / (2.0 * q), fs));
        }
        return all;
    }

    /** A short, stable description for {@code preprocessingId}. */
    public String describe(double fs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "bp%s-%s/o%d", fmt(highPassHz), fmt(lowPassHz), order));
        if (lineHz > 0) {
            int n = 0;
            for (int h = 1; h <= notchHarmonics && h * lineHz < fs / 2; h++) {
                n++;
            }
            sb.append(String.format(Locale.ROOT, "/notch%sx%dq%s", fmt(lineHz), n, fmt(notchQ)));
        }
        int q = decimationFactor(fs);
        sb.append(String.format(Locale.ROOT, "/fs%s/d%d", fmt(fs), q));
        return sb.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
