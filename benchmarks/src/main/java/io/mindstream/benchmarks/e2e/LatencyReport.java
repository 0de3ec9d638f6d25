package io.mindstream.benchmarks.e2e;

import io.mindstream.contracts.Stage;
import io.mindstream.display.state.LatencyStats;
import io.mindstream.display.state.Percentiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-stage and end-to-end latency of a set of complete traces, as a Markdown table. A stage's latency runs from
 * the previous stamped stage to it; end to end runs from {@link Stage#ACQUIRED} (the epoch's last sample left the
 * LSL outlet) to {@link Stage#RENDERED} (the browser acknowledged painting the result).
 */
public final class LatencyReport {

    /** One row: a stage (or a span) and its percentiles in milliseconds. */
    public record Row(String name, Percentiles ms) {
    }

    private final List<Row> rows;
    private final int traces;

    private LatencyReport(List<Row> rows, int traces) {
        this.rows = rows;
        this.traces = traces;
    }

    /** @param traces µs stamps per {@link Stage}, one array per rendered result */
    public static LatencyReport of(List<long[]> traces) {
        Stage[] stages = Stage.values();
        List<Row> rows = new ArrayList<>();
        double[] buf = new double[traces.size()];
        for (int s = 1; s < stages.length; s++) {
            int n = 0;
            for (long[] t : traces) {
                double d = LatencyStats.segmentMs(t, s);
                if (!Double.isNaN(d)) {
                    buf[n++] = d;
                }
            }
            if (n > 0) {
                rows.add(new Row(label(stages, s, traces), Percentiles.of(buf, n)));
            }
        }
        rows.add(span("end to end: ACQUIRED → RENDERED", traces, Stage.ACQUIRED, Stage.RENDERED, buf));
        rows.add(span("ACQUIRED → PUSHED (server side)", traces, Stage.ACQUIRED, Stage.PUSHED, buf));
        return new LatencyReport(List.copyOf(rows), traces.size());
    }

    /** "PREVIOUS → STAGE", naming the stage the segment usually starts from. */
    private static String label(Stage[] stages, int s, List<long[]> traces) {
        int prev = s - 1;
        for (long[] t : traces) {
            if (t[s] != 0) {
                for (int p = s - 1; p >= 0; p--) {
                    if (t[p] != 0) {
                        prev = p;
                        break;
                    }
                }
                break;
            }
        }
        return stages[prev] + " → " + stages[s];
    }

    private static Row span(String name, List<long[]> traces, Stage from, Stage to, double[] buf) {
        int n = 0;
        for (long[] t : traces) {
            if (t[from.ordinal()] != 0 && t[to.ordinal()] != 0) {
                buf[n++] = (t[to.ordinal()] - t[from.ordinal()]) / 1000.0;
            }
        }
        return new Row(name, Percentiles.of(buf, n));
    }

    public List<Row> rows() {
        return rows;
    }

    public int traces() {
        return traces;
    }

    /** The end-to-end row. */
    public Row endToEnd() {
        return rows.get(rows.size() - 2);
    }

    /** The rows with data, as a Markdown table. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| stage | n | p50 ms | p95 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            Percentiles p = r.ms();
            if (p.n() == 0) {
                continue;                 // a span this run had no stamps for
            }
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f |%n", r.name(), p.n(),
                    p.p50(), p.p95(), p.p99(), p.max()));
        }
        return sb.toString();
    }
}
