package io.mindstream.ingest.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mindstream.contracts.QualityFlags;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every stream's {@link StreamStats}, keyed by stream id; the accounting table printed on demand and at shutdown. */
public final class IngestStats implements MeterBinder {

    private final ConcurrentMap<String, StreamStats> streams = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    public StreamStats stream(String streamId) {
        return streams.computeIfAbsent(streamId, id -> {
            StreamStats s = new StreamStats(id);
            registries.forEach(r -> register(s, r));
            return s;
        });
    }

    /**
     * Every stream's counts and clock figures as Prometheus meters tagged {@code stream=<id>}, for the streams known
     * now and every stream found later.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        streams.values().forEach(s -> register(s, registry));
    }

    private static void register(StreamStats s, MeterRegistry r) {
        Tags t = Tags.of("stream", s.streamId());
        counter(r, "mindstream.ingest.samples.received", "samples pulled from LSL", t, s, StreamStats::received);
        counter(r, "mindstream.ingest.samples.journaled", "samples journaled", t, s, StreamStats::journaled);
        counter(r, "mindstream.ingest.samples.produced", "samples acknowledged by Kafka", t, s,
                StreamStats::produced);
        counter(r, "mindstream.ingest.samples.dropped", "samples dropped (bad values, overflow)", t, s,
                StreamStats::dropped);
        counter(r, "mindstream.ingest.gaps", "holes in the source's sequence", t, s, StreamStats::gaps);
        counter(r, "mindstream.ingest.samples.missing", "samples the source lost", t, s, StreamStats::missingSamples);
        counter(r, "mindstream.ingest.clock.backward.jumps", "timestamps that went backwards", t, s,
                StreamStats::backwardJumps);
        counter(r, "mindstream.ingest.drift.events", "rate drift beyond tolerance", t, s, StreamStats::driftEvents);
        counter(r, "mindstream.ingest.samples.nonfinite", "NaN/Inf samples", t, s, StreamStats::nonFiniteSamples);
        Gauge.builder("mindstream.ingest.clock.offset", s, StreamStats::clockOffset).tags(t).baseUnit("seconds")
                .description("LSL clock offset of the source").register(r);
        Gauge.builder("mindstream.ingest.jitter", s, StreamStats::jitterSeconds).tags(t).baseUnit("seconds")
                .description("timestamp jitter").register(r);
        Gauge.builder("mindstream.ingest.rate", s, StreamStats::effectiveRate).tags(t).baseUnit("hertz")
                .description("effective sampling rate").register(r);
    }

    private static void counter(MeterRegistry r, String name, String description, Tags tags, StreamStats s,
                                java.util.function.ToLongFunction<StreamStats> f) {
        FunctionCounter.builder(name, s, x -> f.applyAsLong(x)).tags(tags).description(description).register(r);
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
