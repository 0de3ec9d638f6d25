package io.mindstream.lsl4j;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP discovery session (lsl-protocol.md §2): sends {@code LSL:shortinfo} query waves to every discovery
 * address (multicast via each interface, broadcast, unicast) and, with KnownPeers, to every port of the range on
 * each peer; collects replies whose query id matches, fills {@code v4address} from the reply's source and
 * de-duplicates by uid.
 */
final class ResolveAttempt implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResolveAttempt.class);
    private final LslConfig cfg;
    private final String query;
    private final String queryId;
    private final MulticastSocket socket;
    private final byte[] message;
    private final ProblemLog problems = new ProblemLog(log, "resolver");
    private final List<InetSocketAddress> unicastTargets = new ArrayList<>();
    private final List<InetSocketAddress> multicastTargets = new ArrayList<>();
    private final List<InetSocketAddress> peerTargets = new ArrayList<>();
    private final List<NetworkInterface> interfaces;

    ResolveAttempt(LslConfig cfg, String query) throws IOException {
        this.cfg = cfg;
        this.query = query;
        this.queryId = Integer.toUnsignedString(query.hashCode() ^ (int) System.nanoTime());
        this.socket = new MulticastSocket(new InetSocketAddress(0));
        socket.setBroadcast(true);
        socket.setTimeToLive(Math.min(255, Math.max(cfg.ttl(), 0)));
        socket.setSoTimeout(20);
        this.message = ("LSL:shortinfo\r\n" + query + "\r\n" + socket.getLocalPort() + " " + queryId + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        this.interfaces = Net.multicastInterfaces(cfg);
        for (String a : cfg.discoveryAddresses()) {
            try {
                InetSocketAddress t = new InetSocketAddress(InetAddress.getByName(a), cfg.multicastPort());
                if (t.getAddress().isMulticastAddress()) multicastTargets.add(t);
                else unicastTargets.add(t);
            } catch (IOException e) {
                log.debug("skipping discovery address {}: {}", a, e.toString());
            }
        }
        for (String peer : cfg.knownPeers()) {
            try {
                InetAddress addr = InetAddress.getByName(peer);
                for (int p = cfg.basePort(); p < cfg.basePort() + cfg.portRange(); p++)
                    peerTargets.add(new InetSocketAddress(addr, p));
            } catch (IOException e) {
                log.warn("KnownPeers: cannot resolve host '{}': {}", peer, e.getMessage());
            }
        }
    }

    /** Sends one multicast/broadcast/unicast wave. */
    void sendMulticastWave() {
        for (InetSocketAddress t : unicastTargets) send(t);
        for (InetSocketAddress t : multicastTargets) {
            for (NetworkInterface ni : interfaces) {
                try {
                    socket.setNetworkInterface(ni);
                    send(t);
                } catch (IOException e) {
                    log.debug("cannot send multicast via {}: {}", ni.getName(), e.toString());
                }
            }
        }
    }

    /** Sends one unicast wave to every port of the range of every KnownPeer. */
    void sendUnicastWave() {
        for (InetSocketAddress t : peerTargets) send(t);
    }

    boolean hasKnownPeers() { return !peerTargets.isEmpty(); }

    private void send(InetSocketAddress t) {
        try {
            socket.send(new DatagramPacket(message, message.length, t));
        } catch (IOException e) {
            log.trace("discovery datagram to {} failed: {}", t, e.toString());
        }
    }

    /** Receives replies until {@code untilNanos}; each new stream (by uid) goes to {@code sink}. */
    void receiveUntil(long untilNanos, Map<String, StreamInfo> seen, Consumer<StreamInfo> sink) {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (System.nanoTime() < untilNanos) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            StreamInfo si = parseReply(p);
            if (si == null) continue;
            if (!seen.containsKey(si.uid())) {
                seen.put(si.uid(), si);
                sink.accept(si);
            } else {
                sink.accept(null);
            }
        }
    }

    private StreamInfo parseReply(DatagramPacket p) {
        String msg = new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8);
        int lf = msg.indexOf('\n');
        if (lf < 0) {
            problems.report(p.getSocketAddress(), "bad-reply", "discovery reply without an id line");
            return null;
        }
        if (!msg.substring(0, lf).strip().equals(queryId)) return null;
        try {
            StreamInfo si = StreamInfo.fromXml(msg.substring(lf + 1));
            if (!si.validForWire()) {
                problems.report(p.getSocketAddress(), "bad-reply", "discovery reply with an invalid stream info (empty uid or version)");
                return null;
            }
            if (si.v4address().isEmpty()) si.v4address(p.getAddress().getHostAddress());
            return si;
        } catch (IllegalArgumentException e) {
            problems.report(p.getSocketAddress(), "bad-reply", "unparsable discovery reply: " + e.getMessage());
            return null;
        }
    }

    /**
     * A complete one-shot resolve: waves every MulticastMinRTT and, with KnownPeers, unicast waves to every port of
     * the range every UnicastMinRTT, the first of both at once; ending once {@code minimum} streams are known and
     * {@code minTime} has passed, or at {@code timeout}. A unicast wave is the only way to reach every outlet on a
     * peer (a unicast datagram to the shared multicast port reaches one socket of many), so the answer waits until
     * the last wave sent has had {@link #UNICAST_GRACE_NANOS} to be answered: otherwise a busy machine's outlets
     * answer just after the caller was told they do not exist.
     */
    static List<StreamInfo> resolve(LslConfig cfg, String query, int minimum, double timeout, double minTime) {
        Map<String, StreamInfo> seen = new LinkedHashMap<>();
        long start = System.nanoTime();
        long end = start + (long) (Math.max(0, timeout) * 1e9);
        long minEnd = start + (long) (Math.max(0, minTime) * 1e9);
        try (ResolveAttempt a = new ResolveAttempt(cfg, query)) {
            long nextMulti = start;
            long nextUni = start;
            long lastUni = Long.MIN_VALUE;
            while (true) {
                long now = System.nanoTime();
                if (now >= nextMulti && now < end) {
                    a.sendMulticastWave();
                    nextMulti = now + (long) (Math.max(0.05, cfg.multicastMinRtt()) * 1e9);
                }
                if (a.hasKnownPeers() && now >= nextUni && now < end) {
                    a.sendUnicastWave();
                    lastUni = now;
                    nextUni = now + (long) (Math.max(0.05, cfg.unicastMinRtt()) * 1e9);
                }
                // the last unicast wave's answers are waited for, even past the timeout
                long finish = a.hasKnownPeers() ? Math.max(end, lastUni + UNICAST_GRACE_NANOS) : end;
                long until = Math.min(Math.min(nextMulti, a.hasKnownPeers() ? nextUni : Long.MAX_VALUE), finish);
                a.receiveUntil(Math.max(until, System.nanoTime() + 1_000_000L), seen, si -> { });
                now = System.nanoTime();
                if (minimum > 0 && seen.size() >= minimum && now >= minEnd) break;
                if (now >= finish) break;
            }
        } catch (IOException e) {
            log.warn("LSL resolve failed to open a UDP socket: {}", e.toString());
        }
        return new ArrayList<>(seen.values());
    }

    /** How long the replies to a unicast wave are awaited (a busy machine answers late). */
    static final long UNICAST_GRACE_NANOS = 500_000_000L;

    @Override
    public void close() {
        socket.close();
    }
}
