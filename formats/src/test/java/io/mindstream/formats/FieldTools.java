package io.mindstream.formats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The field's own tools, as Debian installs them: {@code /usr/bin/python3} with nibabel, pydicom and numpy, and
 * {@code dcm2niix}. Tests assume them (JUnit assumptions: skipped, visibly, where they are missing; {@code .ci/run}
 * installs them). Also writes our decoded volumes where {@code compare.py} reads them.
 */
public final class FieldTools {

    public static final Path PYTHON = Path.of("/usr/bin/python3");
    /** The committed fixture scripts. */
    public static final Path SCRIPTS = Path.of("src/test/python").toAbsolutePath();

    private FieldTools() {
    }

    public record Result(int exitCode, String output) {
    }

    public static boolean pythonWithImagingLibraries() {
        try {
            return Files.isExecutable(PYTHON)
                    && run(List.of(PYTHON.toString(), "-c", "import numpy, nibabel, pydicom"), null).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean dcm2niixAvailable() {
        try {
            return run(List.of("dcm2niix", "-h"), null).exitCode == 0; // -v exits 3
        } catch (IOException e) {
            return false;
        }
    }

    public static Result python(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), SCRIPTS.resolve(script).toString()));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    public static Result run(List<String> cmd, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        }
    }

    /**
     * Writes volumes of one file as compare.py reads them: {@code name.f32} (float32 LE, volume after volume, x
     * fastest) and {@code name.txt} (dims, affine, TR).
     */
    public static void dump(Path dir, String name, List<Volume> volumes) throws IOException {
        Geometry g = volumes.get(0).geometry();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * g.voxels() * volumes.size())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (Volume v : volumes) {
            b.asFloatBuffer().put(v.voxels());
            b.position(b.position() + 4 * g.voxels());
        }
        Files.write(dir.resolve(name + ".f32"), b.array());
        StringBuilder aff = new StringBuilder();
        for (double a : g.affine()) {
            aff.append(aff.length() > 0 ? "," : "").append(String.format(Locale.ROOT, "%.10g", a));
        }
        Files.writeString(dir.resolve(name + ".txt"), "dims=" + g.nx() + "," + g.ny() + "," + g.nz() + ","
                + volumes.size() + "\naffine=" + aff + "\ntr=" + volumes.get(0).trSeconds() + "\n");
    }
}
