package io.mindstream.cli.ingest;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.cli.options.EndpointOptions;
import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.scanner.ScannerConfig;
import io.mindstream.ingest.source.InletConfig;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.runtime.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code ./mindstream ingest}: LSL streams → journal → Kafka, until stopped. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Resolves LSL streams and keeps ingesting them as they come and go: every sample is checked "
                        + "(clock domain, backward jumps, gaps, drift, NaN/Inf), chunked, appended to a local "
                        + "Chronicle journal, then forwarded to Kafka (raw.<kind> topics, keyed by session) "
                        + "exactly once.",
                "Ctrl-C stops it cleanly and prints the accounting table; kill -9 loses nothing that was "
                        + "journaled (the next start forwards it and continues every stream's sequence numbers)."},
        showDefaultValues = true)
public final class IngestCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestCommand.class);
    /** The defaults shown and used: the config records' own, never restated here. */
    private static final IngestConfig D = IngestConfig.defaults("session", JournalConfig.defaults(Path.of("journal")),
            null);
    private static final ScannerConfig S = ScannerConfig.defaults(Path.of("scanner"));

    @Mixin
    BrokerOptions kafka;

    @Mixin
    EndpointOptions endpoint;

    @Option(names = "--session", paramLabel = "ID", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Session key of every record (default: <subject>_<yyyyMMdd>).")
    String session;

    @Option(names = "--subject", paramLabel = "NAME", defaultValue = "sub01",
            description = "Subject name the default session is derived from.")
    String subject;

    @Option(names = "--name", paramLabel = "NAME", split = ",", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Take the stream(s) with this LSL name (repeatable).")
    List<String> names = new ArrayList<>();

    @Option(names = "--source-id", paramLabel = "ID", split = ",", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Take the stream(s) with this LSL source_id (repeatable).")
    List<String> sourceIds = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", split = ",", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Take every stream of this LSL type, e.g. MEG,Markers (repeatable). With no --name, "
                    + "--source-id or --type: every MEG, EEG, fMRI and marker stream.")
    List<String> types = new ArrayList<>();

    @Option(names = "--type-kind", paramLabel = "TYPE=KIND", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Map an LSL type to a stream kind (MEG, EEG, FMRI, MARKER, OTHER), adding to or "
                    + "overriding the built-in mapping (MEG, EEG, fMRI/MRI/BOLD, Markers/Events/Triggers/Stimulus).")
    Map<String, StreamKind> typeKinds = Map.of();

    @Option(names = "--journal-dir", paramLabel = "DIR", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Journal directory (default: <data dir>/journal, data dir = $MINDSTREAM_DATA_DIR or "
                    + "~/.local/share/mindstream).")
    Path journalDir;

    @Option(names = "--roll-cycle", paramLabel = "CYCLE",
            description = "How often the journal starts a new file (Chronicle roll cycle: FIVE_MINUTELY, "
                    + "TEN_MINUTELY, HALF_HOURLY, FAST_HOURLY, TWO_HOURLY, FAST_DAILY, …).")
    String rollCycle = D.journal().rollCycle().toString();

    @Option(names = "--keep-cycles", paramLabel = "N",
            description = "Journal files kept (0 = all). Files are only deleted once Kafka has all their records.")
    int keepCycles = D.journal().keepCycles();

    @Option(names = "--no-kafka", description = "Journal only; forward later by running ingest again with Kafka.")
    boolean noKafka;

    @Option(names = "--chunk-ms", paramLabel = "MS",
            description = "Span of one chunk record in milliseconds.")
    double chunkMs = D.chunking().spanSeconds() * 1000;

    @Option(names = "--max-record-bytes", paramLabel = "BYTES",
            description = "Most value bytes per record; wider samples (fMRI volumes) are split by channel range.")
    int maxRecordBytes = D.chunking().maxRecordBytes();

    @Option(names = "--gap-periods", paramLabel = "X",
            description = "An interval longer than X nominal sample periods is a gap.")
    double gapPeriods = D.checks().gapPeriods();

    @Option(names = "--drift-tolerance", paramLabel = "FRACTION",
            description = "Relative deviation of the effective from the nominal rate that is flagged as drift.")
    double driftTolerance = D.checks().driftTolerance();

    @Option(names = "--drift-window", paramLabel = "SECONDS",
            description = "Stream time over which the effective rate is measured.")
    double driftWindow = D.checks().driftWindowSeconds();

    @Option(names = "--max-marker-bytes", paramLabel = "BYTES",
            description = "Longest marker label accepted (UTF-8 bytes); longer ones are rejected and counted.")
    int maxMarkerBytes = D.maxMarkerBytes();

    @Option(names = "--max-buffer", paramLabel = "SECONDS",
            description = "Seconds of data each inlet buffers while ingest is busy.")
    int maxBuffer = D.inlets().maxBufferedSeconds();

    @Option(names = "--stats-interval", paramLabel = "DURATION",
            description = "Period of the accounting log line (0s = none).")
    String statsInterval = D.statsInterval().toSeconds() + "s";

    @Option(names = "--scanner-dir", paramLabel = "DIR", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Also ingest a scanner's real-time export folder as an fMRI stream: one DICOM (Siemens "
                    + "mosaic; single-frame slices with --slices) or NIfTI-1/2 (.nii, .nii.gz; a 4D file as it grows) "
                    + "file per volume. Each "
                    + "volume is taken once complete, in acquisition order; a missing one is a gap.")
    Path scannerDir;

    @Option(names = "--scanner-stream", paramLabel = "ID",
            description = "Stream id of the scanner folder's records.")
    String scannerStream = S.streamId();

    @Option(names = "--tr", paramLabel = "SECONDS", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Repetition time of the scanner folder's volumes (default: from the headers).")
    Double tr;

    @Option(names = "--slices", paramLabel = "N",
            description = "The scanner folder holds single-frame DICOM, one file per slice, N slices per volume (0: "
                    + "each file holds whole volumes: mosaic DICOM or NIfTI).")
    int slices = S.slicesPerVolume();

    @Option(names = "--reorder-wait", paramLabel = "DURATION",
            description = "How long a volume waits for an earlier one that has not arrived before that one is a gap.")
    String reorderWait = S.reorderWait().toMillis() + "ms";

    @Option(names = "--incomplete-timeout", paramLabel = "DURATION",
            description = "A scanner file unchanged and still incomplete this long is reported as never completed.")
    String incompleteTimeout = S.incompleteTimeout().toSeconds() + "s";

    @Option(names = "--duration", paramLabel = "DURATION", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Stop after this long (default: run until Ctrl-C).")
    String duration;

    @Option(names = "--drain", paramLabel = "DURATION",
            description = "On stop, how long to wait for Kafka to acknowledge what is journaled.")
    String drain = IngestService.DEFAULT_DRAIN.toSeconds() + "s";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        IngestConfig config;
        try {
            config = config(null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        KafkaTarget target = null;
        if (!noKafka) {
            String given = kafka.bootstrapServersOption();
            if (given != null && !given.isBlank()) {
                // used as is, without waiting for it: ingest journals while Kafka is unreachable
                config = withKafka(config, given);
            } else {
                target = kafka.open();
                config = withKafka(config, target.bootstrapServers());
            }
        }
        IngestService service = new IngestService(config).start();
        endpoint.open("ingest", service);
        Duration drainFor = Durations.parse(drain);
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                System.out.println(service.close(drainFor));
                System.out.flush();
            }
            done.countDown();
        };
        Thread hook = null;
        if (target != null) {
            // Ctrl-C: the target's shutdown hook drains the forwarder into the broker before it stops an in-process
            // one; a separate hook would race it and could find the broker already gone (KafkaTarget)
            target.closeFirst(stop::run);
        } else {
            hook = new Thread(stop, "ingest-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        if (duration != null) {
            Thread.sleep(Durations.parse(duration).toMillis());
            if (hook != null) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            stop.run();
            if (target != null) {
                target.close();
            }
            return 0;
        }
        done.await();
        return 0;
    }

    private IngestConfig withKafka(IngestConfig c, String bootstrap) {
        return c.withForwarder(ForwarderConfig.defaults(bootstrap));
    }

    /** The typed configuration these options describe (forwarder to {@code bootstrap}, or none if null). */
    IngestConfig config(String bootstrap) {
        String s = session != null ? session : IngestConfig.defaultSession(subject, LocalDate.now());
        Path dir = journalDir != null ? journalDir : JournalConfig.defaultDirectory();
        if (keepCycles < 0) {
            throw new IllegalArgumentException("--keep-cycles must be >= 0, got " + keepCycles);
        }
        if (maxBuffer < 1) {
            throw new IllegalArgumentException("--max-buffer must be >= 1 s, got " + maxBuffer);
        }
        Duration stats = Durations.parse(statsInterval);
        if (duration != null) {
            Durations.parse(duration);
        }
        ScannerConfig scanner = null;
        if (scannerDir != null) {
            scanner = new ScannerConfig(scannerDir, scannerStream, tr == null ? Double.NaN : tr, S.poll(),
                    Durations.parse(reorderWait), Durations.parse(incompleteTimeout), slices);
        }
        Durations.parse(drain);
        InletConfig d = D.inlets();
        return new IngestConfig(s, new JournalConfig(dir, JournalConfig.parseRollCycle(rollCycle), keepCycles),
                bootstrap == null ? null : ForwarderConfig.defaults(bootstrap),
                StreamSelector.of(names, sourceIds, types), new StreamKinds(typeKinds),
                new ChunkingConfig(chunkMs / 1000.0, maxRecordBytes),
                new CheckConfig(gapPeriods, driftTolerance, driftWindow, D.checks().clockToleranceSeconds()),
                new InletConfig(maxBuffer, d.openTimeoutSeconds(), d.resolveIntervalMs(), d.forgetAfterSeconds(),
                        d.silenceWarnSeconds(), d.clockSyncIntervalSec()),
                maxMarkerBytes, stats, scanner);
    }

    /** Runs this command alone (the child JVM of the crash tests; {@code ./mindstream ingest} otherwise). */
    public static void main(String[] args) {
        System.exit(commandLine(new IngestCommand()).execute(args));
    }

    /** A command line for this command alone, with the CLI's conventions (one-line error + usage, exit 2). */
    static CommandLine commandLine(IngestCommand command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return 2;
        });
        return cl;
    }
}
