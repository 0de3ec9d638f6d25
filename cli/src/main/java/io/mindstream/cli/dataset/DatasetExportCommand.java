package io.mindstream.cli.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.simulator.SensorLayout;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code mindstream dataset export}: simulate a subject, epoch it with the stream processor's own offline core (the
 * classes the live Kafka Streams topology runs, default configuration), and write the decoding dataset the training
 * script and {@code calibrate}/{@code evaluate} read (format: {@link DatasetFormat}).
 *
 * <p>Epochs of the processor's calibration block (flag UNCALIBRATED: emitted before the robust scaler froze) are
 * left out, so every exported epoch carries the same frozen preprocessing, as a live run after calibration does.
 *
 * <p>{@code --windows} exports the sliding windows instead, cut by the same offline core with windows on (what
 * {@code process --windows} runs: 250 ms every 50 ms, scaled with the statistics frozen on the first 20 epochs, no
 * baseline), each labelled with the trial it falls in and its offset from that trial's onset marker
 * ({@link WindowLabeller}); windows cut before the statistics froze are left out as the calibration block's epochs are.
 */
@Command(name = "export", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Simulate a subject, cut and preprocess its epochs exactly as the live pipeline does, and write "
                + "X.npy (N × 272 × 181 float32; with --fmri N × voxels × 1), dataset.json (ids, splits) and the "
                + "embedding bank.")
public final class DatasetExportCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--trials", defaultValue = "3000",
            description = "approximate number of image trials (train + test; catch trials come on top)")
    int trials;

    @Option(names = "--seed", defaultValue = "1", description = "simulation seed (same seed, same subject and data)")
    long seed;

    @Option(names = "--test-images", defaultValue = "200", description = "held-out test images")
    int testImages;

    @Option(names = "--test-repeats", defaultValue = "4", description = "presentations of each test image")
    int testRepeats;

    @Option(names = "--concepts", description = "concepts (default: one per test image)")
    Integer concepts;

    @Option(names = "--exemplars", description = "training images per concept (default: enough for --trials)")
    Integer exemplars;

    @Option(names = "--snr", description = "single-trial SNR (default: the simulator's, "
            + SimulationConfig.DEFAULT_SNR + ")")
    Double snr;

    @Option(names = "--linear", description = "latents reach the sources linearly (the simulator's default is a "
            + "nonlinear tanh network)")
    boolean linear;

    @Option(names = "--session", defaultValue = "sim", description = "session key of the exported epochs")
    String session;

    @Option(names = "--no-thumbnails", description = "do not write the bank's thumbnail PNGs")
    boolean noThumbnails;

    @Option(names = "--fmri", description = "export the fMRI stimulus epochs instead (voxels × 1: the mean of the "
            + "volumes 4 … 8 s after each onset, z-scored as the live processor does); no MEG is simulated")
    boolean fmri;

    @Option(names = "--voxels", description = "voxels per fMRI volume (with --fmri; default: the simulator's)")
    Integer voxels;

    @Option(names = "--windows", description = "export the MEG sliding windows instead (272 × 30: 250 ms every 50 ms, "
            + "as process --windows cuts them), each labelled with the trial it falls in and its offset from that "
            + "trial's onset")
    boolean windows;

    @Option(names = "--window-from", defaultValue = "-0.2",
            description = "with --windows: first offset (s, window end − onset) exported per trial")
    double windowFrom;

    @Option(names = "--window-to", defaultValue = "1.3",
            description = "with --windows: last offset (s) exported per trial; one window per 50 ms from --window-from")
    double windowTo;

    @Override
    public Integer call() throws IOException {
        if (windows && fmri) {
            System.err.println("error: --windows exports MEG sliding windows; it does not combine with --fmri");
            return 2;
        }
        if (windows && !(windowTo >= windowFrom)) {
            System.err.println("error: --window-to " + windowTo + " is before --window-from " + windowFrom);
            return 2;
        }
        int testTrials = testImages * testRepeats;
        if (trials <= testTrials) {
            System.err.println("error: --trials " + trials + " leaves no training trials after " + testImages + " test "
                    + "images × " + testRepeats + " repeats");
            return 2;
        }
        int concepts = this.concepts != null ? this.concepts : Math.max(1, testImages);
        int exemplars = this.exemplars != null ? this.exemplars
                : Math.max(1, (int) Math.ceil((trials - testTrials) / (double) concepts));
        SimulationConfig.Builder b = SimulationConfig.defaults(seed).toBuilder().concepts(concepts)
                .exemplarsPerConcept(exemplars).trainRepeats(1).testImages(testImages).testRepeats(testRepeats)
                .nonlinear(!linear);
        if (snr != null) {
            b.snr(snr);
        }
        if (voxels != null) {
            b.fmriVoxels(voxels);
        }
        SimulationConfig cfg = b.build();
        SimulatedSubject subject = new SimulatedSubject(cfg);
        System.out.printf(Locale.ROOT, "simulating seed %d: %d concepts × %d exemplars + %d test images × %d repeats, "
                        + "%s%n", seed, concepts, exemplars, testImages, testRepeats, fmri
                        ? String.format(Locale.ROOT, "%.0f s of fMRI, %d voxels at TR %.2f s",
                                subject.durationSeconds(), subject.fmriVoxels(), subject.fmriTr())
                        : String.format(Locale.ROOT, "%.0f s of %d-channel MEG at %.0f Hz",
                                subject.durationSeconds(), subject.channelCount(), subject.sampleRate()));
        SimulatedRecording.writeBank(subject, out.resolve("bank"), !noThumbnails);
        System.out.println("bank: " + subject.imageIds().size() + " images × " + subject.embeddingDim() + " → "
                + out.resolve("bank"));

        // windows: what `process --windows` runs (the defaults' 0.25 s every 0.05 s), everything else the defaults
        ProcessorConfig pc = windows ? ProcessorConfig.defaults().withWindows(true, ProcessorConfig.defaults()
                .windowSeconds(), ProcessorConfig.defaults().windowStepSeconds()) : ProcessorConfig.defaults();
        SensorLayout layout = subject.sensorLayout();
        // fMRI volumes have no sensor layout
        double[][] positions = new double[fmri ? 0 : layout.channelCount()][];
        for (int c = 0; c < positions.length; c++) {
            positions[c] = layout.position2d(c);
        }
        ObjectNode source = new ObjectMapper().createObjectNode();
        source.put("simulator", "io.mindstream.simulator.SimulatedSubject");
        source.put("seed", seed);
        source.put("snr", cfg.snr());
        if (fmri) {
            source.put("fmriVoxels", cfg.fmriVoxels());
            source.put("fmriTr", cfg.fmriTr());
            source.put("fmriSnr", cfg.fmriSnr());
        }
        source.put("nonlinear", cfg.nonlinear());
        source.put("processor", "io.mindstream.processor.offline.OfflineEpocher, ProcessorConfig.defaults()"
                + (windows ? ".withWindows(true, " + pc.windowSeconds() + ", " + pc.windowStepSeconds() + ")" : ""));
        source.put("command", "./mindstream dataset export --out " + out + " --trials " + trials + " --seed " + seed
                + " --test-images " + testImages + " --test-repeats " + testRepeats + " --concepts " + concepts
                + " --exemplars " + exemplars + (snr != null ? " --snr " + snr : "")
                + (linear ? " --linear" : "") + (fmri ? " --fmri" : "")
                + (voxels != null ? " --voxels " + voxels : "")
                + (windows ? " --windows --window-from " + windowFrom + " --window-to " + windowTo : ""));
        if (windows) {
            return exportWindows(subject, pc, positions, source);
        }
        double tmin = fmri ? pc.fmri().hrfStartSeconds() : pc.epochRules().get(0).tmin();
        long[] counts = new long[3]; // written, skipped uncalibrated, skipped other
        long started = System.nanoTime();
        DatasetFormat.Writer[] writer = new DatasetFormat.Writer[1];
        try (OfflineEpocher epocher = new OfflineEpocher(pc)) {
            SimulatedRecording rec = new SimulatedRecording(subject, session, 12);
            Consumer<Object> feed = r -> {
                for (Epoch e : epocher.accept(r)) {
                    write(e, writer, positions, tmin, source, counts);
                }
            };
            if (fmri) {
                rec.replayFmri(feed, Double.POSITIVE_INFINITY);
            } else {
                rec.replay(feed, f -> {
                    if (Math.round(f * 100) % 10 == 0) {
                        System.out.printf(Locale.ROOT, "  %3.0f%%  %d epochs written  (%.0f s)%n", f * 100,
                                counts[0], (System.nanoTime() - started) / 1e9);
                    }
                });
            }
            for (Epoch e : epocher.flush()) {
                write(e, writer, positions, tmin, source, counts);
            }
        } finally {
            if (writer[0] != null) {
                writer[0].close();
            }
        }
        System.out.printf(Locale.ROOT, "wrote %d epochs to %s (left out: %d of the calibration block, %d other) in "
                + "%.0f s%n", counts[0], out, counts[1], counts[2], (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private void write(Epoch e, DatasetFormat.Writer[] writer, double[][] positions, double tmin, ObjectNode source,
                       long[] counts) {
        String label = e.trigger().label();
        if (e.trigger().kind() != (fmri ? TriggerKind.FMRI_STIMULUS : TriggerKind.MARKER)) {
            counts[2]++; // windows: not a labelled stimulus
            return;
        }
        if ((e.qualityFlags() & QualityFlags.UNCALIBRATED) != 0) {
            counts[1]++;
            return;
        }
        if (e.trigger().imageId() == null || label == null) {
            counts[2]++;
            return;
        }
        try {
            if (writer[0] == null) {
                writer[0] = new DatasetFormat.Writer(out, e.channels(), e.times(), e.sampleRate(), tmin, positions,
                        source);
                writer[0].describe("kind", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode("epochs"));
            }
            writer[0].add(e, session, field(label, "split", "train"), Integer.parseInt(field(label, "trial", "-1")));
            counts[0]++;
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /**
     * The windows of the simulated session, labelled with their trials. The simulated recording sends a marker right
     * after the chunk that holds its time, so when a chunk arrives every marker up to the previous chunk's last sample
     * has arrived; windows wait in the {@link WindowLabeller} until then.
     */
    private int exportWindows(SimulatedSubject subject, ProcessorConfig pc, double[][] positions, ObjectNode source)
            throws IOException {
        double step = pc.windowStepSeconds();
        WindowLabeller labeller = new WindowLabeller(windowFrom, windowTo, step);
        long[] counts = new long[4]; // rows written, windows cut, left out uncalibrated, windows in no trial's span
        long started = System.nanoTime();
        DatasetFormat.Writer[] writer = new DatasetFormat.Writer[1];
        ObjectNode offsets = new ObjectMapper().createObjectNode();
        offsets.put("from", windowFrom);
        offsets.put("to", windowTo);
        offsets.put("step", step);
        offsets.put("windowSeconds", pc.windowSeconds());
        offsets.put("definition", "offset = window end time − the trial's onset marker time; each trial has one row "
                + "per offset bin [c − step/2, c + step/2) for c = from, from + step, … to; a window in two trials' "
                + "spans is a row of each");
        double[] chunkEnd = {Double.NEGATIVE_INFINITY};
        try (OfflineEpocher epocher = new OfflineEpocher(pc)) {
            SimulatedRecording rec = new SimulatedRecording(subject, session, 12);
            Consumer<List<WindowLabeller.Labelled>> write = rows -> {
                for (WindowLabeller.Labelled l : rows) {
                    writeWindow(l, writer, positions, source, offsets, counts);
                }
            };
            Consumer<Object> feed = r -> {
                if (r instanceof SampleChunk c) {
                    write.accept(labeller.knownUntil(chunkEnd[0]));
                    chunkEnd[0] = c.timestamps()[c.timestamps().length - 1];
                } else if (r instanceof Marker m && pc.ruleFor(m).isPresent() && m.imageId() != null) {
                    labeller.trial(new WindowLabeller.Trial(m.timestamp(), m.imageId(),
                            field(m.label(), "split", "train"), Integer.parseInt(field(m.label(), "trial", "-1"))));
                }
                for (Epoch e : epocher.accept(r)) {
                    window(e, labeller, counts);
                }
            };
            rec.replay(feed, f -> {
                if (Math.round(f * 100) % 10 == 0) {
                    System.out.printf(Locale.ROOT, "  %3.0f%%  %d windows written  (%.0f s)%n", f * 100, counts[0],
                            (System.nanoTime() - started) / 1e9);
                }
            });
            for (Epoch e : epocher.flush()) {
                window(e, labeller, counts);
            }
            write.accept(labeller.flush());
            counts[3] = labeller.unlabelled();
        } finally {
            if (writer[0] != null) {
                writer[0].close();
            }
        }
        System.out.printf(Locale.ROOT, "wrote %d windows to %s (%d cut; left out: %d of the calibration block, %d in "
                        + "no trial's %+.2f … %+.2f s) in %.0f s%n", counts[0], out, counts[1], counts[2], counts[3],
                windowFrom, windowTo, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static void window(Epoch e, WindowLabeller labeller, long[] counts) {
        if (e.trigger().kind() != TriggerKind.WINDOW) {
            return; // the marker-locked epochs the processor also cuts
        }
        counts[1]++;
        if ((e.qualityFlags() & QualityFlags.UNCALIBRATED) != 0) {
            counts[2]++;
            return;
        }
        labeller.window(e);
    }

    private void writeWindow(WindowLabeller.Labelled l, DatasetFormat.Writer[] writer, double[][] positions,
                             ObjectNode source, ObjectNode offsets, long[] counts) {
        Epoch w = l.window();
        try {
            if (writer[0] == null) {
                // the window's first sample relative to its end (−29 / 120 s)
                writer[0] = new DatasetFormat.Writer(out, w.channels(), w.times(), w.sampleRate(),
                        w.tStart() - w.trigger().eventTime(), positions, source);
                writer[0].describe("kind", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode("windows"));
                writer[0].describe("offsets", offsets);
            }
            WindowLabeller.Trial t = l.trial();
            writer[0].addWindow(w, session, t.imageId(), t.split(), t.trial(), t.onset(), l.offset());
            counts[0]++;
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** The value of {@code key=} in a marker label. */
    static String field(String label, String key, String otherwise) {
        for (String tok : label.split("\\s+")) {
            if (tok.startsWith(key + "=")) {
                return tok.substring(key.length() + 1);
            }
        }
        return otherwise;
    }

    /** {@code mindstream dataset}: the parent of {@code export}. */
    @Command(name = "dataset", mixinStandardHelpOptions = true, subcommands = DatasetExportCommand.class,
            description = "Decoding datasets: simulated epochs preprocessed as the live pipeline does, for training "
                    + "the brain module and calibrating the ridge decoder.")
    public static final class Parent implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

}
