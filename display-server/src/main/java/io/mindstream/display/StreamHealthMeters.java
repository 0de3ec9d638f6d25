package io.mindstream.display;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.mindstream.display.state.StreamHealth.StreamReport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The page's stream-health table as meters: each stream's records, samples, gaps and lost samples (counters) and its
 * sample rate over the last 10 s, clock drift and data age (gauges), read from the very report the pages got last, so
 * that Prometheus and the health panel show one set of numbers. A stream's meters are registered when it first
 * appears in a report, tagged with its session, stream id and kind.
 */
final class StreamHealthMeters {

    private final MeterRegistry registry;
    private final Map<String, StreamReport> latest = new ConcurrentHashMap<>();

    StreamHealthMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A health report: the numbers the pages are about to get. */
    void onReport(List<StreamReport> reports) {
        for (StreamReport r : reports) {
            String key = r.kind() + "/" + r.streamId();
            if (latest.put(key, r) == null) {
                register(key, Tags.of("session", r.session() == null ? "" : r.session(), "stream", r.streamId(),
                        "kind", r.kind().toLowerCase(java.util.Locale.ROOT)));
            }
        }
    }

    private void register(String key, Tags tags) {
        counter(key, tags, "mindstream.display.stream.records", "records of the stream the display consumed",
                r -> r.records());
        counter(key, tags, "mindstream.display.stream.samples", "samples (markers: markers) the display consumed",
                r -> r.samples());
        counter(key, tags, "mindstream.display.stream.gaps", "holes the source reported in the stream",
                r -> r.gaps());
        counter(key, tags, "mindstream.display.stream.lost.samples", "samples the source reported lost",
                r -> r.lostSamples());
        gauge(key, tags, "mindstream.display.stream.rate", "samples per second over the last 10 s", "hertz",
                StreamReport::samplesPerSec);
        gauge(key, tags, "mindstream.display.stream.clock.drift", "how far wall − LSL clock moved since the stream "
                + "was first seen", "seconds", r -> r.clockDriftMs() / 1000.0);
        gauge(key, tags, "mindstream.display.stream.data.age", "acquisition → display of the newest data",
                "seconds", r -> r.ageMs() / 1000.0);
    }

    private void counter(String key, Tags tags, String name, String help, ToDoubleFunction<StreamReport> value) {
        FunctionCounter.builder(name, latest, m -> value.applyAsDouble(m.get(key))).tags(tags).description(help)
                .register(registry);
    }

    private void gauge(String key, Tags tags, String name, String help, String unit,
                       ToDoubleFunction<StreamReport> value) {
        Gauge.builder(name, latest, m -> value.applyAsDouble(m.get(key))).tags(tags).description(help)
                .baseUnit(unit).register(registry);
    }
}
