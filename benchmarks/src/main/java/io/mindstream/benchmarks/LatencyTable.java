package io.mindstream.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/** The markdown table the latency harnesses print: one row per span, p50/p90/p99/max in ms from µs histograms. */
public final class LatencyTable {

    private LatencyTable() {
    }

    /**
     * Prints {@code title: <count of the first span> <unit>}, the table, and a note when latencies were clamped into
     * the histograms' range.
     */
    public static void print(String title, String unit, String[] spanNames, Histogram[] spans, long clamped) {
        System.out.printf(Locale.ROOT, "%n%s: %d %s%n| span | p50 ms | p90 ms | p99 ms | max ms |%n"
                + "|---|---|---|---|---|%n", title, spans[0].getTotalCount(), unit);
        for (int k = 0; k < spanNames.length; k++) {
            Histogram h = spans[k];
            boolean empty = h.getTotalCount() == 0;
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", spanNames[k],
                    empty ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
                    empty ? Double.NaN : h.getValueAtPercentile(90) / 1000.0,
                    empty ? Double.NaN : h.getValueAtPercentile(99) / 1000.0,
                    empty ? Double.NaN : h.getMaxValue() / 1000.0);
        }
        if (clamped > 0) {
            System.out.printf(Locale.ROOT, "%d latencies were below 0 (the wall clock stepped) or above 1 h and count "
                    + "as 0 or 1 h.%n", clamped);
        }
    }
}
