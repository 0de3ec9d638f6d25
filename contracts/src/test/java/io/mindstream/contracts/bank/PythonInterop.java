package io.mindstream.contracts.bank;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs snippets with Debian's {@code /usr/bin/python3} (the interpreter that has numpy; the {@code python3} on PATH
 * may be a pyenv shim without it). Tests use {@link #numpyAvailable()} with JUnit assumptions, so they are skipped,
 * visibly, on machines without numpy.
 */
public final class PythonInterop {

    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private PythonInterop() {
    }

    public static boolean numpyAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            return run(List.of("-c", "import numpy")).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Result of one interpreter run: exit code and combined stdout+stderr. */
    public record Result(int exitCode, String output) {
    }

    public static Result run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python timed out: " + cmd);
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
