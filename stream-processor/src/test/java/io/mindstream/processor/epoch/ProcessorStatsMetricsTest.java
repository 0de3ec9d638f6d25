package io.mindstream.processor.epoch;

import io.mindstream.runtime.metrics.StageMetrics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The processor's counters as Prometheus reads them: one counter per field, the value current at each scrape. */
class ProcessorStatsMetricsTest {

    @Test
    void everyCounterIsScrapedWithItsCurrentValue() {
        ProcessorStats stats = new ProcessorStats();
        try (StageMetrics metrics = new StageMetrics("process").bind(stats)) {
            stats.epochsOut.add(3);
            stats.markersExpired.increment();
            String text = metrics.scrape();
            assertTrue(text.contains("mindstream_processor_epochs_out_total{stage=\"process\"} 3.0"), text);
            assertTrue(text.contains("mindstream_processor_markers_expired_total{stage=\"process\"} 1.0"), text);
            stats.epochsOut.add(2);
            assertTrue(metrics.scrape().contains("mindstream_processor_epochs_out_total{stage=\"process\"} 5.0"),
                    "read at scrape time, not copied at bind time");
            for (String name : stats.counters().keySet()) {
                String prom = "mindstream_processor_" + name.replaceAll("([a-z])([A-Z])", "$1_$2")
                        .toLowerCase(java.util.Locale.ROOT) + "_total";
                assertTrue(text.contains(prom), "every counter is exported: " + prom);
            }
        }
    }
}
