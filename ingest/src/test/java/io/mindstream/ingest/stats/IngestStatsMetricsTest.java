package io.mindstream.ingest.stats;

import io.mindstream.runtime.metrics.StageMetrics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-stream ingest figures as Prometheus reads them, including streams that appear after binding. */
class IngestStatsMetricsTest {

    @Test
    void streamsKnownBeforeAndFoundAfterBindingAreExported() {
        IngestStats stats = new IngestStats();
        stats.stream("meg-1").addJournaled(1200);
        try (StageMetrics metrics = new StageMetrics("ingest").bind(stats)) {
            StreamStats later = stats.stream("markers-1");
            later.addGap(7);
            later.clockOffset(-0.25);
            String text = metrics.scrape();
            assertTrue(text.contains("mindstream_ingest_samples_journaled_total{stage=\"ingest\",stream=\"meg-1\"} "
                    + "1200.0"), text);
            assertTrue(text.contains("mindstream_ingest_gaps_total{stage=\"ingest\",stream=\"markers-1\"} 1.0"), text);
            assertTrue(text.contains("mindstream_ingest_samples_missing_total{stage=\"ingest\",stream=\"markers-1\"} "
                    + "7.0"), text);
            assertTrue(text.contains("mindstream_ingest_clock_offset_seconds{stage=\"ingest\",stream=\"markers-1\"} "
                    + "-0.25"), text);
        }
    }
}
