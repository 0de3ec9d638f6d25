package io.mindstream.formats.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The field's own tools, run at test time: Debian's {@code /usr/bin/python3} with {@code python3-mne} (not the
 * {@code python3} on PATH, which may be a shim without it), and g++ with {@code libxdf-dev}. Tests check
 * availability with JUnit assumptions, so a machine without them skips visibly; {@code .ci/run} installs them.
 */
public final class FieldTools {

    public static final Path PYTHON = Path.of("/usr/bin/python3");
    public static final Path LIBXDF_HEADER = Path.of("/usr/include/xdf.h");

    private FieldTools() {
    }

    /** Result of one run: exit code and combined stdout+stderr. */
    public record Result(int exitCode, String output) {
        public Result orThrow(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " failed (exit " + exitCode + "):\n" + output);
            }
            return this;
        }
    }

    public static boolean mneAvailable() {
        try {
            return Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import mne"), 120).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean libxdfAvailable() {
        try {
            return Files.exists(LIBXDF_HEADER) && run(List.of("g++", "--version"), 30).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies a classpath resource (next to {@code anchor}) to {@code dir} and returns its path. */
    public static Path resource(Class<?> anchor, String name, Path dir) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name + " next to " + anchor.getName());
            }
            Path p = dir.resolve(name);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        }
    }

    /**
     * Reads a FIF file with MNE ({@code read_with_mne.py}): returns the JSON it wrote ({@code ch_names, types,
     * sfreq, first_samp, n_times, events, meas_date, annotations}); the data is in {@code <out>.f64}.
     */
    public static Path readWithMne(Path fif, Path out) throws IOException {
        Path script = resource(FieldTools.class, "read_with_mne.py", out.getParent());
        python(script, fif.toString(), out.toString()).orThrow("MNE reading " + fif);
        return Path.of(out + ".json");
    }

    /**
     * A small MEG recording written by MNE ({@code make_replay_fif.py}): MEG0111, MEG0112, MEG0113, MEG0121, EEG001,
     * STI101 at 500 Hz, 1000 samples from first_samp 500, events 1, 2, 3 at samples 600, 900, 1200, annotations
     * "stim/face" at 0.5 s and "BAD_blink" at 1.5 s.
     */
    public static Path replayFixture(Path dir) throws IOException {
        Path script = resource(FieldTools.class, "make_replay_fif.py", dir);
        Path fif = dir.resolve("replay_raw.fif");
        python(script, fif.toString()).orThrow("MNE writing " + fif);
        return fif;
    }

    /**
     * The same recording as {@link #replayFixture} with a Neuromag acquisition's channel names and types: MEG 0113
     * (grad), MEG 0112 (grad), MEG 0111 (mag), MEG 0122 (grad), EEG 001 (eeg), STI 014 (stim).
     */
    public static Path neuromagFixture(Path dir) throws IOException {
        Path script = resource(FieldTools.class, "make_replay_fif.py", dir);
        Path fif = dir.resolve("neuromag_raw.fif");
        python(script, fif.toString(), "neuromag").orThrow("MNE writing " + fif);
        return fif;
    }

    /** Reads {@code <out>.f64} as written by read_with_mne.py: [channel][sample]. */
    public static double[][] mneData(Path out, int channels, int samples) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of(out + ".f64")))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double[][] d = new double[channels][samples];
        for (double[] row : d) {
            b.asDoubleBuffer().get(row);
            b.position(b.position() + samples * 8);
        }
        return d;
    }

    public static Result python(Path script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, 300);
    }

    public static Result run(List<String> cmd, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        }
    }
}
