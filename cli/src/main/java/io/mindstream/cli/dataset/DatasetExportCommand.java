package io.mindstream.cli.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
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

    @Override
    public Integer call() throws IOException {
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

        ProcessorConfig pc = ProcessorConfig.defaults();
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
        source.put("processor", "io.mindstream.processor.offline.OfflineEpocher, ProcessorConfig.defaults()");
        source.put("command", "./mindstream dataset export --out " + out + " --trials " + trials + " --seed " + seed
                + " --test-images " + testImages + " --test-repeats " + testRepeats + " --concepts " + concepts
                + " --exemplars " + exemplars + (snr != null ? " --snr " + snr : "")
                + (linear ? " --linear" : "") + (fmri ? " --fmri" : "")
                + (voxels != null ? " --voxels " + voxels : ""));
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
            }
            writer[0].add(e, session, field(label, "split", "train"), Integer.parseInt(field(label, "trial", "-1")));
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
