package io.mindstream.processor;

import io.mindstream.contracts.TraceStamps;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.decode.InlineDecoder;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.topology.ProcessorTopology;
import io.mindstream.processor.topology.RawReplay;
import io.mindstream.runtime.DataDirs;
import io.mindstream.runtime.InstanceIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.mindstream.runtime.Stage;
import io.mindstream.runtime.kafka.KafkaClients;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stream processor as one running thing: the topology ({@link ProcessorTopology}) in a Kafka Streams instance
 * on the given cluster. What {@code ./mindstream process} runs and what the demo embeds. With decoders
 * ({@link InlineDecoder}) it is also the fast path's decoder: epochs are decoded in the task that cuts them.
 */
public final class ProcessorService implements Stage, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorService.class);

    /**
     * How the processor runs in Kafka (the processing itself is {@link ProcessorConfig}).
     *
     * @param applicationId Kafka Streams application id: consumer group and changelog prefix
     * @param instanceId    stable identity in the group (static membership); null = the host name
     * @param stateDir      Kafka Streams state directory
     * @param exactlyOnce   exactly_once_v2 instead of at-least-once
     * @param threads       stream threads
     * @param standbyReplicas warm copies of each task's state kept on other instances (Streams standby replicas)
     */
    public record Settings(String applicationId, String instanceId, Path stateDir, boolean exactlyOnce, int threads,
                           int standbyReplicas) {

        public static final String DEFAULT_APPLICATION_ID = "mindstream-processor";

        public Settings {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(stateDir, "stateDir");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            if (standbyReplicas < 0) {
                throw new IllegalArgumentException("standbyReplicas must be >= 0, got " + standbyReplicas);
            }
        }

        /** Without standby replicas. */
        public Settings(String applicationId, String instanceId, Path stateDir, boolean exactlyOnce, int threads) {
            this(applicationId, instanceId, stateDir, exactlyOnce, threads, 0);
        }

        /**
         * Application {@value #DEFAULT_APPLICATION_ID}, state under the data directory, at-least-once, 1 thread, no
         * standby replica (one instance has nobody to keep a copy).
         */
        public static Settings defaults() {
            return new Settings(DEFAULT_APPLICATION_ID, null, DataDirs.root().resolve("processor-state"), false, 1);
        }

        public Settings withApplicationId(String id) {
            return new Settings(id, instanceId, stateDir, exactlyOnce, threads, standbyReplicas);
        }

        public Settings withStateDir(Path dir) {
            return new Settings(applicationId, instanceId, dir, exactlyOnce, threads, standbyReplicas);
        }
    }

    private final String bootstrapServers;
    private final ProcessorConfig config;
    private final Settings settings;
    private final Consumer<Calibration> calibrationListener;
    private final List<InlineDecoder> decoders;
    private final ProcessorStats stats = new ProcessorStats();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private boolean decodersClosed;

    /** @param calibrationListener told whenever a stream's scaler statistics are fitted and frozen */
    public ProcessorService(String bootstrapServers, ProcessorConfig config, Settings settings,
                            Consumer<Calibration> calibrationListener) {
        this(bootstrapServers, config, settings, calibrationListener, List.of());
    }

    /**
     * The processor with the fast path ({@code process --decode}): every epoch or window one of {@code decoders}
     * takes is decoded in the task that cut it, and its result written to {@code results} with it. The service owns
     * the decoders from here on: it closes them after the stream threads have stopped.
     */
    public ProcessorService(String bootstrapServers, ProcessorConfig config, Settings settings,
                            Consumer<Calibration> calibrationListener, List<InlineDecoder> decoders) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.calibrationListener = Objects.requireNonNull(calibrationListener, "calibrationListener");
        this.decoders = List.copyOf(decoders);
    }

    @Override
    public synchronized ProcessorService start() {
        if (streams != null) {
            return this;
        }
        streams = new KafkaStreams(ProcessorTopology.build(config, stats, TraceStamps::nowMicros, calibrationListener,
                RawReplay.kafka(bootstrapServers), decoders),
                KafkaClients.streams(bootstrapServers, settings.applicationId(),
                        InstanceIds.of(settings.applicationId(), settings.instanceId()), settings.stateDir(),
                        settings.exactlyOnce(), settings.threads(), settings.standbyReplicas()));
        streams.setUncaughtExceptionHandler(new StreamThreadFailures(5, java.time.Duration.ofMinutes(10),
                System::nanoTime, n -> stats.streamThreadsReplaced.add(n)));
        streams.setStateListener((now, before) -> {
            LOG.info("stream processor {} → {}", before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        LOG.info("processing {} → epochs{}{} ({}; epochs {}; state in {})", String.join(", ",
                        io.mindstream.contracts.Topics.forwardedTopics()), config.windowsEnabled() ? " + windows" : "",
                decoders.isEmpty() ? "" : " + results (fast path: decoded in the processor by "
                        + decoders.stream().map(InlineDecoder::describe).toList() + ")",
                settings.exactlyOnce() ? "exactly_once_v2" : "at-least-once", config.epochRules(),
                settings.stateDir());
        streams.start();
        return this;
    }

    @Override
    public Health health() {
        KafkaStreams s = streams;
        if (s == null) {
            return Health.starting("not started");
        }
        return switch (s.state()) {
            case CREATED, REBALANCING -> Health.starting("Kafka Streams " + s.state());
            case RUNNING -> Health.up("running: " + stats);
            case PENDING_ERROR, ERROR -> Health.down("Kafka Streams failed (" + s.state() + ")");
            case PENDING_SHUTDOWN, NOT_RUNNING -> Health.down("stopped");
        };
    }

    /**
     * The processor's counters ({@link ProcessorStats}) and Kafka Streams' own metrics (consumer lag, commit and
     * process rates, state stores), bound by Micrometer's {@link KafkaStreamsMetrics}. Call after {@link #start()}.
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        stats.bindTo(registry);
        if (streams != null) {
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
        }
    }

    public ProcessorStats stats() {
        return stats;
    }

    /** True once the processor has failed (Kafka Streams ERROR). */
    public boolean failed() {
        KafkaStreams s = streams;
        return s != null && (s.state() == KafkaStreams.State.ERROR || s.state() == KafkaStreams.State.PENDING_ERROR);
    }

    /** Waits up to {@code timeout} for the processor to stop by itself (failure or close); true if it did. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops, committing what is processed, waiting up to {@code timeout}. */
    public synchronized void close(Duration timeout) {
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
        if (streams != null) {
            streams.close(timeout);
            stopped.countDown();
        }
        if (!decodersClosed) {
            decodersClosed = true;
            for (InlineDecoder d : decoders) { // after the stream threads, which call them
                try {
                    d.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing decoder {} failed: {}", d.describe(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
