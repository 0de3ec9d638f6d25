package io.mindstream.ingest;

import io.mindstream.ingest.forward.Forwarder;
import io.mindstream.ingest.forward.ProducedStamp;
import io.mindstream.ingest.journal.JournalingSink;
import io.mindstream.ingest.marker.MarkerParser;
import io.mindstream.ingest.scanner.ScannerFolderSource;
import io.mindstream.ingest.source.StreamSupervisor;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.journal.Journal;
import io.mindstream.journal.StreamPositions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.runtime.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ingest, assembled: LSL streams (and a scanner export folder, {@link ScannerFolderSource}) → checks and chunks →
 * journal → forwarder → Kafka, plus the accounting.
 * {@link #start()} recovers every stream's position from the journal first, so a restarted ingest continues the
 * sequence numbers and reports what it missed as gaps.
 */
public final class IngestService implements Stage, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    /** How long {@link #close()} waits for Kafka to acknowledge what is journaled. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

    private final IngestConfig config;
    private final IngestStats stats = new IngestStats();
    private Journal journal;
    private Forwarder forwarder;
    private StreamSupervisor supervisor;
    private ScannerFolderSource scanner;
    private ScheduledExecutorService reporter;
    private volatile boolean closed;

    public IngestService(IngestConfig config) {
        this.config = config;
    }

    @Override
    public IngestService start() {
        journal = Journal.open(config.journal());
        var positions = StreamPositions.recover(journal);
        if (config.forwarder() != null) {
            forwarder = new Forwarder(journal, config.forwarder(), stats, new ProducedStamp()).start();
        } else {
            LOG.warn("no Kafka configured: journaling only ({})", config.journal().directory());
        }
        JournalingSink sink = new JournalingSink(journal, stats);
        supervisor = new StreamSupervisor(config.session(), config.selector(), config.kinds(), config.chunking(),
                config.checks(), config.inlets(), new MarkerParser(config.maxMarkerBytes()),
                sink, stats, positions).start();
        if (config.scanner() != null) {
            scanner = new ScannerFolderSource(config.session(), config.scanner(), config.chunking(), config.checks(),
                    sink, stats, positions.get(StreamPositions.key(config.session(), config.scanner().streamId())),
                    LslClock::localClock).start();
        }
        if (!config.statsInterval().isZero()) {
            reporter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ingest-stats");
                t.setDaemon(true);
                return t;
            });
            long ms = config.statsInterval().toMillis();
            reporter.scheduleAtFixedRate(() -> LOG.info("ingest: {}{}", stats.summaryLine(),
                            forwarder == null || forwarder.connected() ? ""
                                    : " [forwarder not connected to Kafka: journaling only]"),
                    ms, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public Health health() {
        if (supervisor == null) {
            return Health.starting("not started");
        }
        if (closed) {
            return Health.down("stopped");
        }
        if (forwarder != null && !forwarder.connected()) {
            return Health.degraded("journaling only: the forwarder is not connected to Kafka; " + stats.summaryLine());
        }
        return Health.up(stats.summaryLine());
    }

    public IngestStats stats() {
        return stats;
    }

    /**
     * Every stream's counts and clock figures ({@link IngestStats}), and how far the forwarder is behind the journal:
     * {@code mindstream_ingest_journal_lag} entries journaled but not yet acknowledged by Kafka, and whether it is
     * connected. Call after {@link #start()}.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        stats.bindTo(registry);
        Forwarder f = forwarder;
        Journal j = journal;
        if (f != null && j != null) {
            Gauge.builder("mindstream.ingest.journal.lag", f, x -> Math.max(0, j.lastIndex() - x.lastAckedIndex()))
                    .description("journal entries not yet acknowledged by Kafka").register(registry);
            Gauge.builder("mindstream.ingest.forwarder.connected", f, x -> x.connected() ? 1 : 0)
                    .description("1 while the forwarder reaches Kafka").register(registry);
            FunctionCounter.builder("mindstream.ingest.forwarder.sessions", f, Forwarder::sessionsStarted)
                    .description("producer sessions started (each after a failure)").register(registry);
        }
    }

    public Journal journal() {
        return journal;
    }

    /** The forwarder, or null when journaling only. */
    public Forwarder forwarder() {
        return forwarder;
    }

    public StreamSupervisor supervisor() {
        return supervisor;
    }

    /** The scanner-folder source, or null when none is configured. */
    public ScannerFolderSource scanner() {
        return scanner;
    }

    /**
     * Stops reading (partial chunks are journaled), lets the forwarder deliver what is journaled (up to
     * {@code drain}), logs the accounting table and closes the journal. Returns the table.
     */
    public synchronized String close(Duration drain) {
        if (closed) {
            return stats.table();
        }
        closed = true;
        if (reporter != null) {
            reporter.shutdownNow();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        if (scanner != null) {
            scanner.close();
        }
        if (forwarder != null) {
            forwarder.close(drain);
            long behind = journal.lastIndex() > forwarder.lastAckedIndex() ? 1 : 0;
            if (behind > 0) {
                LOG.warn("ingest stopped with journal entries not yet in Kafka; they are forwarded on the next start "
                        + "(journal {})", config.journal().directory());
            }
        }
        String table = stats.table();
        LOG.info("ingest accounting (session {}):\n{}", config.session(), table);
        if (journal != null) {
            journal.close();
        }
        return table;
    }

    @Override
    public void close() {
        close(DEFAULT_DRAIN);
    }
}
