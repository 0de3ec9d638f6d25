package io.mindstream.display.state;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {

    /** Fixed seed: every run checks the same cases; a failure names the case to reproduce it. */
    private static final long SEED = 0x6a09e667f3bcc909L;

    @Test
    void exactNearestRankWhereTheHistogramHasUnitResolution() {
        Histogram h = Percentiles.microsHistogram();
        for (long us = 1000; us >= 1; us--) {               // 1 … 1000 µs, unsorted on purpose
            assertTrue(Percentiles.recordMicros(h, us));
        }
        Percentiles p = Percentiles.ofMicros(h);
        assertEquals(1000, p.n());
        assertEquals(0.500, p.p50());
        assertEquals(0.950, p.p95());
        assertEquals(0.990, p.p99());
        assertEquals(1.000, p.max());
        assertEquals(0.5005, p.mean());
    }

    @Test
    void largerLatenciesAreKeptToThreeSignificantDigits() {
        Histogram h = Percentiles.microsHistogram();
        for (int ms = 100; ms >= 1; ms--) {
            Percentiles.recordMicros(h, ms * 1000L);
        }
        Percentiles p = Percentiles.ofMicros(h);
        assertEquals(100, p.n());
        // the neighbouring ranks are 1–2 % away, so a wrong rank fails where the 0.1 % of precision does not
        assertWithinPrecision(50, p.p50());
        assertWithinPrecision(95, p.p95());
        assertWithinPrecision(99, p.p99());
        assertWithinPrecision(100, p.max());
        assertEquals(50.5, p.mean(), 50.5e-3);
    }

    /** Log-normal latencies (median 20 ms, a long tail) against nearest rank on a sorted copy. */
    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void quantilesAreTheNearestRankValueToTheHistogramsPrecision(int index) {
        SplittableRandom rnd = new SplittableRandom(SEED + index);
        long[] us = new long[1 + rnd.nextInt(5000)];
        Histogram h = Percentiles.microsHistogram();
        for (int i = 0; i < us.length; i++) {
            us[i] = Math.round(20_000 * Math.exp(1.5 * rnd.nextGaussian()));
            Percentiles.recordMicros(h, us[i]);
        }
        Percentiles p = Percentiles.ofMicros(h);
        long[] sorted = us.clone();
        Arrays.sort(sorted);
        String where = "seed " + Long.toHexString(SEED) + " case " + index + " n " + us.length;
        assertEquals(us.length, p.n(), where);
        // HdrHistogram reports the highest value its bucket cannot tell apart from the exact one
        assertEquals(h.highestEquivalentValue(nearestRank(sorted, 50)), micros(p.p50()), where + " p50");
        assertEquals(h.highestEquivalentValue(nearestRank(sorted, 95)), micros(p.p95()), where + " p95");
        assertEquals(h.highestEquivalentValue(nearestRank(sorted, 99)), micros(p.p99()), where + " p99");
        assertEquals(h.highestEquivalentValue(sorted[sorted.length - 1]), micros(p.max()), where + " max");
        double mean = LongStream.of(us).average().orElseThrow() / 1000.0;
        assertEquals(mean, p.mean(), mean * 1e-3, where + " mean");
    }

    static int[] cases() {
        return IntStream.range(0, 40).toArray();
    }

    @Test
    void latenciesOutsideTheRangeAreClampedAndSaid() {
        Histogram h = Percentiles.microsHistogram();
        assertFalse(Percentiles.recordMicros(h, -250), "clocks that disagree");
        Percentiles low = Percentiles.ofMicros(h);
        assertEquals(0.0, low.max(), "recorded as no latency at all");
        assertFalse(Percentiles.recordMicros(h, 2 * Percentiles.HIGHEST_MICROS));
        assertTrue(Percentiles.recordMicros(h, Percentiles.HIGHEST_MICROS));
        Percentiles p = Percentiles.ofMicros(h);
        assertEquals(3, p.n());
        assertWithinPrecision(Percentiles.HIGHEST_MICROS / 1000.0, p.max());
    }

    @Test
    void nothingRecordedHasNoPercentiles() {
        Percentiles p = Percentiles.ofMicros(Percentiles.microsHistogram());
        assertEquals(0, p.n());
        for (double v : new double[]{p.p50(), p.p95(), p.p99(), p.max(), p.mean()}) {
            assertTrue(Double.isNaN(v), p.toString());
        }
    }

    /** At least the exact value and above it by less than a thousandth: where HdrHistogram reports it. */
    private static void assertWithinPrecision(double expectedMs, double actualMs) {
        assertTrue(actualMs >= expectedMs && actualMs < expectedMs * 1.001,
                "expected " + expectedMs + " ms to 3 significant digits, got " + actualMs);
    }

    /** The smallest value with at least {@code percent} % of the sample at or below it (integer arithmetic). */
    private static long nearestRank(long[] sorted, int percent) {
        return sorted[Math.max(0, (percent * sorted.length + 99) / 100 - 1)];
    }

    private static long micros(double ms) {
        return Math.round(ms * 1000);
    }
}
