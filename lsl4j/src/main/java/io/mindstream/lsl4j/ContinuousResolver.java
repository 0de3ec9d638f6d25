package io.mindstream.lsl4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps resolving in the background (liblsl's continuous_resolver) and answers "which streams are out there right
 * now": streams not heard from within {@code forgetAfter} seconds drop out of {@link #results()}.
 */
public final class ContinuousResolver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContinuousResolver.class);
    private final LslConfig cfg;
    private final String query;
    private final double forgetAfter;
    private final Map<String, StreamInfo> infos = new LinkedHashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /** All streams of this session, forgotten 5 s after their last reply. */
    public ContinuousResolver() {
        this(LslConfig.load(), null, 5.0);
    }

    /**
     * @param predicate XPath predicate (null or blank = all streams of the session)
     * @param forgetAfterSeconds how long a silent stream stays in the results
     */
    public ContinuousResolver(LslConfig cfg, String predicate, double forgetAfterSeconds) {
        this.cfg = cfg;
        String session = "session_id='" + cfg.sessionId() + "'";
        this.query = predicate == null || predicate.isBlank() ? session : session + " and " + predicate;
        this.forgetAfter = forgetAfterSeconds;
        this.thread = new Thread(this::loop, "lsl-continuous-resolver");
        thread.setDaemon(true);
        thread.start();
    }

    /** Convenience: streams whose {@code property} equals {@code value}. */
    public static ContinuousResolver byProperty(LslConfig cfg, String property, String value, double forgetAfterSeconds) {
        return new ContinuousResolver(cfg, property + "='" + value + "'", forgetAfterSeconds);
    }

    private void loop() {
        try (ResolveAttempt a = new ResolveAttempt(cfg, query)) {
            Map<String, StreamInfo> seen = new HashMap<>();
            long nextUni = System.nanoTime() + 500_000_000L;
            long interval = (long) ((cfg.multicastMinRtt() + cfg.continuousResolveInterval()) * 1e9);
            while (!closed) {
                a.sendMulticastWave();
                long now = System.nanoTime();
                if (a.hasKnownPeers() && now >= nextUni) {
                    a.sendUnicastWave();
                    nextUni = now + (long) ((cfg.unicastMinRtt() + cfg.continuousResolveInterval()) * 1e9);
                }
                seen.clear();
                a.receiveUntil(now + Math.max(interval, 50_000_000L), seen, si -> { });
                long t = System.nanoTime();
                synchronized (infos) {
                    for (StreamInfo si : seen.values()) {
                        infos.putIfAbsent(si.uid(), si);
                        lastSeen.put(si.uid(), t);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("continuous resolver could not open a UDP socket: {}", e.toString());
        }
    }

    /** Streams heard from within the forget window (newest information per uid). */
    public List<StreamInfo> results() {
        long now = System.nanoTime();
        List<StreamInfo> out = new ArrayList<>();
        synchronized (infos) {
            infos.entrySet().removeIf(e -> {
                Long t = lastSeen.get(e.getKey());
                boolean stale = t == null || (now - t) > forgetAfter * 1e9;
                if (stale) lastSeen.remove(e.getKey());
                return stale;
            });
            out.addAll(infos.values());
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
