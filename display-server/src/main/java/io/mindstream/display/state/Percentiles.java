package io.mindstream.display.state;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Percentiles of a set of latencies, in milliseconds, read off an HdrHistogram of microseconds. Quantiles are
 * HdrHistogram's nearest rank: the value reported for {@code q} is the highest value equivalent (within the
 * histogram's precision) to the smallest recorded value with at least {@code q} of the set at or below it; {@code max}
 * likewise, and {@code mean} is over the buckets' midpoints.
 */
public record Percentiles(long n, double p50, double p95, double p99, double max, double mean) {

    /**
     * The range the histograms cover. Trace stamps are wall-clock microseconds, so 1 µs is the finest difference
     * there is; an hour bounds anything the pipeline does live (a result that old is history re-read, not latency).
     */
    public static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    /**
     * Three significant digits: each value is kept to within 0.1 % of itself (exactly up to 2047 µs), far below the
     * run-to-run spread of every stage we time, for about 190 KB of counts per histogram over the whole range.
     */
    public static final int SIGNIFICANT_DIGITS = 3;

    private static final Percentiles EMPTY =
            new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** An empty histogram for latencies in microseconds, with the range and precision above. */
    public static Histogram microsHistogram() {
        return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    }

    /**
     * Records one latency, clamped into the histogram's range, which HdrHistogram cannot record outside of. A negative
     * one means the clocks that stamped its ends disagree by more than it lasted (the wall clock stepped, or a page's
     * clock correction overshot): it counts as 0. One beyond an hour counts as an hour.
     *
     * @return whether the latency was inside the range, i.e. recorded as it is
     */
    public static boolean recordMicros(AbstractHistogram histogram, long micros) {
        long clamped = Math.max(0, Math.min(HIGHEST_MICROS, micros));
        histogram.recordValue(clamped);
        return clamped == micros;
    }

    /** The percentiles, in milliseconds, of a histogram of microseconds; NaN for an empty one. */
    public static Percentiles ofMicros(AbstractHistogram h) {
        long n = h.getTotalCount();
        if (n == 0) {
            return EMPTY;
        }
        return new Percentiles(n, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getMean() / 1000.0);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
