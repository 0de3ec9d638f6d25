package io.mindstream.cli.demo;

import io.mindstream.cli.options.OptionConverters;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.display.DisplayConfig;
import io.mindstream.runtime.DataDirs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code mindstream demo}: the whole pipeline on a simulated subject, live in the browser. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {
                "Run the whole pipeline in one process on a simulated subject: an embedded Kafka broker, the "
                        + "simulated MEG subject on LSL, ingest (journal + Kafka), the stream processor, the decoder "
                        + "with the committed model, and the display. Prints the page's URL; open it to watch decoded "
                        + "images arrive with their latencies.",
                "Stop with Ctrl-C: every stage shuts down cleanly, upstream first."})
public final class DemoCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

    /** The fast path's closed-loop outlet: the standalone decoder's default name, so a stimulus client finds either. */
    static final String FAST_OUTLET = DecoderConfig.Lsl.DEFAULT_NAME;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,HOST:PORT...]",
            converter = OptionConverters.BootstrapServers.class,
            description = "Use this Kafka cluster (its pipeline topics must exist) instead of starting a private "
                    + "embedded broker for the demo.")
    String bootstrapServers;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address the page is served on.")
    String host = DisplayConfig.DEFAULT_HOST;

    @Option(names = "--port", paramLabel = "PORT", converter = OptionConverters.Port.class,
            description = "Port of the page (0 = any free port).")
    int port = DisplayConfig.DEFAULT_PORT;

    @Option(names = "--seed", description = "Simulated subject's seed: same seed, same subject and data. The bundled model was "
            + "trained on seed 1; another seed is a new subject it decodes at chance.")
    long seed = 1;

    @Option(names = "--speed", description = "Simulation pace: 1 = real time, 2 = twice as fast. Latencies are only "
            + "meaningful at 1: faster, the samples' timestamps run ahead of the wall clock.")
    double speed = 1;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Session seconds to simulate, then the demo says the session is over and keeps the page "
                    + "up until Ctrl-C; 0 = the whole simulated paradigm, about 85 "
                    + "minutes. On disk the demo writes about 2.9 MB per session second (1.6 MB/s into Kafka, "
                    + "1.3 MB/s of journal): about 1.7 GB for 10 minutes, 15 GB for the whole paradigm.")
    int duration = 600;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where this run keeps its broker data, journal, processor state and ground truth "
                    + "(default: <data dir>/demo/<date-time>, removed when the demo stops unless --keep-data).")
    Path workDir;

    @Option(names = "--fmri", description = "Also run fMRI end to end: the subject's fMRI volumes (16 × 16 × 16 "
            + "voxels, TR 1.5 s) through ingest and the processor, decoded by a ridge fitted at start on the subject's "
            + "training trials (600 of them: 7-28 s on this project's two shared cores); the page adds an fMRI view "
            + "(the volume as a slice mosaic, the stimulus one haemodynamic delay earlier beside the decoded images, "
            + "accuracy against chance, volume → result latency).")
    boolean fmri;

    @Option(names = "--fast", description = "Decode in the stream processor (the fast path of 'process --decode'): "
            + "each epoch is decoded in the task that cuts it, with no Kafka hop and no micro-batch wait before "
            + "decoding, its result pushed at once on the LSL outlet '" + FAST_OUTLET + "' (fMRI: '" + FAST_OUTLET
            + "-fmri') and written to Kafka with the epoch. Without it the demo runs the standalone decoder stage, "
            + "as a multi-machine deployment does.")
    boolean fast;

    @Option(names = "--windows", description = "Also decode continuously: the processor cuts a 250 ms window of the "
            + "MEG every 50 ms (20 per second) and the bundled window model decodes each one, standalone or with "
            + "--fast in the processor, its results on 'results' (and the LSL outlet with --fast) like the epochs'. "
            + "The page adds a sliding-window panel: the latest window's top images and, over the last seconds, the "
            + "window decoder's score for the image on screen, with the stimulus onsets marked.")
    boolean windows;

    @Option(names = "--keep-data", description = "Keep the default work directory when the demo stops (a full "
            + "10-minute session is about 1.7 GB in Kafka and the journal).")
    boolean keepData;

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0) || speed > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be in (0, 100], got " + speed);
        }
        if (!(duration >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be >= 0 s (0: the whole "
                    + "paradigm), got " + duration);
        }
        Path dir = workDir != null ? workDir : DataDirs.root().resolve("demo")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        DisplayConfig display = DisplayConfig.defaults().withHost(host).withPort(port);
        log.info("demo: starting every stage (work dir {})", dir);
        if (speed != 1) {
            // The simulator stamps samples with session time; ahead of the wall clock, acquisition → ingest is negative.
            log.warn("demo: --speed {} runs the session faster than real time, so the page's latency panels are not "
                    + "meaningful (use --speed 1 to measure latency)", speed);
        }
        Demo demo = Demo.start(new Demo.Options(seed, speed, duration == 0 ? null : (double) duration, bootstrapServers, dir,
                display, fmri).withDecoding(fast, fast ? FAST_OUTLET : null).withWindows(windows));
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        boolean removeAfter = workDir == null && !keepData;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            log.info("demo: stopping");
            demo.close();
            if (removeAfter) {
                try {
                    Demo.deleteTree(dir);
                    log.info("demo: removed {} (--keep-data keeps it)", dir);
                } catch (java.io.IOException e) {
                    log.warn("demo: could not remove {}: {}", dir, e.toString());
                }
            }
            stopped.countDown();
        }, "demo-shutdown"));
        System.out.println();
        System.out.println("  mindstream demo is running: open " + demo.url());
        System.out.println("  session " + demo.session() + ", Kafka " + demo.bootstrapServers() + ", data in " + dir);
        System.out.println("  Ctrl-C stops it.");
        System.out.println();
        // only when the session played to its end: a Ctrl-C also ends the simulation, and saying "over" then
        // would be untrue
        if (demo.awaitSimulation(java.time.Duration.ofDays(365)) && !stopping.get()) {
            System.out.println("  the simulated session is over; the page stays up until Ctrl-C");
        }
        stopped.await();
        return 0;
    }
}
