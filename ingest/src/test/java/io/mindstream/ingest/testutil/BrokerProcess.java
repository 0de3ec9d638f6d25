package io.mindstream.ingest.testutil;

import io.mindstream.kafka.EmbeddedKafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An embedded broker in a child JVM on a fixed data directory and fixed ports, so a test can SIGKILL it (a real
 * crash: no controlled shutdown, no flushed logs) and start it again on the same data. {@link #main} runs the broker
 * until the process is killed.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final String READY = "BROKER READY";

    private final Path dataDir;
    private final Path logs;
    private final int port;
    private final int controllerPort;
    private Process process;
    private int starts;

    public BrokerProcess(Path dataDir, Path logs) throws IOException {
        this.dataDir = dataDir;
        this.logs = logs;
        this.port = freePort();
        int c;
        do {
            c = freePort();
        } while (c == port);
        this.controllerPort = c;
        Files.createDirectories(logs);
    }

    public String bootstrapServers() {
        return EmbeddedKafka.HOST + ":" + port;
    }

    /** Starts the broker child and waits until it answers (it prints {@value #READY} once it does). */
    public BrokerProcess start() throws IOException, InterruptedException {
        starts++;
        Path out = logs.resolve("broker-" + starts + ".out");
        Path err = logs.resolve("broker-" + starts + ".err");
        process = ChildJvm.start(BrokerProcess.class, List.of(dataDir.toString(), Integer.toString(port),
                Integer.toString(controllerPort)), out, err);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(out).contains(READY)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("broker child exited with " + process.exitValue() + ":\n"
                        + Files.readString(err));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("broker child not ready in 120 s:\n" + Files.readString(err));
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** SIGKILL: the broker dies mid-whatever it was doing. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedKafka.HOST))) {
            return s.getLocalPort();
        }
    }

    /** Child JVM: {@code <data dir> <port> <controller port>}; runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(Path.of(args[0]),
                Integer.parseInt(args[1]), Integer.parseInt(args[2])));
        System.out.println(READY + " " + kafka.bootstrapServers());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
