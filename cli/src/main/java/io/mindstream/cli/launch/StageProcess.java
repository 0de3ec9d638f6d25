package io.mindstream.cli.launch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline stage (or one broker of a cluster) as its own process: {@code mindstream <command> <args>} in a child JVM with this JVM's class path
 * and flags, as {@code ./mindstream} would start it. A fault drill kills it with SIGKILL ({@link #kill()}) and starts
 * it again with the same arguments ({@link #start()}): same data directories, same group instance id.
 */
public final class StageProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path logDir;
    private final Map<String, String> env;
    private final String heap;
    private volatile Process process;
    private int starts;
    private volatile double cpuBefore;
    private volatile double cpuCurrent;

    /**
     * @param name    what the drill calls it (kafka, ingest, process, decode, display, simulate)
     * @param command the mindstream command and its arguments
     * @param heap    the child's -Xmx
     */
    public StageProcess(String name, List<String> command, Path logDir, Map<String, String> env, String heap) {
        this.name = name;
        this.command = List.copyOf(command);
        this.logDir = logDir;
        this.env = Map.copyOf(env);
        this.heap = heap;
    }

    public String name() {
        return name;
    }

    /** Starts (or starts again) the stage; its output goes to {@code <logDir>/<name>-<n>.log}. */
    public StageProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        starts++;
        cpuBefore += cpuCurrent;
        cpuCurrent = 0;
        Files.createDirectories(logDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the project's JVM flags (telemetry off, Chronicle's opens) as this JVM got them: from the launcher's
        // argfile or Surefire's argLine
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Dai.djl")
                    || a.startsWith("-Djava.io.tmpdir")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx" + heap);
        // an argument file keeps the command line short: ONNX Runtime crashes on command lines over ~4 KB
        Path cp = logDir.resolve("classpath.args");
        if (!Files.exists(cp)) {
            Files.writeString(cp, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n",
                    StandardCharsets.UTF_8);
        }
        cmd.add("@" + cp);
        cmd.add("io.mindstream.cli.Mindstream");
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(logDir.resolve(name + "-" + starts + ".log").toFile());
        process = pb.start();
        return this;
    }

    /** True once it was started (it may have ended since). */
    public boolean started() {
        return starts > 0;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /**
     * Notes the CPU time the running process has used so far (the kernel forgets it once the process is gone, so
     * whoever wants {@link #cpuSeconds()} samples now and then; kill and stop sample first).
     */
    public void sampleCpu() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.info().totalCpuDuration().ifPresent(d -> cpuCurrent = d.toNanos() / 1e9);
        }
    }

    /** CPU seconds (user + system) of every start so far, as last sampled. */
    public double cpuSeconds() {
        return cpuBefore + cpuCurrent;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed; waits until the process is gone. */
    public void kill() throws InterruptedException {
        sampleCpu();
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGSTOP: the process stops where it is, its sockets stay open and unanswered (what its peers see of a network
     * partition). {@link #thaw()} resumes it. Java's {@link Process} sends only SIGTERM and SIGKILL, hence kill(1).
     */
    public void freeze() throws IOException, InterruptedException {
        sampleCpu();
        signal("STOP");
    }

    /** SIGCONT: a frozen process runs on from where it stopped. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(this.name + " is not running: cannot send SIG" + name);
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).redirectErrorStream(true)
                .start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + p.pid() + " (" + this.name + ") failed: " + out);
        }
    }

    /** SIGTERM (a polite stop, as Ctrl-C or systemd would); SIGKILL if it is not gone after {@code graceSeconds}. */
    public int stop(int graceSeconds) throws InterruptedException {
        if (process == null) {
            return -1;
        }
        sampleCpu();
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself; false on timeout. */
    public boolean await(long seconds) throws InterruptedException {
        return process == null || process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** The log of the latest start. */
    public Path log() {
        return logDir.resolve(name + "-" + starts + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            stop(15);
        }
    }
}
