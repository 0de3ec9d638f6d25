package io.mindstream.cli.process;

import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.calibration.CalibrationFile;
import io.mindstream.processor.dsp.FilterSettings;
import io.mindstream.processor.epoch.EpochRule;
import io.mindstream.processor.fmri.FmriSettings;
import io.mindstream.processor.fmri.VoxelMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The processing options {@code ./mindstream process} and {@code ./mindstream epochs --offline} share (a picocli
 * mixin), so an offline run is configured exactly like the live one it reproduces.
 */
public final class ProcessorOptions {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorOptions.class);
    /** The defaults shown and used: {@link ProcessorConfig#defaults()}'s, never restated here. */
    private static final ProcessorConfig D = ProcessorConfig.defaults();

    @Option(names = "--epoch", paramLabel = "RULE",
            description = "Which markers cut epochs: label:PREFIX:TMIN:TMAX, code:N:TMIN:TMAX or PREFIX:TMIN:TMAX "
                    + "(repeatable; first match wins; default: onset:-0.5:1.0).")
    List<String> epochRules = new ArrayList<>();

    @Option(names = "--band", paramLabel = "LOW:HIGH",
            description = "Causal Butterworth band-pass in Hz (0 on a side disables it; default: ${DEFAULT-VALUE}).")
    String band = pair(D.filter().highPassHz(), D.filter().lowPassHz());

    @Option(names = "--line-frequency", paramLabel = "HZ",
            description = "Mains frequency notched with its harmonics below Nyquist (0: none; default: "
                    + "${DEFAULT-VALUE}).")
    double lineHz = D.filter().lineHz();

    @Option(names = "--rate", paramLabel = "HZ",
            description = "Output rate after anti-aliased decimation (integer factor of the input rate; default: "
                    + "${DEFAULT-VALUE}).")
    double rate = D.filter().targetRateHz();

    @Option(names = "--no-baseline", description = "Do not subtract the pre-onset mean per channel.")
    boolean noBaseline;

    @Option(names = "--clamp", paramLabel = "LIMIT",
            description = "Clamp scaled values to ±LIMIT (0: off; default: ${DEFAULT-VALUE}).")
    double clamp = D.clamp();

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "Frozen scaler statistics: used from the start if FILE exists; otherwise fitted on the first "
                    + "--calibration-epochs epochs and written to FILE.")
    Path calibrationFile;

    @Option(names = "--calibration-epochs", paramLabel = "N",
            description = "Marker epochs per stream the robust scaler is fitted on (default: ${DEFAULT-VALUE}).")
    int calibrationEpochs = D.calibrationEpochs();

    @Option(names = "--windows", description = "Also emit sliding windows (--window-length every --window-step) "
            + "to the windows topic: 20 per second per session at the defaults, each decoded by the window model "
            + "(--decode here, or a 'decode --topic epochs,windows' stage). Off by default: they cost the decoder 20 "
            + "inferences per second per session, and only closed-loop and time-resolved work needs them.")
    boolean windows;

    @Option(names = "--window-length", paramLabel = "SECONDS",
            description = "Sliding window length (default: ${DEFAULT-VALUE}).")
    double windowLength = D.windowSeconds();

    @Option(names = "--window-step", paramLabel = "SECONDS",
            description = "Sliding window hop (default: ${DEFAULT-VALUE}).")
    double windowStep = D.windowStepSeconds();

    @Option(names = "--buffer", paramLabel = "SECONDS",
            description = "Recent data kept per stream: how late a marker may arrive (default: ${DEFAULT-VALUE}).")
    double bufferSeconds = D.bufferSeconds();

    @Option(names = "--max-hold", paramLabel = "SECONDS",
            description = "How much later data of a stream may wait behind a hole in its sequence numbers for the "
                    + "missing records (still in flight, e.g. after a broker outage) before they are given up as "
                    + "lost and logged; bounds memory (default: ${DEFAULT-VALUE}). Holes that ingest marked as lost "
                    + "at the source never wait.")
    double maxHoldSeconds = D.maxHoldSeconds();

    @Option(names = "--voxel-mask", paramLabel = "FILE",
            description = "fMRI voxels to keep: a NIfTI-1 mask (.nii, .nii.gz, .hdr/.img) or a text file of indices. "
                    + "A NIfTI mask must be on the stream's grid: per axis, voxel size and affine against the "
                    + "geometry on raw.streams, else the voxel count; a stream it does not fit is refused.")
    Path voxelMask;

    @Option(names = "--hrf-window", paramLabel = "START:END",
            description = "fMRI: seconds after a stimulus whose volumes are averaged (default: ${DEFAULT-VALUE}).")
    String hrfWindow = pair(D.fmri().hrfStartSeconds(), D.fmri().hrfEndSeconds());

    @Option(names = "--tr-window", paramLabel = "VOLUMES",
            description = "fMRI: volumes in the per-TR sliding window (default: ${DEFAULT-VALUE}).")
    int trWindow = D.fmri().trWindowVolumes();

    /** Builds the typed configuration; a bad value is a {@link CommandLine.ParameterException} (exit 2). */
    public ProcessorConfig toConfig(CommandLine cmd) {
        try {
            ProcessorConfig c = ProcessorConfig.defaults();
            if (!epochRules.isEmpty()) {
                c = c.withEpochRules(epochRules.stream().map(EpochRule::parse).toList());
            }
            double[] b = pair(band, "--band");
            FilterSettings fd = D.filter();
            c = c.withFilter(new FilterSettings(b[0], b[1], fd.order(), lineHz, fd.notchHarmonics(), fd.notchQ(), rate));
            c = c.withBaseline(!noBaseline).withClamp(clamp).withCalibrationEpochs(calibrationEpochs)
                    .withWindows(windows, windowLength, windowStep)
                    .withTimeRules(bufferSeconds, maxHoldSeconds, D.maxGapSeconds());
            double[] h = pair(hrfWindow, "--hrf-window");
            FmriSettings f = FmriSettings.defaults().withWindow(h[0], h[1], trWindow);
            if (voxelMask != null) {
                f = f.withMask(VoxelMask.load(voxelMask));
            }
            c = c.withFmri(f);
            if (calibrationFile != null && Files.exists(calibrationFile)) {
                Calibration cal = CalibrationFile.read(calibrationFile);
                LOG.info("Using frozen calibration {} from {}", cal.id(), calibrationFile);
                c = c.withCalibration(cal);
            }
            return c;
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
    }

    /**
     * Writes the first live-fitted calibration to {@code --calibration} when that file did not exist (later fits,
     * e.g. of other sessions, are logged only).
     */
    public Consumer<Calibration> calibrationWriter() {
        AtomicBoolean written = new AtomicBoolean(calibrationFile == null || Files.exists(calibrationFile));
        return cal -> {
            if (written.compareAndSet(false, true)) {
                try {
                    CalibrationFile.write(cal, calibrationFile);
                    LOG.info("Calibration {} written to {}", cal.id(), calibrationFile);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write calibration " + calibrationFile, e);
                }
            }
        };
    }

    /** {@code A:B} as {@link #pair(String, String)} reads it, without trailing zeros. */
    private static String pair(double a, double b) {
        return java.math.BigDecimal.valueOf(a).stripTrailingZeros().toPlainString() + ":"
                + java.math.BigDecimal.valueOf(b).stripTrailingZeros().toPlainString();
    }

    private static double[] pair(String s, String option) {
        String[] p = s.split(":");
        if (p.length != 2) {
            throw new IllegalArgumentException(option + " expects A:B, got '" + s + "'");
        }
        try {
            return new double[]{Double.parseDouble(p[0]), Double.parseDouble(p[1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects two numbers A:B, got '" + s + "'");
        }
    }
}
