package io.mindstream.lsl4j;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs each kind of problem once per peer at WARN (later repeats at DEBUG), so a misbehaving or hostile peer
 * cannot flood the log. The remembered set is bounded (oldest forgotten first), so it cannot grow without limit.
 */
final class ProblemLog {
    private static final int MAX_REMEMBERED = 1024;
    private final Logger log;
    private final String component;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    ProblemLog(Logger log, String component) {
        this.log = log;
        this.component = component;
    }

    /** @param peer address of the peer (host or host:port); @param kind a stable problem key; @param detail text */
    void report(Object peer, String kind, String detail) {
        String host = hostOf(peer);
        boolean first;
        synchronized (seen) {
            first = seen.put(host + '|' + kind, Boolean.TRUE) == null;
        }
        if (first) log.warn("{}: {} from peer {} (further '{}' problems from this peer are logged at DEBUG)",
                component, detail, peer, kind);
        else log.debug("{}: {} from peer {}", component, detail, peer);
    }

    private static String hostOf(Object peer) {
        if (peer instanceof java.net.InetSocketAddress isa) {
            return isa.getAddress() == null ? isa.getHostString() : isa.getAddress().getHostAddress();
        }
        if (peer instanceof java.net.InetAddress ia) return ia.getHostAddress();
        return String.valueOf(peer);
    }
}
