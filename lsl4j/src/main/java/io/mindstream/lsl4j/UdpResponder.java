package io.mindstream.lsl4j;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP responder of an outlet (lsl-protocol.md §2, §6). The service socket (inside the port range) answers
 * {@code LSL:shortinfo} queries and {@code LSL:timedata} probes; the discovery responder on the multicast port
 * (shared through SO_REUSEADDR, joined to the scope's multicast groups) answers only shortinfo queries.
 * Replies go out from the socket that received the query. Malformed datagrams are logged once per peer.
 */
final class UdpResponder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpResponder.class);
    private final StreamOutlet outlet;
    private final DatagramSocket socket;
    private final boolean timeServices;
    private final ProblemLog problems;
    private final Thread thread;
    private volatile boolean closed;

    private UdpResponder(StreamOutlet outlet, DatagramSocket socket, boolean timeServices, String role) {
        this.outlet = outlet;
        this.socket = socket;
        this.timeServices = timeServices;
        this.problems = new ProblemLog(log, "outlet '" + outlet.info().name() + "' " + role);
        this.thread = new Thread(this::loop, "lsl-outlet-" + role + "-" + outlet.info().name());
        thread.setDaemon(true);
    }

    /** The service socket: a UDP port inside BasePort..BasePort+PortRange-1. */
    static UdpResponder service(StreamOutlet outlet, LslConfig cfg) throws IOException {
        return new UdpResponder(outlet, Net.bindUdpInRange(cfg), true, "service");
    }

    /** The discovery responder on the multicast port, joined to every multicast group of the scope. */
    static UdpResponder discovery(StreamOutlet outlet, LslConfig cfg) throws IOException {
        MulticastSocket ms = new MulticastSocket(null);
        ms.setReuseAddress(true);
        InetAddress bindAddr = cfg.listenAddress().isEmpty() ? null : InetAddress.getByName(cfg.listenAddress());
        ms.bind(new InetSocketAddress(bindAddr, cfg.multicastPort()));
        for (String group : cfg.discoveryAddresses()) {
            if (!Net.isMulticast(group)) continue;
            InetSocketAddress g = new InetSocketAddress(InetAddress.getByName(group), cfg.multicastPort());
            for (NetworkInterface ni : Net.multicastInterfaces(cfg)) {
                try {
                    ms.joinGroup(g, ni);
                } catch (IOException e) {
                    log.debug("could not join {} on {}: {}", group, ni.getName(), e.toString());
                }
            }
        }
        return new UdpResponder(outlet, ms, false, "discovery");
    }

    int port() { return socket.getLocalPort(); }

    void start() { thread.start(); }

    private void loop() {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                double t1 = LslClock.localClock();
                handle(p, t1);
            } catch (IOException e) {
                if (!closed) log.debug("outlet '{}': UDP receive failed: {}", outlet.info().name(), e.toString());
            } catch (RuntimeException e) {
                problems.report(p.getSocketAddress(), "internal", "could not handle a datagram: " + e);
            }
        }
    }

    private void handle(DatagramPacket p, double t1) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) p.getSocketAddress();
        if (!(peer.getAddress() instanceof java.net.Inet4Address)) {
            // lsl4j publishes IPv4 ports only: answering over IPv6 would make a liblsl resolver record a v6 address
            // whose ports are 0 (Java's dual-stack sockets show IPv4 senders as Inet4Address)
            log.debug("outlet '{}': ignored an IPv6 datagram from {}", outlet.info().name(), peer);
            return;
        }
        String msg = new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.ISO_8859_1);
        String[] lines = msg.split("\n", -1);
        String method = lines[0].strip();
        if (method.equals("LSL:shortinfo")) {
            if (lines.length < 3) {
                problems.report(peer, "bad-query", "malformed shortinfo query (needs query and return-port lines)");
                return;
            }
            String query = lines[1].strip();
            String[] tok = lines[2].strip().split("\\s+");
            if (tok.length < 2) {
                problems.report(peer, "bad-query", "shortinfo query without '<return-port> <query-id>'");
                return;
            }
            int port;
            try {
                port = Integer.parseInt(tok[0]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                problems.report(peer, "bad-query", "shortinfo query with invalid return port '" + Wire.abbreviate(tok[0]) + "'");
                return;
            }
            if (!outlet.matches(query)) return;
            byte[] reply = (tok[1] + "\r\n" + outlet.info().toShortXml()).getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(reply, reply.length, peer.getAddress(), port));
        } else if (timeServices && method.equals("LSL:timedata")) {
            String[] tok = lines.length > 1 ? lines[1].strip().split("\\s+") : new String[0];
            if (tok.length < 2) {
                problems.report(peer, "bad-timedata", "malformed time probe (needs '<wave-id> <t0>')");
                return;
            }
            try {
                Integer.parseInt(tok[0]);
                Double.parseDouble(tok[1]);
            } catch (NumberFormatException e) {
                problems.report(peer, "bad-timedata", "time probe with non-numeric wave id or t0");
                return;
            }
            String reply = " " + tok[0] + " " + tok[1] + " " + t1 + " " + LslClock.localClock();
            byte[] b = Wire.ascii(reply);
            socket.send(new DatagramPacket(b, b.length, peer));
        } else {
            problems.report(peer, "unknown-datagram", "ignored a datagram starting with '"
                    + Wire.abbreviate(method.replaceAll("[^\\x20-\\x7e]", "?")) + "'");
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
