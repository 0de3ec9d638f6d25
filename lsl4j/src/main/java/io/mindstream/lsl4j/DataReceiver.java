package io.mindstream.lsl4j;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inlet's data connection (lsl-protocol.md §5, liblsl data_receiver.cpp): sends the 1.10 feed request, checks
 * the response and the two test patterns, then decodes samples into the {@link SampleBuffer}, deducing tag-1
 * timestamps as previous + 1/srate. On connection loss it reconnects or, with recovery, re-resolves the stream by
 * its source_id (a restarted outlet has a new uid); without recovery the stream is marked lost.
 */
final class DataReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataReceiver.class);
    static final int CONNECT_TIMEOUT_MS = 5000;
    static final int HANDSHAKE_TIMEOUT_MS = 10000;

    private final StreamInlet inlet;
    private final LslConfig cfg;
    private final SampleBuffer buffer;
    private final int maxBufferedSamples;
    private final int maxChunk;
    private final boolean recover;
    private final ProblemLog problems;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile boolean connected;
    private volatile String failure;

    DataReceiver(StreamInlet inlet, LslConfig cfg, SampleBuffer buffer, int maxBufferedSamples, int maxChunk, boolean recover) {
        this.inlet = inlet;
        this.cfg = cfg;
        this.buffer = buffer;
        this.maxBufferedSamples = maxBufferedSamples;
        this.maxChunk = maxChunk;
        this.recover = recover;
        this.problems = new ProblemLog(log, "inlet '" + inlet.target().name() + "'");
        this.thread = new Thread(this::run, "lsl-inlet-" + inlet.target().name());
        thread.setDaemon(true);
    }

    void start() { thread.start(); }

    boolean isConnected() { return connected; }

    /** Waits until the first handshake succeeded; false on timeout or loss. */
    synchronized boolean awaitConnected(double timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (!connected && failure == null && !closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return false;
            wait(Math.min(left, 100));
        }
        return connected;
    }

    String failure() { return failure; }

    private void run() {
        while (!closed) {
            StreamInfo target = inlet.target();
            String outcome;
            ProtocolException problem = null;
            try {
                stream(target);
                outcome = "the outlet closed the connection";
            } catch (InterruptedIOException e) {
                if (closed) break;
                outcome = e.getMessage();
            } catch (ProtocolException e) {
                problem = e;
                outcome = e.getMessage();
            } catch (EOFException e) {
                outcome = "the outlet closed the connection";
            } catch (IOException e) {
                outcome = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            connected = false;
            if (closed) break;
            if (recover && !target.sourceId().isEmpty()) {
                // liblsl inlet_connection::try_recover_from_error: re-resolve by source_id, retry every 500 ms.
                if (problem != null) problems.report(peerOf(target), problem.kind(), problem.getMessage());
                if (!recovering) {
                    log.info("inlet '{}': connection to {} ended ({}); recovering by source_id '{}'", target.name(),
                            peerOf(target), outcome, target.sourceId());
                } else {
                    log.debug("inlet '{}': still recovering ({})", target.name(), outcome);
                }
                recovering = true;
                tryRecover(target);
                sleep(500);
            } else {
                fail("stream '" + target.name() + "' (uid " + target.uid() + ", " + peerOf(target) + ") "
                        + (everConnectedOnce ? "lost" : "could not be opened") + ": " + outcome
                        + (recover ? " (recovery impossible: the stream has no source_id)" : " (recovery disabled)"));
                break;
            }
        }
        connected = false;
    }

    private volatile boolean everConnectedOnce;
    private volatile boolean recovering;

    private void fail(String reason) {
        log.warn("inlet: {}", reason);
        synchronized (this) {
            failure = reason;
            notifyAll();
        }
        buffer.markLost(reason);
    }

    /** Looks for the stream by its recovery query (no session term, as liblsl); adopts a new outlet if found. */
    private void tryRecover(StreamInfo old) {
        String q = "channel_count='" + old.channelCount() + "' and name='" + old.name() + "' and type='" + old.type()
                + "' and source_id='" + old.sourceId() + "' and channel_format='" + old.channelFormat().lslName() + "'";
        List<StreamInfo> found = ResolveAttempt.resolve(cfg, q, 1, Math.max(1.0, cfg.multicastMaxRtt()), 0);
        if (closed || found.isEmpty()) return;
        StreamInfo next = found.get(0);
        for (StreamInfo si : found) if (si.createdAt() > next.createdAt()) next = si;
        if (!next.uid().equals(old.uid())) {
            log.info("inlet '{}': recovered: now connected to outlet uid {} at {}:{}", old.name(), next.uid(),
                    next.v4address(), next.v4dataPort());
            inlet.retarget(next);
        }
    }

    private static String peerOf(StreamInfo t) {
        return t.v4address() + ":" + t.v4dataPort();
    }

    private void stream(StreamInfo target) throws IOException {
        long handshakeDeadline = System.nanoTime() + HANDSHAKE_TIMEOUT_MS * 1_000_000L;
        boolean[] handshaking = {true};
        try (Socket s = new Socket()) {
            socket = s;
            if (closed) return;
            if (cfg.receiveSocketBufferSize() > 0) s.setReceiveBufferSize(cfg.receiveSocketBufferSize());
            s.connect(new InetSocketAddress(target.v4address(), target.v4dataPort()), CONNECT_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            String req = "LSL:streamfeed/110 " + target.uid() + "\r\n"
                    + "Native-Byte-Order: 1234\r\n"
                    + "Endian-Performance: 0\r\n"
                    + "Has-IEEE754-Floats: 1\r\n"
                    + "Supports-Subnormals: 1\r\n"
                    + "Value-Size: " + (target.channelFormat() == ChannelFormat.STRING ? 32 : target.channelFormat().valueSize()) + "\r\n"
                    + "Data-Protocol-Version: 110\r\n"
                    + "Max-Buffer-Length: " + maxBufferedSamples + "\r\n"
                    + "Max-Chunk-Length: " + maxChunk + "\r\n"
                    + "Hostname: " + Net.hostname() + "\r\n"
                    + "Source-Id: " + target.sourceId() + "\r\n"
                    + "Session-Id: " + target.sessionId() + "\r\n\r\n";
            out.write(req.getBytes(StandardCharsets.UTF_8));
            out.flush();
            long watchdogNanos = (long) (cfg.watchdogTimeThreshold() * 1e9);
            boolean watchdog = recover && target.nominalSrate() > 0 && watchdogNanos > 0;
            WireReader[] self = new WireReader[1];
            WireReader r = new WireReader(s.getInputStream(), () -> {
                if (closed) return "inlet closed";
                if (handshaking[0] && System.nanoTime() > handshakeDeadline)
                    return "the outlet did not complete the handshake within " + HANDSHAKE_TIMEOUT_MS + " ms";
                // liblsl's watchdog: a regular stream silent for WatchdogTimeThreshold is re-resolved.
                if (watchdog && !handshaking[0] && System.nanoTime() - self[0].lastDataNanos() > watchdogNanos)
                    return "no data for " + cfg.watchdogTimeThreshold() + " s (watchdog)";
                return null;
            });
            self[0] = r;
            Negotiated neg = readResponse(r, target);
            SampleDecoder dec = new SampleDecoder(target.channelFormat(), target.channelCount(), neg.bigEndian, neg.suppressSubnormals);
            for (int offset : new int[] {4, 2}) {
                dec.read(r);
                if (!dec.matchesTestPattern(offset))
                    throw new ProtocolException("bad-test-pattern", "the test-pattern sample (offset " + offset
                            + ") does not match the specification; the protocol formats are incompatible");
            }
            handshaking[0] = false;
            synchronized (this) {
                connected = true;
                everConnectedOnce = true;
                if (recovering) log.info("inlet '{}': reconnected to {}", target.name(), peerOf(target));
                recovering = false;
                notifyAll();
            }
            inlet.onConnected(target);
            double srate = target.nominalSrate();
            double last = 0.0;
            while (!closed) {
                dec.read(r);
                double t = dec.deduced ? (srate > 0 ? last + 1.0 / srate : last) : dec.timestamp;
                last = t;
                if (dec.isString()) buffer.putStrings(t, dec.strings);
                else buffer.putNumeric(t, dec.values);
            }
        } finally {
            socket = null;
        }
    }

    private record Negotiated(boolean bigEndian, boolean suppressSubnormals) {
    }

    private Negotiated readResponse(WireReader r, StreamInfo target) throws IOException {
        String status;
        try {
            status = r.readLine(Wire.MAX_LINE);
        } catch (EOFException e) {
            throw new ProtocolException("bad-status", "the outlet closed the connection without a response");
        }
        String[] parts = status.split(" ");
        if (parts.length < 3 || !parts[0].startsWith("LSL/"))
            throw new ProtocolException("bad-status", "malformed response status line '" + Wire.abbreviate(status) + "'");
        int version = Wire.parseIntHeader("status version", parts[0].substring(4));
        if (version / 100 > StreamInfo.PROTOCOL_VERSION / 100)
            throw new ProtocolException("bad-status", "the outlet speaks protocol " + version + ", newer than 1.10");
        int code = Wire.parseIntHeader("status code", parts[1]);
        if (code == 404) throw new NotFoundException("the outlet no longer serves uid " + target.uid() + " (404)");
        if (code >= 300) throw new ProtocolException("bad-status", "the outlet refused the feed: '" + Wire.abbreviate(status) + "'");
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            if (i > Wire.MAX_HEADER_LINES) throw new ProtocolException("too-many-headers", "too many response header lines");
            String line = r.readLine(Wire.MAX_LINE);
            if (line.isEmpty()) break;
            int semi = line.indexOf(';');
            if (semi >= 0) line = line.substring(0, semi);
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            line = line.toLowerCase(Locale.ROOT);
            h.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        boolean big = false;
        if (h.containsKey("byte-order")) {
            int bo = Wire.parseIntHeader("byte-order", h.get("byte-order"));
            if (bo == 4321) big = true;
            else if (bo != 1234 && bo != 0) throw new ProtocolException("bad-header", "unsupported Byte-Order " + bo);
        }
        boolean suppress = h.containsKey("suppress-subnormals") && "1".equals(h.get("suppress-subnormals"));
        if (h.containsKey("uid") && !h.get("uid").equals(target.uid().toLowerCase(Locale.ROOT)))
            throw new NotFoundException("the outlet answered with uid " + h.get("uid") + ", expected " + target.uid());
        if (h.containsKey("data-protocol-version")) {
            int dv = Wire.parseIntHeader("data-protocol-version", h.get("data-protocol-version"));
            if (dv > StreamInfo.PROTOCOL_VERSION)
                throw new ProtocolException("bad-header", "the outlet chose data protocol " + dv + " (> 110)");
            if (dv < 110)
                throw new ProtocolException("protocol-100", "the outlet downgraded to data protocol " + dv
                        + "; lsl4j speaks 1.10 only");
        }
        return new Negotiated(big, suppress);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops the current connection (the run loop then reconnects or recovers). */
    void dropConnection() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        dropConnection();
        thread.interrupt();
        synchronized (this) {
            notifyAll();
        }
    }

    static final class NotFoundException extends IOException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String msg) {
            super(msg);
        }
    }
}
