package io.mindstream.cli.simulate;

import io.mindstream.simulator.GroundTruthWriter;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import io.mindstream.simulator.SimulationPublisher;
import io.mindstream.simulator.StimulusEvent;
import io.mindstream.simulator.export.ScannerExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./mindstream simulate}: a synthetic MEG (+ fMRI) subject on LSL, with its ground truth written to disk.
 */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {
                "Publish a simulated subject on LSL: MEG (272 ch @ 1200 Hz, CTF-275-like layout, type MEG), stimulus"
                        + " markers (type Markers) and optionally fMRI (type fMRI), following the THINGS-MEG paradigm.",
                "Writes the ground truth first (embedding bank with thumbnails, events, markers, channels, latents,"
                        + " generative parameters) to --out. Deterministic by --seed. See docs/simulator.md."})
public final class SimulateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SimulateCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", description = "Random seed: same seed, same subject and samples.")
    long seed = 1;

    @Option(names = "--snr", description = "Single-trial evoked SNR (RMS evoked field over 0-1 s / RMS background).")
    double snr = SimulationConfig.DEFAULT_SNR;

    @Option(names = "--line-freq", description = "Mains frequency in Hz (60 or 50; harmonics at 2x and 3x).")
    double lineFrequency = 60;

    @Option(names = "--trigger-lag", description = "Seconds by which markers lag the true onsets (THINGS: 0.15).")
    double triggerLag = 0;

    @Option(names = "--speed", description = "Pacing: 1 = real time, 10 = ten times faster, 0 = as fast as possible.")
    double speed = 1;

    @Option(names = "--duration", description = "Stop after this many seconds of session time (default: whole session"
            + " = every trial plus a 2 s tail).")
    Double duration;

    @Option(names = "--trials", description = "Stop after this many trials, catch trials included (default: all).")
    Integer trials;

    @Option(names = "--fmri", description = "Also publish the fMRI stream (one float32 volume per TR).")
    boolean fmri;

    @Option(names = "--fmri-export", paramLabel = "DIR", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Write the fMRI volumes as a scanner's real-time export does: one file per TR into DIR, "
                    + "each written in several pieces with short pauses (ingest it with ingest --scanner-dir DIR). "
                    + "The voxels fill the grid closest to a cube (15000 = 25x25x24), 3 mm isotropic.")
    Path fmriExport;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Export format: dicom (Siemens mosaic, int16 with RescaleSlope 1/64) or nifti (NIfTI-1 "
                    + "float32).")
    ScannerExport.Format format = ScannerExport.Format.DICOM;

    @Option(names = "--export-pieces", paramLabel = "N", description = "Writes per exported file.")
    int exportPieces = ScannerExport.DEFAULT_PIECES;

    @Option(names = "--export-pause-ms", paramLabel = "MS", description = "Pause between a file's writes.")
    double exportPauseMs = ScannerExport.DEFAULT_PAUSE_NANOS / 1e6;

    @Option(names = "--withhold", paramLabel = "VOLUME", split = ",", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Volume indices (0-based) never exported: a lost file, for testing gap handling.")
    java.util.List<Long> withhold = new java.util.ArrayList<>();

    @Option(names = "--voxels", description = "fMRI voxels per volume.")
    int voxels = 15_000;

    @Option(names = "--tr", description = "fMRI repetition time, seconds.")
    double tr = 1.5;

    @Option(names = "--concepts", description = "Concepts (THINGS: 1854).")
    int concepts = 32;

    @Option(names = "--exemplars", description = "Training images per concept (THINGS: 12).")
    int exemplars = 4;

    @Option(names = "--test-images", description = "Held-out test images (THINGS: 200).")
    int testImages = 16;

    @Option(names = "--test-repeats", description = "Presentations per test image (THINGS: 12).")
    int testRepeats = 6;

    @Option(names = "--channels", description = "272 (dead MLF25/MRF43/MRO13 dropped) or 271 (MRO11 too).")
    int channels = 272;

    @Option(names = "--name", description = "Stream name prefix: <name>-meg, <name>-markers, <name>-fmri.")
    String name = "mindstream-sim";

    @Option(names = "--source-id", description = "source_id prefix (default: <name>-seed<seed>).")
    String sourceId;

    @Option(names = "--chunk", description = "MEG samples per LSL push (12 = 10 ms at 1200 Hz).")
    int chunk = 12;

    @Option(names = "--wait-for-consumers", description = "Seconds to wait for an MEG consumer before starting"
            + " (0 = start at once).")
    double waitForConsumers = 0;

    @Option(names = "--out", description = "Ground-truth directory (default: <data dir>/simulations/seed-<seed>; the"
            + " data dir is $MINDSTREAM_DATA_DIR, else $XDG_DATA_HOME/mindstream, else ~/.local/share/mindstream).")
    Path out;

    @Option(names = "--progress", description = "Session seconds between progress lines (0 = none).")
    double progress = 10;

    @Override
    public Integer call() throws Exception {
        SimulationConfig cfg;
        try {
            cfg = SimulationConfig.defaults(seed).toBuilder()
                    .snr(snr).lineFrequency(lineFrequency).triggerLagSeconds(triggerLag)
                    .fmriVoxels(voxels).fmriTr(tr).concepts(concepts).exemplarsPerConcept(exemplars)
                    .testImages(testImages).testRepeats(testRepeats).channelCount(channels).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (speed < 0 || Double.isNaN(speed)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be >= 0, got " + speed);
        }
        if (duration != null && !(duration > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--duration must be > 0 s, got " + duration);
        }
        if (trials != null && trials < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--trials must be >= 1, got " + trials);
        }
        if (chunk < 1 || chunk > 12_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--chunk must be within 1..12000, got "
                    + chunk);
        }
        if (exportPieces < 1 || !(exportPauseMs >= 0) || withhold.stream().anyMatch(v -> v < 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--export-pieces must be >= 1, "
                    + "--export-pause-ms >= 0 and --withhold volumes >= 0; got " + exportPieces + ", " + exportPauseMs
                    + ", " + withhold);
        }
        long t = System.nanoTime();
        SimulatedSubject subject = new SimulatedSubject(cfg);
        List<StimulusEvent> schedule = subject.schedule();
        LOG.info("simulated subject (seed {}): {} channels @ {} Hz, {} images ({} test), {} trials ({} catch),"
                        + " session {} s, SNR {}, background {} fT RMS; built in {} ms",
                seed, subject.channelCount(), subject.sampleRate(), subject.imageIds().size(),
                subject.testImageIds().size(), schedule.size(),
                schedule.stream().filter(StimulusEvent::catchTrial).count(),
                Math.round(subject.durationSeconds()), snr, Math.round(subject.backgroundRms()),
                (System.nanoTime() - t) / 1_000_000);
        Path dir = out != null ? out : defaultOut(io.mindstream.runtime.DataDirs.root(), seed);
        GroundTruthWriter.write(subject, dir);
        double end = duration != null ? duration : subject.durationSeconds();
        if (trials != null && trials < schedule.size()) {
            // stop just before the next trial's onset: trial n−1's responses have finished by then
            double stopAt = schedule.get(trials).onsetSeconds();
            end = duration != null ? Math.min(duration, stopAt) : stopAt;
        }
        SimulationPublisher.Options opts = new SimulationPublisher.Options(name,
                sourceId != null ? sourceId : name + "-seed" + seed,
                speed == 0 ? Double.POSITIVE_INFINITY : speed, end, fmri, chunk, progress);
        SimulationPublisher publisher = new SimulationPublisher(subject, opts);
        AtomicBoolean stop = new AtomicBoolean();
        Thread exporter = fmriExport == null ? null : startExport(subject, end, stop);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                main.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            publisher.run(stop, waitForConsumers);
        } finally {
            if (exporter != null) {
                exporter.join();
            }
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return 0;
    }

    /** Starts the scanner export beside the LSL outlets, same subject, same pacing, volumes j with j × TR < end. */
    private Thread startExport(SimulatedSubject subject, double end, AtomicBoolean stop) {
        long volumes = (long) Math.ceil(end / subject.fmriTr() - 1e-9);
        ScannerExport export = new ScannerExport(fmriExport, format, ScannerExport.gridFor(subject.fmriVoxels()),
                speed == 0 ? Double.POSITIVE_INFINITY : speed, volumes, exportPieces,
                (long) (exportPauseMs * 1e6), java.util.Set.copyOf(withhold), "vol", Double.NaN);
        Thread t = new Thread(() -> {
            try {
                export.run(subject, stop);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.error("fMRI export into {} failed: {}", fmriExport, e.toString(), e);
            }
        }, "fmri-export");
        t.start();
        return t;
    }

    /** {@code <data root>/simulations/seed-<seed>}: the data root every command uses (MINDSTREAM_DATA_DIR first). */
    static Path defaultOut(Path dataRoot, long seed) {
        return dataRoot.resolve("simulations").resolve("seed-" + seed);
    }
}
