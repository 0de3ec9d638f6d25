package io.mindstream.cli.demo;

import io.mindstream.cli.process.FastPathDecoder;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.DecoderService;
import io.mindstream.decoder.model.Models;
import io.mindstream.display.BankCatalog;
import io.mindstream.display.DisplayConfig;
import io.mindstream.display.DisplayService;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.processor.decode.InlineDecoder;
import io.mindstream.simulator.GroundTruthWriter;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import io.mindstream.simulator.SimulationPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole pipeline in one process, each stage through its own public classes: a Kafka broker (a private embedded
 * one unless a cluster is given), the simulated subject publishing on LSL, ingest (LSL → journal → Kafka), the stream
 * processor (Kafka Streams: raw → epochs), the decoder (epochs → results) and the display (results → browser).
 * Stages start downstream first so nothing published is missed, and stop upstream first so everything in flight is
 * delivered. Used by {@code ./mindstream demo} and by the end-to-end latency harness.
 *
 * <p>With {@link Options#fmri()} the subject's fMRI runs too: its volumes enter like the MEG (the simulator's fMRI
 * outlet, taken by ingest), the processor cuts stimulus epochs and per-TR windows, and a second decoder with a ridge
 * fitted at start decodes them. Only the source (the ingest selector and the publisher's fMRI flag) knows where the
 * volumes come from: a scanner-folder source would replace those two and nothing downstream.
 */
public final class Demo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    /**
     * @param seed             simulated subject's seed
     * @param speed            simulation pacing (1 = real time)
     * @param sessionSeconds   session time to simulate, or null for the whole paradigm
     * @param bootstrapServers an existing Kafka cluster, or null for a private embedded broker
     * @param workDir          where this run keeps its broker data, journal, processor state and ground truth
     * @param display          display settings (host, port, …); its bank is the simulated subject's
     * @param fmri             also run fMRI end to end: the subject's fMRI stream, its epochs and TR windows, and a
     *                         decoder of its own (a ridge fitted at start on the subject's training trials)
     * @param fastPath         decode in the processor ({@code process --decode}) instead of standalone decoders: the
     *                         same models and candidates, each epoch decoded in the task that cuts it
     * @param resultsOutlet    the name of the closed-loop LSL outlet the results are pushed on, or null for none
     * @param windows          also cut sliding windows of the MEG (250 ms every 50 ms: 20 per second) and decode each
     *                         with the bundled window model, standalone or in the fast path as the epochs are
     */
    public record Options(long seed, double speed, Double sessionSeconds, String bootstrapServers, Path workDir,
                          DisplayConfig display, boolean fmri, boolean fastPath, String resultsOutlet,
                          boolean windows) {

        /** MEG only (the default demo). */
        public Options(long seed, double speed, Double sessionSeconds, String bootstrapServers, Path workDir,
                       DisplayConfig display) {
            this(seed, speed, sessionSeconds, bootstrapServers, workDir, display, false);
        }

        /** Standalone decoders, no LSL outlet. */
        public Options(long seed, double speed, Double sessionSeconds, String bootstrapServers, Path workDir,
                       DisplayConfig display, boolean fmri) {
            this(seed, speed, sessionSeconds, bootstrapServers, workDir, display, fmri, false, null, false);
        }

        /** The same demo decoded by the fast path (or not), its results pushed on {@code outlet} (null: none). */
        public Options withDecoding(boolean fast, String outlet) {
            return new Options(seed, speed, sessionSeconds, bootstrapServers, workDir, display, fmri, fast, outlet,
                    windows);
        }

        /** The same demo with sliding windows cut and decoded (or not). */
        public Options withWindows(boolean on) {
            return new Options(seed, speed, sessionSeconds, bootstrapServers, workDir, display, fmri, fastPath,
                    resultsOutlet, on);
        }
    }

    /**
     * The demo's fMRI volumes: 16 × 16 × 16 voxels, so the page's mosaic shows 16 slices of 16 × 16 (the simulator's
     * volumes carry no geometry; the page assumes cubic ones) and the decoder is fitted in seconds.
     */
    static final int FMRI_VOXELS = 16 * 16 * 16;

    /**
     * Training epochs the demo's fMRI ridge is fitted on at start (of the subject's ~2,200): its leave-one-out alpha
     * search grows as their cube, so all of them take minutes on two cores; 600 take seconds.
     */
    static final int FMRI_TRAIN_EPOCHS = 600;

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean stopSimulation = new AtomicBoolean();
    private final String session;
    private final String bootstrapServers;
    private final DisplayService display;
    private final Thread simulation;
    private final SimulatedSubject subject;
    private volatile SimulationPublisher.Summary summary;

    private Demo(Options o) throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        session = "demo_" + stamp;
        String streamName = "mindstream-demo-" + ProcessHandle.current().pid();
        Files.createDirectories(o.workDir());
        try {
            // 1. Kafka
            if (o.bootstrapServers() == null) {
                EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(o.workDir().resolve("kafka")));
                started.push(broker);
                broker.createTopics(Topics.defaults());
                bootstrapServers = broker.bootstrapServers();
            } else {
                bootstrapServers = o.bootstrapServers();
            }
            log.info("demo: Kafka at {}", bootstrapServers);

            // 2. the subject, and its ground truth (the bank the decoder retrieves from and the page shows)
            subject = new SimulatedSubject(subjectConfig(o.seed()));
            Path truth = o.workDir().resolve("simulation");
            GroundTruthWriter.write(subject, truth);
            // the page scores only what the decoder can retrieve: the test images (the decoder's candidates below)
            BankCatalog bank = BankCatalog.of(truth.resolve(GroundTruthWriter.BANK_DIR), subject.bank());
            if (!subject.bank().testIds().isEmpty()) {
                bank = bank.withCandidates(subject.bank().testIds());
            }

            // the fMRI decoder: fitted on the subject's training trials, cut by the processor's own offline core
            Path fmriModel = null;
            if (o.fmri()) {
                fmriModel = o.workDir().resolve("fmri-decoder.ridge");
                log.info("demo: fitting the fMRI decoder (ridge, {} voxels) on {} of the subject's training trials",
                        FMRI_VOXELS, FMRI_TRAIN_EPOCHS);
                SimulatedFmriRidge.fit(subject, ProcessorConfig.defaults(), fmriModel, FMRI_TRAIN_EPOCHS);
            }

            // 3. display (its feed waits for topics and starts at their end)
            DisplayConfig dc = o.display().withBankDir(bank.dir());
            display = DisplayService.start(dc, bank, bootstrapServers, session, true);
            started.push(display);

            // 4. decoder: epochs → results, the bundled demo brain module on the CPU, retrieving among the bank's test
            // images (as docs/decoding-results.md reports it; the whole bank when it has no test split); fMRI stimulus
            // epochs and per-TR windows by the fMRI ridge, among the same candidates
            DecoderConfig.Lsl outlet = o.resultsOutlet() == null ? null
                    : new DecoderConfig.Lsl(o.resultsOutlet(), DecoderConfig.Lsl.DEFAULT.format());
            List<DecoderConfig> decoding = new ArrayList<>();
            // with windows, the MEG decoder also takes the windows topic, each window going to the window model
            decoding.add(DecoderConfig.defaults(Path.of(Models.DEMO), bank.dir())
                    .withCandidates(subject.bank().testIds().isEmpty() ? "all" : "test")
                    .withSession(session, "mindstream-demo-decoder-" + stamp, true)
                    .withStreams(Set.of(StreamKind.MEG), o.windows() ? List.of(Topics.EPOCHS, Topics.WINDOWS)
                            : List.of(Topics.EPOCHS))
                    .withWindowModel(o.windows() ? Path.of(Models.WINDOW_DEMO) : null)
                    .withLsl(outlet));
            if (fmriModel != null) {
                decoding.add(DecoderConfig.defaults(fmriModel, bank.dir())
                        .withCandidates(decoding.get(0).candidates())
                        .withSession(session, "mindstream-demo-fmri-decoder-" + stamp, true)
                        .withStreams(Set.of(StreamKind.FMRI), List.of(Topics.EPOCHS, Topics.WINDOWS))
                        .withLsl(outlet == null ? null : new DecoderConfig.Lsl(outlet.name() + "-fmri",
                                outlet.format())));
            }
            List<InlineDecoder> inline = new ArrayList<>();
            try {
                for (DecoderConfig d : decoding) {
                    if (o.fastPath()) {
                        inline.add(FastPathDecoder.open(d));
                    } else {
                        started.push(new DecoderService(d, bootstrapServers).start());
                    }
                }
            } catch (Exception | Error e) {
                inline.forEach(InlineDecoder::close);
                throw e;
            }

            // 5. processor: raw → epochs (fast path: → epochs and results, each epoch decoded as it is cut); it owns
            // the fast path's decoders from here on
            ProcessorConfig processing = ProcessorConfig.defaults();
            if (o.windows()) {
                processing = processing.withWindows(true, processing.windowSeconds(), processing.windowStepSeconds());
            }
            ProcessorService processor = new ProcessorService(bootstrapServers, processing,
                    ProcessorService.Settings.defaults().withApplicationId("mindstream-demo-processor-" + stamp)
                            .withStateDir(o.workDir().resolve("processor-state")),
                    c -> log.info("demo: preprocessing calibrated ({})", c.id()), inline);
            started.push(processor); // closing it closes the fast path's decoders, even if it never started
            processor.start();

            // 6. ingest: LSL → journal → Kafka, only this demo's streams (fMRI: the simulator's fMRI outlet)
            List<String> streams = o.fmri()
                    ? List.of(streamName + "-meg", streamName + "-markers", streamName + "-fmri")
                    : List.of(streamName + "-meg", streamName + "-markers");
            IngestConfig ic = IngestConfig.defaults(session, JournalConfig.defaults(o.workDir().resolve("journal")),
                            ForwarderConfig.defaults(bootstrapServers))
                    .withSelector(StreamSelector.of(streams, List.of(), List.of()))
                    .withStatsInterval(Duration.ofSeconds(30));
            IngestService ingest = new IngestService(ic).start();
            // IngestService.close logs the accounting table itself: once is enough
            started.push(() -> {
                ingest.close(Duration.ofSeconds(5));
                log.info("demo: ingest stopped");
            });

            // 7. the subject starts publishing once ingest is connected
            double end = o.sessionSeconds() != null ? o.sessionSeconds() : subject.durationSeconds();
            SimulationPublisher publisher = new SimulationPublisher(subject, new SimulationPublisher.Options(
                    streamName, streamName, o.speed(), end, o.fmri(), 12, 30));
            simulation = new Thread(() -> {
                try {
                    summary = publisher.run(stopSimulation, 30);
                    log.info("demo: simulation ended after {} s of session time ({} MEG samples, {} markers)",
                            Math.round(summary.sessionSeconds()), summary.megSamples(), summary.markers());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.error("demo: simulation failed: {}", e.toString(), e);
                }
            }, "demo-simulation");
            simulation.setDaemon(true);
            simulation.start();
            started.push(() -> {
                stopSimulation.set(true);
                simulation.join(5000);
            });
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Starts every stage; the page is at {@link #url()} as soon as this returns. */
    public static Demo start(Options o) throws Exception {
        return new Demo(o);
    }

    public String url() {
        return display.url();
    }

    public String session() {
        return session;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public DisplayService display() {
        return display;
    }

    public SimulatedSubject subject() {
        return subject;
    }

    /** Waits until the simulated session has been published (or {@code timeout} passes); true if it finished. */
    public boolean awaitSimulation(Duration timeout) throws InterruptedException {
        simulation.join(Math.max(1, timeout.toMillis()));
        return !simulation.isAlive();
    }

    /** Stops every stage, upstream first, each given its time to deliver what it holds. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("demo: stopping a stage failed: {}", e.toString());
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The simulated subject the bundled demo model was trained on (decoder-gpu's brain-module-demo.json: {@code
     * ./mindstream dataset export --trials 3000 --seed 1 --test-images 200 --test-repeats 4}, i.e. 200 concepts × 11
     * exemplars + 200 test images × 4 repeats). The simulator derives its images and responses from the whole
     * configuration, so only this configuration (with seed 1) is a subject the model can decode; another seed gives
     * a new subject on which the bundled model is at chance.
     */
    static SimulationConfig subjectConfig(long seed) {
        return SimulationConfig.defaults(seed).toBuilder().concepts(200).exemplarsPerConcept(11).trainRepeats(1)
                .testImages(200).testRepeats(4).fmriVoxels(FMRI_VOXELS).build();
    }
}
