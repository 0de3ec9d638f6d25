package io.mindstream.benchmarks.e2e;

import io.mindstream.contracts.Stage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyReportTest {

    @Test
    void stagesAndEndToEndFromTraces() {
        List<long[]> traces = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            long[] t = new long[Stage.values().length];
            long base = 1_000_000_000L * i;
            t[Stage.ACQUIRED.ordinal()] = base;
            t[Stage.INGESTED.ordinal()] = base + 1_000;                  // 1 ms
            t[Stage.DECODED.ordinal()] = base + 11_000;                  // 10 ms (from INGESTED)
            t[Stage.PUSHED.ordinal()] = base + 12_000;
            t[Stage.RENDERED.ordinal()] = base + 12_000 + 1_000L * i;   // 1 … 100 ms
            traces.add(t);
        }
        LatencyReport r = LatencyReport.of(traces);
        assertEquals(100, r.traces());
        assertEquals(0, r.clamped());
        assertEquals("ACQUIRED → INGESTED", r.rows().get(0).name());
        assertEquals(1.0, r.rows().get(0).ms().p99(), "exact below 2048 µs");
        assertEquals("INGESTED → DECODED", r.rows().get(1).name());
        assertWithinPrecision(10.0, r.rows().get(1).ms().p50());
        assertEquals("PUSHED → RENDERED", r.rows().get(3).name());
        assertEquals(6, r.rows().size(), "four stamped segments and two spans");
        LatencyReport.Row e2e = r.endToEnd();
        assertEquals("end to end: ACQUIRED → RENDERED", e2e.name());
        assertEquals(100, e2e.ms().n());
        // nearest rank of 13 … 112 ms; the neighbouring ranks are a millisecond away, far outside the precision
        assertWithinPrecision(12.0 + 50, e2e.ms().p50());
        assertWithinPrecision(12.0 + 95, e2e.ms().p95());
        assertWithinPrecision(12.0 + 99, e2e.ms().p99());
        assertWithinPrecision(12.0 + 100, e2e.ms().max());

        String md = r.toMarkdown();
        Matcher m = Pattern.compile("\\| end to end: ACQUIRED → RENDERED \\| 100 \\| ([\\d.]+) \\| ([\\d.]+) \\| "
                + "([\\d.]+) \\| ([\\d.]+) \\|").matcher(md);
        assertTrue(m.find(), md);
        double[] expected = {62, 107, 111, 112};
        for (int k = 0; k < expected.length; k++) {
            // two decimals of what the histogram holds
            assertEquals(expected[k], Double.parseDouble(m.group(k + 1)), expected[k] * 1e-3 + 0.005, md);
        }
        assertTrue(md.contains("| ACQUIRED → INGESTED | 100 | 1.00 | 1.00 | 1.00 | 1.00 |"), md);
        assertFalse(md.contains("clamped") || md.contains("count as"), md);
    }

    @Test
    void latenciesOutsideTheHistogramsRangeAreCountedAndNoted() {
        long[] t = new long[Stage.values().length];
        t[Stage.ACQUIRED.ordinal()] = 1_000_000_000L;
        t[Stage.PUSHED.ordinal()] = 1_000_020_000L;
        t[Stage.RENDERED.ordinal()] = 1_000_015_000L;                    // the page's clock correction overshot
        LatencyReport r = LatencyReport.of(List.of(t));
        assertEquals(1, r.clamped());
        assertEquals(0.0, r.rows().get(1).ms().max(), "PUSHED → RENDERED counts as 0");
        assertTrue(r.toMarkdown().contains("1 latencies were below 0"), r.toMarkdown());
    }

    /** At least the exact value and above it by less than a thousandth: where HdrHistogram reports it. */
    private static void assertWithinPrecision(double expectedMs, double actualMs) {
        assertTrue(actualMs >= expectedMs && actualMs < expectedMs * 1.001,
                "expected " + expectedMs + " ms to 3 significant digits, got " + actualMs);
    }
}
