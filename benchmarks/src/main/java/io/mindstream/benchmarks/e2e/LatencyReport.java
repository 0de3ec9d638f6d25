package io.mindstream.benchmarks.e2e;

import io.mindstream.contracts.Stage;
import io.mindstream.display.state.LatencyStats;
import io.mindstream.display.state.Percentiles;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-stage and end-to-end latency of a set of complete traces, as a Markdown table. A stage's latency runs from
 * the previous stamped stage to it; end to end runs from {@link Stage#ACQUIRED} (the epoch's last sample left the
 * LSL outlet) to {@link Stage#RENDERED} (the browser acknowledged painting the result). Percentiles are HdrHistogram's,
 * to three significant digits (see {@link Percentiles}).
 */
public final class LatencyReport {

    /** One row: a stage (or a span) and its percentiles in milliseconds. */
    public record Row(String name, Percentiles ms) {
    }

    private final List<Row> rows;
    private final int traces;
    private final long clamped;

    private LatencyReport(List<Row> rows, int traces, long clamped) {
        this.rows = rows;
        this.traces = traces;
        this.clamped = clamped;
    }

    /** @param traces µs stamps per {@link Stage}, one array per rendered result */
    public static LatencyReport of(List<long[]> traces) {
        Stage[] stages = Stage.values();
        List<Row> rows = new ArrayList<>();
        Histogram h = Percentiles.microsHistogram();
        long clamped = 0;
        for (int s = 1; s < stages.length; s++) {
            h.reset();
            for (long[] t : traces) {
                int from = LatencyStats.segmentStart(t, s);
                if (from >= 0 && !Percentiles.recordMicros(h, t[s] - t[from])) {
                    clamped++;
                }
            }
            if (h.getTotalCount() > 0) {
                rows.add(new Row(label(stages, s, traces), Percentiles.ofMicros(h)));
            }
        }
        clamped += span(rows, "end to end: ACQUIRED → RENDERED", traces, Stage.ACQUIRED, Stage.RENDERED, h);
        clamped += span(rows, "ACQUIRED → PUSHED (server side)", traces, Stage.ACQUIRED, Stage.PUSHED, h);
        return new LatencyReport(List.copyOf(rows), traces.size(), clamped);
    }

    /** "PREVIOUS → STAGE", naming the stage the segment starts from in the first trace that reached it. */
    private static String label(Stage[] stages, int s, List<long[]> traces) {
        int prev = s - 1;
        for (long[] t : traces) {
            if (t[s] != 0) {
                int from = LatencyStats.segmentStart(t, s);
                prev = from >= 0 ? from : prev;
                break;
            }
        }
        return stages[prev] + " → " + stages[s];
    }

    /** Adds the row of one span; returns how many of its latencies were clamped. */
    private static long span(List<Row> rows, String name, List<long[]> traces, Stage from, Stage to, Histogram h) {
        h.reset();
        long clamped = 0;
        for (long[] t : traces) {
            if (t[from.ordinal()] != 0 && t[to.ordinal()] != 0
                    && !Percentiles.recordMicros(h, t[to.ordinal()] - t[from.ordinal()])) {
                clamped++;
            }
        }
        rows.add(new Row(name, Percentiles.ofMicros(h)));
        return clamped;
    }

    public List<Row> rows() {
        return rows;
    }

    public int traces() {
        return traces;
    }

    /** How many latencies fell outside 0 … 1 h and were counted at its nearer end (see {@link Percentiles}). */
    public long clamped() {
        return clamped;
    }

    /** The end-to-end row. */
    public Row endToEnd() {
        return rows.get(rows.size() - 2);
    }

    /** The head of the Markdown table the rows go in. */
    public static final String TABLE_HEAD = "| stage | n | p50 ms | p95 ms | p99 ms | max ms |\n"
            + "|---|---:|---:|---:|---:|---:|\n";

    /**
     * A span measured outside the traces (e.g. a result received over LSL by a client): {@code pairs} holds
     * {from, to} in µs each; latencies outside 0 … 1 h count at the nearer end.
     */
    public static Row span(String name, List<long[]> pairs) {
        Histogram h = Percentiles.microsHistogram();
        for (long[] p : pairs) {
            Percentiles.recordMicros(h, p[1] - p[0]);
        }
        return new Row(name, Percentiles.ofMicros(h));
    }

    /** One row of the Markdown table; empty for a span with no data. */
    public static String markdownRow(Row r) {
        Percentiles p = r.ms();
        if (p.n() == 0) {
            return "";                    // a span this run had no stamps for
        }
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", r.name(), p.n(), p.p50(),
                p.p95(), p.p99(), p.max());
    }

    /** The rows with data, as a Markdown table, and a note under it if any latency was clamped. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder(TABLE_HEAD);
        for (Row r : rows) {
            sb.append(markdownRow(r));
        }
        if (clamped > 0) {
            // the numbers above are then not to be trusted as they stand: say so where they are read
            sb.append(String.format(Locale.ROOT, "%n%d latencies were below 0 (clocks that disagree) or above 1 h "
                    + "and count as 0 or 1 h.%n", clamped));
        }
        return sb.toString();
    }
}
