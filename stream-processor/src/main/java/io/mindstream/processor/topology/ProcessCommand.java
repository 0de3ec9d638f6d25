package io.mindstream.processor.topology;

import io.mindstream.kafka.BrokerOptions;
import io.mindstream.runtime.DataDirs;
import io.mindstream.runtime.Durations;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorOptions;
import io.mindstream.processor.epoch.ProcessorStats;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code ./mindstream process}: the live stream processor (Kafka Streams) from the raw topics to epochs/windows. */
@Command(name = "process", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the stream processor: raw.meg, raw.eeg, raw.fmri and raw.markers in; preprocessed "
                + "marker-locked epochs (and fMRI stimulus averages) out to 'epochs', sliding windows (with "
                + "--windows) and fMRI per-TR windows to 'windows'.",
                "Latency settings: producer linger.ms=0, no record cache, commit every 100 ms; at-least-once with "
                        + "deterministic epoch ids by default, --exactly-once for exactly_once_v2. Stops on Ctrl-C "
                        + "or after --duration."})
public final class ProcessCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommand.class);

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = ProcessorApp.DEFAULT_APPLICATION_ID,
            description = "Kafka Streams application id: consumer group and changelog prefix (default: "
                    + "${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "This processor's stable identity in its group: restarted with the same id it takes its "
                    + "tasks back at once (static membership); give each concurrently running processor its own "
                    + "(default: the host name).")
    String instanceId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state directory (default: <data dir>/processor-state).")
    Path stateDir;

    @Option(names = "--exactly-once", description = "Use exactly_once_v2 instead of at-least-once.")
    boolean exactlyOnce;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            converter = io.mindstream.kafka.OptionConverters.PositiveInt.class,
            description = "Stream threads (sessions are spread over partitions; default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--duration", paramLabel = "DURATION", converter = io.mindstream.kafka.OptionConverters.PositiveDuration.class,
            description = "Stop after this long (e.g. 90s, 10m; default: run until interrupted).")
    Duration duration;

    @Option(names = "--stats-every", paramLabel = "DURATION", defaultValue = "10s",
            converter = io.mindstream.kafka.OptionConverters.PositiveDuration.class,
            description = "How often to log the counters (default: ${DEFAULT-VALUE}).")
    Duration statsEvery;

    @Mixin
    ProcessorOptions processing;

    @Mixin
    BrokerOptions kafka;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ProcessorConfig config = processing.toConfig(spec.commandLine());
        Path state = stateDir != null ? stateDir : DataDirs.root().resolve("processor-state");
        ProcessorStats stats = new ProcessorStats();
        try (KafkaTarget target = kafka.open()) {
            Topology topology = ProcessorTopology.build(config, stats, io.mindstream.contracts.TraceStamps::nowMicros,
                    processing.calibrationWriter(), RawReplay.kafka(target.bootstrapServers()));
            var props = io.mindstream.runtime.kafka.KafkaClients.streams(target.bootstrapServers(), applicationId,
                    io.mindstream.runtime.InstanceIds.of(applicationId, instanceId), state, exactlyOnce, threads);
            CountDownLatch stopped = new CountDownLatch(1);
            try (KafkaStreams streams = new KafkaStreams(topology, props)) {
                streams.setStateListener((now, before) -> {
                    LOG.info("stream processor {} → {}", before, now);
                    if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                        stopped.countDown();
                    }
                });
                // Ctrl-C: the target's shutdown hook closes Streams (committing into a broker still running) before
                // it stops an in-process broker; a separate hook would race it (KafkaTarget)
                target.closeFirst(() -> {
                    streams.close(Duration.ofSeconds(10));
                    stopped.countDown();
                });
                LOG.info("Processing {} → epochs{} on {} ({}; epochs {}; state in {})",
                        String.join(", ", io.mindstream.processor.offline.RawTopicReader.TOPICS),
                        config.windowsEnabled() ? " + windows" : "", target.describe(),
                        exactlyOnce ? "exactly_once_v2" : "at-least-once", config.epochRules(), state);
                streams.start();
                long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                while (!stopped.await(Math.min(statsEvery.toMillis(),
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                    LOG.info("counters: {}", stats);
                    if (System.nanoTime() >= deadline) {
                        break;
                    }
                }
                LOG.info("final counters: {}", stats);
                return streams.state() == KafkaStreams.State.ERROR ? 1 : 0;
            }
        }
    }
}
