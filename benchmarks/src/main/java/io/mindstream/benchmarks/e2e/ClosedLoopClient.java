package io.mindstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * A stimulus client's view of the closed loop: an lsl4j inlet on the decoder's results outlet (JSON samples), noting
 * the wall-clock time (µs) each result arrived, by epoch id, so the harness can join it to the page's trace of the
 * same result. The first arrival of an id is kept (the outlet is at least once).
 */
final class ClosedLoopClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClosedLoopClient.class);

    private final StreamInlet inlet;
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private ClosedLoopClient(StreamInlet inlet) {
        this.inlet = inlet;
        this.thread = new Thread(this::receive, "closed-loop-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Resolves the outlet named {@code name} (up to 30 s) and connects to it. */
    static ClosedLoopClient connect(String name) throws TimeoutException {
        List<StreamInfo> found = Resolver.resolveByProperty("name", name, 1, 30);
        if (found.isEmpty()) {
            throw new IllegalStateException("no LSL outlet named " + name + " within 30 s");
        }
        StreamInlet inlet = new StreamInlet(found.get(0));
        inlet.open(10);
        log.info("closed-loop client: connected to LSL outlet {}", name);
        return new ClosedLoopClient(inlet);
    }

    private void receive() {
        ObjectMapper json = new ObjectMapper();
        String[] sample = new String[1];
        while (!closed) {
            try {
                if (inlet.pullSample(sample, 0.2) == 0) {
                    continue;
                }
                long now = TraceStamps.nowMicros();
                JsonNode n = json.readTree(sample[0]);
                received.putIfAbsent(n.get("epochId").asText(), now);
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("closed-loop client: {}", e.toString());
                }
            }
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
        closed = true;
        thread.join(2000);
        inlet.close();
    }
}
