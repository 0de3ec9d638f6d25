package io.mindstream.cli.process;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.cli.options.EndpointOptions;
import io.mindstream.cli.options.OptionConverters;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.processor.decode.InlineDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./mindstream process}: the live stream processor (Kafka Streams) from the raw topics to epochs/windows. */
@Command(name = "process", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the stream processor: raw.meg, raw.eeg, raw.fmri, raw.markers and raw.other in; "
                + "preprocessed marker-locked epochs (and fMRI stimulus averages) out to 'epochs', sliding windows "
                + "(with --windows) and fMRI per-TR windows to 'windows'.",
                "Latency settings: producer linger.ms=0, no record cache, commit every 100 ms; at-least-once with "
                        + "deterministic epoch ids by default, --exactly-once for exactly_once_v2. Stops on Ctrl-C "
                        + "or after --duration.",
                "Fast path (--decode --model M --bank B): each epoch is decoded as soon as it is cut, in the same "
                        + "task, with no micro-batch wait and no Kafka hop before decoding; its result goes to the "
                        + "decoder's LSL outlet at once (at least once: a replay after a crash pushes the same epoch "
                        + "id again) and to 'results' with the epoch (exactly once with --exactly-once, else "
                        + "de-duplicated by epoch id)."})
public final class ProcessCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommand.class);
    private static final ProcessorService.Settings DEFAULTS = ProcessorService.Settings.defaults();

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id: consumer group and changelog prefix (default: "
                    + "${DEFAULT-VALUE}).")
    String applicationId = DEFAULTS.applicationId();

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

    @Option(names = "--threads", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "Stream threads (sessions are spread over partitions; default: ${DEFAULT-VALUE}).")
    int threads = DEFAULTS.threads();

    @Option(names = "--standby-replicas", paramLabel = "N",
            description = "When several processors share the sessions: warm copies of each session's state kept on "
                    + "N other instances, so a takeover after a crash resumes at once (default: ${DEFAULT-VALUE}).")
    int standbyReplicas = DEFAULTS.standbyReplicas();

    @Option(names = "--duration", paramLabel = "DURATION", converter = OptionConverters.PositiveDuration.class,
            description = "Stop after this long (e.g. 90s, 10m; default: run until interrupted).")
    Duration duration;

    @Option(names = "--stats-every", paramLabel = "DURATION", defaultValue = "10s",
            converter = OptionConverters.PositiveDuration.class,
            description = "How often to log the counters (default: ${DEFAULT-VALUE}).")
    Duration statsEvery;

    @Mixin
    ProcessorOptions processing;

    @Mixin
    FastPathOptions fastPath;

    @Mixin
    BrokerOptions kafka;

    @Mixin
    EndpointOptions endpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ProcessorConfig config = processing.toConfig(spec.commandLine());
        ProcessorService.Settings settings = new ProcessorService.Settings(applicationId, instanceId,
                stateDir != null ? stateDir : DEFAULTS.stateDir(), exactlyOnce, threads, standbyReplicas);
        List<InlineDecoder> decoders;
        try {
            decoders = fastPath.open(spec.commandLine(), config.windowsEnabled()); // the model is loaded before anything is consumed
        } catch (InvalidModelException | EngineUnavailableException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        KafkaTarget opened;
        try {
            opened = kafka.open();
        } catch (RuntimeException e) {
            decoders.forEach(InlineDecoder::close); // their LSL outlet too
            throw e;
        }
        try (KafkaTarget target = opened) {
            ProcessorService processor = new ProcessorService(target.bootstrapServers(), config, settings,
                    processing.calibrationWriter(), decoders);
            // Ctrl-C: the target's shutdown hook closes the processor (committing into a broker still running)
            // before it stops an in-process broker; a separate hook would race it (KafkaTarget)
            target.closeFirst(processor::close);
            LOG.info("processor on {}", target.describe());
            processor.start();
            endpoint.open("process", processor);
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (!processor.awaitStopped(Duration.ofMillis(Math.min(statsEvery.toMillis(),
                    Math.max(1, (deadline - System.nanoTime()) / 1_000_000))))) {
                LOG.info("counters: {}", processor.stats());
                if (System.nanoTime() >= deadline) {
                    break;
                }
            }
            LOG.info("final counters: {}", processor.stats());
            boolean failed = processor.failed();
            processor.close();
            return failed ? 1 : 0;
        }
    }
}
