package io.mindstream.display.state;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (values in any unit), computed on a sorted copy. */
public record Percentiles(int n, double p50, double p95, double p99, double max, double mean) {

    public static Percentiles of(double[] values, int count) {
        if (count <= 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] s = Arrays.copyOf(values, count);
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return new Percentiles(count, rank(s, 0.50), rank(s, 0.95), rank(s, 0.99), s[count - 1], sum / count);
    }

    /** Nearest rank: the smallest value with at least {@code q} of the sample at or below it. */
    static double rank(double[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
