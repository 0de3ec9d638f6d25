package io.mindstream.display;

import io.mindstream.display.feed.KafkaFeed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mindstream.display.ws.Broadcaster;
import io.mindstream.runtime.Stage;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The display as one running thing: the server and, when a Kafka cluster is given, the feed from it. What
 * {@code ./mindstream display} runs and what the demo and the latency harness embed.
 */
public final class DisplayService implements Stage, MeterBinder {

    private final DisplayConfig config;
    private final BankCatalog bank;
    private final String bootstrapServers;
    private final String sessionFilter;
    private final boolean consumeRaw;
    private DisplayServer server;
    private KafkaFeed feed;

    /**
     * @param bank             the bank whose thumbnails the page shows, or null
     * @param bootstrapServers Kafka to consume from, or null for a server fed only through {@link #hub()}
     * @param sessionFilter    only this session's records, or null for all
     * @param consumeRaw       consume the raw topics too (stream health and the MEG plot)
     */
    public DisplayService(DisplayConfig config, BankCatalog bank, String bootstrapServers, String sessionFilter,
                          boolean consumeRaw) {
        this.config = config;
        this.bank = bank;
        this.bootstrapServers = bootstrapServers;
        this.sessionFilter = sessionFilter;
        this.consumeRaw = consumeRaw;
    }

    /** Constructs and starts one (see the constructor). */
    public static DisplayService start(DisplayConfig config, BankCatalog bank, String bootstrapServers,
                                       String sessionFilter, boolean consumeRaw) throws InterruptedException {
        return new DisplayService(config, bank, bootstrapServers, sessionFilter, consumeRaw).start();
    }

    /** Starts the server (bound when this returns), then the feed. */
    @Override
    public synchronized DisplayService start() throws InterruptedException {
        if (server != null) {
            return this;
        }
        server = DisplayServer.start(config, bank);
        if (bootstrapServers != null) {
            try {
                feed = new KafkaFeed(bootstrapServers, server.hub(), sessionFilter, config.snapshotResults(),
                        consumeRaw).start();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        return this;
    }

    @Override
    public Health health() {
        if (server == null) {
            return Health.starting("not started");
        }
        return Health.up("serving " + server.url() + (feed == null ? " (no Kafka feed)" : ""));
    }

    /**
     * Results pushed, pages connected, frames dropped for slow pages, bad records, each stream's health as the page
     * shows it ({@link StreamHealthMeters}), and the per-stage latency of every
     * live result as histograms ({@code mindstream_stage_latency_seconds{from=…,to=…}}: each hop of its trace
     * stamps, e.g. epoched → decoded is the decoder's time, and render for pages that acknowledge).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Broadcaster b = hub().broadcaster();
        FunctionCounter.builder("mindstream.display.broadcasts", b, Broadcaster::broadcasts)
                .description("frames broadcast to pages").register(registry);
        FunctionCounter.builder("mindstream.display.connections", b, Broadcaster::connectionsTotal)
                .description("page connections accepted").register(registry);
        FunctionCounter.builder("mindstream.display.frames.dropped", b, Broadcaster::droppedTotal)
                .description("frames dropped for pages that could not keep up").register(registry);
        Gauge.builder("mindstream.display.pages", b, x -> x.clients().size())
                .description("pages connected now").register(registry);
        FunctionCounter.builder("mindstream.display.results.duplicate", hub(), DisplayHub::duplicateResults)
                .description("results dropped: their epoch's result was already pushed").register(registry);
        FunctionCounter.builder("mindstream.display.bad.records", this, DisplayService::badRecords)
                .description("records that did not decode").register(registry);
        hub().addHealthListener(new StreamHealthMeters(registry)::onReport);
        Counter results = Counter.builder("mindstream.display.results").description("live results pushed")
                .register(registry);
        io.mindstream.contracts.Stage[] stages = io.mindstream.contracts.Stage.values();
        Timer[] hops = new Timer[stages.length];
        for (int i = 1; i < stages.length; i++) {
            hops[i] = Timer.builder("mindstream.stage.latency")
                    .tag("from", stages[i - 1].name().toLowerCase(java.util.Locale.ROOT))
                    .tag("to", stages[i].name().toLowerCase(java.util.Locale.ROOT))
                    .description("time between two consecutive trace stamps of a result")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry);
        }
        java.util.function.Consumer<long[]> record = micros -> {
            for (int i = 1; i < micros.length && i < hops.length; i++) {
                if (micros[i - 1] > 0 && micros[i] >= micros[i - 1]) {
                    hops[i].record(micros[i] - micros[i - 1], TimeUnit.MICROSECONDS);
                }
            }
        };
        hub().addPushedListener(micros -> {
            results.increment();
            record.accept(micros);
        });
        int rendered = io.mindstream.contracts.Stage.RENDERED.ordinal();
        hub().addTraceListener(t -> {
            long[] m = t.micros();
            if (rendered < m.length && m[rendered - 1] > 0 && m[rendered] >= m[rendered - 1]) {
                hops[rendered].record(m[rendered] - m[rendered - 1], TimeUnit.MICROSECONDS);
            }
        });
    }

    public DisplayServer server() {
        return server;
    }

    public DisplayHub hub() {
        return server.hub();
    }

    public String url() {
        return server.url();
    }

    /** Records the feed could not decode (0 without a feed). */
    public long badRecords() {
        return feed == null ? 0 : feed.badRecords();
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (server != null) {
            server.close();
        }
    }
}
