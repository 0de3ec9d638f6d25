package io.mindstream.lsl4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outlet's TCP server (lsl-protocol.md §4, §5): answers {@code LSL:fullinfo}, {@code LSL:shortinfo} and
 * {@code LSL:streamfeed/110} requests. Each accepted connection gets its own thread; a handshake must complete
 * within {@link #HANDSHAKE_TIMEOUT_MS} and at most {@link #MAX_PENDING_HANDSHAKES} may be in progress, so slow or
 * hostile clients cannot pin resources. Protocol 1.00 is refused with {@code 505} (see docs/lsl4j.md).
 */
final class DataServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataServer.class);
    static final int HANDSHAKE_TIMEOUT_MS = 5000;
    static final int MAX_PENDING_HANDSHAKES = 32;
    /** Upper bound on simultaneously streaming consumers of one outlet (each costs a thread and a queue). */
    static final int MAX_CONSUMERS = 512;
    /**
     * How long {@link #close()} lets each feed deliver what its consumer had not yet received when the outlet was
     * closed; a consumer that does not read is cut off after this.
     */
    static final int CLOSE_LINGER_MS = 2000;

    private final StreamOutlet outlet;
    private final LslConfig cfg;
    private final ServerSocket server;
    private final ProblemLog problems;
    private final Semaphore handshakeSlots = new Semaphore(MAX_PENDING_HANDSHAKES);
    private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Connections with a consumer queue (a subset of {@link #sockets}); guarded by itself for close's wait. */
    private final Set<Socket> feeds = new HashSet<>();
    private final Thread acceptThread;
    private volatile boolean closed;

    DataServer(StreamOutlet outlet, LslConfig cfg) throws IOException {
        this.outlet = outlet;
        this.cfg = cfg;
        this.server = Net.bindTcpInRange(cfg);
        this.problems = new ProblemLog(log, "outlet '" + outlet.info().name() + "' data server");
        this.acceptThread = new Thread(this::acceptLoop, "lsl-outlet-accept-" + outlet.info().name());
        acceptThread.setDaemon(true);
    }

    int port() { return server.getLocalPort(); }

    void start() { acceptThread.start(); }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("outlet '{}': accept failed: {}", outlet.info().name(), e.toString());
                    pause(); // e.g. out of file descriptors: do not spin
                }
                continue;
            }
            if (!handshakeSlots.tryAcquire()) {
                problems.report(s.getRemoteSocketAddress(), "too-many-handshakes",
                        "refused a connection: " + MAX_PENDING_HANDSHAKES + " handshakes already pending");
                closeQuietly(s);
                continue;
            }
            sockets.add(s);
            Thread t = new Thread(() -> serve(s), "lsl-outlet-session-" + outlet.info().name());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        SocketAddress peer = s.getRemoteSocketAddress();
        boolean[] slotHeld = {true};
        try {
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            if (cfg.sendSocketBufferSize() > 0) s.setSendBufferSize(cfg.sendSocketBufferSize());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String method = Wire.readLine(in, Wire.MAX_LINE);
            if (method == null) return;
            if (method.equals("LSL:fullinfo")) {
                out.write(outlet.info().toXml().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } else if (method.equals("LSL:shortinfo")) {
                String query = Wire.readLine(in, Wire.MAX_LINE);
                if (query != null && outlet.matches(query)) {
                    out.write(outlet.info().toShortXml().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } else if (method.equals("LSL:streamfeed")) {
                problems.report(peer, "protocol-100",
                        "refused a protocol 1.00 stream request (lsl4j speaks 1.10 only; set UseProtocolVersion=110)");
                out.write(Wire.ascii("LSL/110 505 Version not supported"));
                out.flush();
            } else if (method.startsWith("LSL:streamfeed/")) {
                streamFeed(s, peer, method, in, out, slotHeld);
            } else {
                problems.report(peer, "unknown-request", "ignored an unknown request '" + Wire.abbreviate(method) + "'");
            }
        } catch (SocketTimeoutException e) {
            problems.report(peer, "handshake-timeout", "dropped a client that did not finish its request within "
                    + HANDSHAKE_TIMEOUT_MS + " ms");
        } catch (ProtocolException e) {
            problems.report(peer, e.kind(), "dropped a client: " + e.getMessage());
        } catch (IOException e) {
            if (!closed) log.debug("outlet '{}': connection from {} ended: {}", outlet.info().name(), peer, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (slotHeld[0]) handshakeSlots.release();
            sockets.remove(s);
            closeQuietly(s);
        }
    }

    private void streamFeed(Socket s, SocketAddress peer, String method, InputStream in, OutputStream out,
                            boolean[] slotHeld) throws IOException, InterruptedException {
        StreamInfo info = outlet.info();
        String[] parts = method.split("\\s+");
        int requested = Wire.parseIntHeader("request version", parts[0].substring("LSL:streamfeed/".length()));
        String uid = parts.length > 1 ? parts[1] : "";
        Map<String, String> h = Wire.readHeaders(in);
        if (requested / 100 > StreamInfo.PROTOCOL_VERSION / 100) {
            problems.report(peer, "version", "refused a request for protocol " + requested);
            out.write(Wire.ascii("LSL/110 505 Version not supported"));
            return;
        }
        if (!uid.isEmpty() && !uid.equals(info.uid())) {
            log.debug("outlet '{}': request from {} for uid {} (ours {}): 404", info.name(), peer, uid, info.uid());
            out.write(Wire.ascii("LSL/110 404 Not found"));
            return;
        }
        ChannelFormat f = info.channelFormat();
        int clientVersion = requested;
        if (h.containsKey("protocol-version")) clientVersion = Wire.parseIntHeader("protocol-version", h.get("protocol-version"));
        boolean ieee = !h.containsKey("has-ieee754-floats") || "1".equals(h.get("has-ieee754-floats"));
        boolean subnormals = !h.containsKey("supports-subnormals") || "1".equals(h.get("supports-subnormals"));
        int valueSize = h.containsKey("value-size") ? Wire.parseIntHeader("value-size", h.get("value-size")) : f.valueSize();
        int maxBuffered = h.containsKey("max-buffer-length") ? Wire.parseIntHeader("max-buffer-length", h.get("max-buffer-length")) : 0;
        if (h.containsKey("max-chunk-length")) Wire.parseIntHeader("max-chunk-length", h.get("max-chunk-length"));
        if (h.containsKey("native-byte-order")) Wire.parseIntHeader("native-byte-order", h.get("native-byte-order"));
        if (h.containsKey("endian-performance")) Wire.parseDoubleHeader("endian-performance", h.get("endian-performance"));
        int dataVersion = Math.min(StreamInfo.PROTOCOL_VERSION, clientVersion);
        if (f != ChannelFormat.STRING && valueSize != f.valueSize()) dataVersion = 100;
        if (!ieee) dataVersion = 100;
        if (dataVersion < 110) {
            problems.report(peer, "protocol-100", "refused a stream request that needs protocol 1.00 (client value size "
                    + valueSize + ", IEEE floats " + ieee + ", version " + clientVersion + "); lsl4j speaks 1.10 only");
            out.write(Wire.ascii("LSL/110 505 Version not supported"));
            return;
        }
        boolean suppress = (f == ChannelFormat.FLOAT32 || f == ChannelFormat.DOUBLE64) && !subnormals;
        // The consumer is registered before the response goes out: once the inlet has read the handshake (its open()
        // has returned), every sample pushed from then on is in its queue. Samples pushed during the handshake wait
        // in the queue and follow the test patterns.
        ConsumerQueue q = null;
        if (maxBuffered > 0) {
            if (outlet.consumerCount() >= MAX_CONSUMERS) {
                problems.report(peer, "too-many-consumers", "closed a feed: " + MAX_CONSUMERS + " consumers already connected");
            } else {
                synchronized (feeds) {
                    feeds.add(s);
                }
                q = outlet.addConsumer(maxBuffered);
            }
        }
        try {
            // We always send our native little-endian order; the client must obey Byte-Order (§5.2 rule 3 allows it).
            String response = "LSL/110 200 OK\r\nUID: " + info.uid() + "\r\nByte-Order: 1234\r\nSuppress-Subnormals: "
                    + (suppress ? 1 : 0) + "\r\nData-Protocol-Version: " + dataVersion + "\r\n\r\n";
            out.write(Wire.ascii(response));
            out.write(Wire.testPattern(f, info.channelCount(), 4));
            out.write(Wire.testPattern(f, info.channelCount(), 2));
            out.flush();
            handshakeSlots.release();
            slotHeld[0] = false;
            if (q == null) return;
            log.debug("outlet '{}': consumer {} connected (buffer {} samples)", info.name(), peer, maxBuffered);
            byte[] buf = new byte[Math.max(65536, 2 * (9 + info.sampleBytes()))];
            while (true) {
                int n = q.drainTo(buf, 500);
                if (n < 0) {
                    buf = new byte[-n * 2];
                } else if (n > 0) {
                    out.write(buf, 0, n);
                } else if (q.isClosed() || closed || clientHasLeft(s, in)) {
                    // a closed queue is only left once empty: what was pushed before the outlet closed is delivered
                    break;
                }
            }
        } finally {
            if (q != null) {
                outlet.removeConsumer(q);
                synchronized (feeds) {
                    feeds.remove(s);
                    feeds.notifyAll();
                }
                log.debug("outlet '{}': consumer {} disconnected ({} samples dropped)", info.name(), peer, q.dropped());
            }
        }
    }

    /**
     * Inlets never send anything after their request, so while the stream is idle a read that sees EOF means the
     * client has gone: drop it now rather than at the next push (keeps {@code haveConsumers()} truthful).
     */
    private static boolean clientHasLeft(Socket s, InputStream in) throws IOException {
        s.setSoTimeout(1);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /**
     * Stops accepting, lets every feed deliver what its (already closed) consumer queue still holds for up to
     * {@link #CLOSE_LINGER_MS}, then closes all connections. The outlet closes the queues first, so feeds end as
     * soon as they are drained.
     */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        long deadline = System.nanoTime() + CLOSE_LINGER_MS * 1_000_000L;
        synchronized (feeds) {
            try {
                long left;
                while (!feeds.isEmpty() && (left = (deadline - System.nanoTime()) / 1_000_000L) > 0) feeds.wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!feeds.isEmpty())
                log.warn("outlet '{}': {} consumer(s) did not take the rest of their data within {} ms; cut off",
                        outlet.info().name(), feeds.size(), CLOSE_LINGER_MS);
        }
        for (Socket s : sockets) closeQuietly(s);
    }
}
