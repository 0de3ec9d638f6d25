package io.mindstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stimulus client's view of the closed loop: an lsl4j inlet on the decoder's results outlet (JSON samples), noting
 * the wall-clock time (µs) each result arrived, by epoch id, so the harness can join it to the page's trace of the
 * same result. The first arrival of an id is kept (the outlet is at least once).
 *
 * <p>The client runs in <b>its own JVM</b>, as stimulus software would: {@link #spawn} starts this class's
 * {@link #main} as a child process on the harness's class path, which prints one line per result ({@code epochId TAB
 * µs}) on its standard output; the harness reads them. Its garbage collector, JIT and threads are not the pipeline's,
 * and both JVMs stamp with the same wall clock ({@link TraceStamps#nowMicros}) on one host.
 */
final class ClosedLoopClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClosedLoopClient.class);
    private static final String READY = "ready";

    private final Process process;
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;

    private ClosedLoopClient(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "closed-loop-client-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the client JVM on the outlet named {@code name} and waits (up to 60 s) until its inlet is open. */
    static ClosedLoopClient spawn(String name) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true",
                "-Dchronicle.analytics.disable=true", "-cp", System.getProperty("java.class.path"),
                ClosedLoopClient.class.getName(), name));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ClosedLoopClient client = new ClosedLoopClient(p);
        if (!client.ready.await(60, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("the closed-loop client JVM did not connect to LSL outlet " + name
                    + " within 60 s");
        }
        log.info("closed-loop client: its own JVM (pid {}) connected to LSL outlet {}", p.pid(), name);
        return client;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals(READY)) {
                    ready.countDown();
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    received.putIfAbsent(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("closed-loop client output: {}", e.toString());
        }
    }

    /** When the result of {@code epochId} arrived (µs since the epoch), or 0 if it did not. */
    long receivedMicros(String epochId) {
        Long t = received.get(epochId);
        return t == null ? 0 : t;
    }

    int count() {
        return received.size();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the client exits at once
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(2000);
    }

    /**
     * The client JVM: resolves the outlet named {@code args[0]} (up to 30 s), opens an inlet, prints {@code ready},
     * then one {@code epochId TAB µs} line per result as it arrives, until killed.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ClosedLoopClient OUTLET_NAME");
            System.exit(2);
        }
        List<StreamInfo> found = Resolver.resolveByProperty("name", args[0], 1, 30);
        if (found.isEmpty()) {
            System.err.println("closed-loop client: no LSL outlet named " + args[0] + " within 30 s");
            System.exit(1);
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        String[] sample = new String[1];
        try (StreamInlet inlet = new StreamInlet(found.get(0))) {
            inlet.open(10);
            out.println(READY);
            while (true) {
                if (inlet.pullSample(sample, 0.2) == 0) {
                    continue;
                }
                long now = TraceStamps.nowMicros();
                try {
                    JsonNode n = json.readTree(sample[0]);
                    out.println(n.get("epochId").asText() + "\t" + now);
                } catch (IOException | RuntimeException e) {
                    System.err.println("closed-loop client: " + e);
                }
            }
        }
    }
}
