package io.mindstream.ingest.stats;

import io.mindstream.contracts.QualityFlags;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Every stream's {@link StreamStats}, keyed by stream id; the accounting table printed on demand and at shutdown. */
public final class IngestStats {

    private final ConcurrentMap<String, StreamStats> streams = new ConcurrentHashMap<>();

    public StreamStats stream(String streamId) {
        return streams.computeIfAbsent(streamId, StreamStats::new);
    }

    public List<StreamStats> all() {
        List<StreamStats> l = new ArrayList<>(streams.values());
        l.sort(Comparator.comparing(StreamStats::streamId));
        return l;
    }

    /** One compact line for the periodic log. */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder();
        for (StreamStats s : all()) {
            if (!sb.isEmpty()) {
                sb.append(" | ");
            }
            sb.append(s.streamId()).append(' ').append(s.state().name().toLowerCase(Locale.ROOT))
                    .append(" rx=").append(s.received())
                    .append(" jn=").append(s.journaled())
                    .append(" kf=").append(s.produced())
                    .append(" drop=").append(s.dropped())
                    .append(" gaps=").append(s.gaps()).append('/').append(s.missingSamples());
            if (s.flags() != 0) {
                sb.append(' ').append(QualityFlags.describe(s.flags()));
            }
        }
        return sb.isEmpty() ? "no streams yet" : sb.toString();
    }

    /** The accounting table: one row per stream. */
    public String table() {
        String header = String.format(Locale.ROOT, "%-24s %-6s %-8s %12s %12s %12s %8s %6s %9s %7s %10s %9s %s",
                "stream", "kind", "state", "received", "journaled", "produced", "dropped", "gaps", "missing",
                "nonfin", "offset_ms", "jitter_ms", "flags");
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (StreamStats s : all()) {
            sb.append(String.format(Locale.ROOT, "%-24s %-6s %-8s %12d %12d %12d %8d %6d %9d %7d %10s %9s %s%n",
                    s.streamId(), s.kind(), s.state().name().toLowerCase(Locale.ROOT), s.received(), s.journaled(),
                    s.produced(), s.dropped(), s.gaps(), s.missingSamples(), s.nonFiniteSamples(),
                    ms(s.clockOffset()), ms(s.jitterSeconds()), QualityFlags.describe(s.flags())
                            + clockNotes(s)));
        }
        return sb.toString();
    }

    private static String clockNotes(StreamStats s) {
        StringBuilder sb = new StringBuilder();
        if (s.backwardJumps() > 0) {
            sb.append(" backwards=").append(s.backwardJumps());
        }
        if (s.foreignClockStamps() > 0) {
            sb.append(" foreign-clock=").append(s.foreignClockStamps());
        }
        if (s.driftEvents() > 0) {
            sb.append(" drift=").append(s.driftEvents()).append(String.format(Locale.ROOT, "(%.4f Hz)",
                    s.effectiveRate()));
        }
        return sb.toString();
    }

    private static String ms(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.3f", seconds * 1000);
    }
}
