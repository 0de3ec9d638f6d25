package io.mindstream.benchmarks.e2e;

import io.mindstream.contracts.Stage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals("INGESTED → DECODED", r.rows().get(1).name());
        assertEquals(10.0, r.rows().get(1).ms().p50());
        LatencyReport.Row e2e = r.endToEnd();
        assertEquals(100, e2e.ms().n());
        assertEquals(12.0 + 50, e2e.ms().p50());
        assertEquals(12.0 + 99, e2e.ms().p99());
        assertEquals(12.0 + 100, e2e.ms().max());
        assertTrue(r.toMarkdown().contains("| end to end: ACQUIRED → RENDERED | 100 | 62.00 | 107.00 | 111.00 | 112.00 |"),
                r.toMarkdown());
    }
}
