package io.mindstream.lsl4j;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NTP-style clock offset estimation against an outlet's service port (lsl-protocol.md §6, liblsl
 * time_receiver.cpp): rounds of {@code TimeProbeCount} probes {@code TimeProbeInterval} apart, every
 * {@code TimeUpdateInterval}; with at least {@code TimeUpdateMinProbes} replies the smallest-RTT probe gives the
 * offset, and {@code correction = -offset} (add it to remote timestamps).
 */
final class TimeCorrector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimeCorrector.class);
    private final LslConfig cfg;
    private final Supplier<InetSocketAddress> target;
    private final ProblemLog problems = new ProblemLog(log, "time correction");
    private Thread thread;
    private DatagramSocket socket;
    private volatile boolean closed;
    private double correction = Double.NaN;
    private double uncertainty = Double.NaN;
    private double remoteTime;

    TimeCorrector(LslConfig cfg, Supplier<InetSocketAddress> target) {
        this.cfg = cfg;
        this.target = target;
    }

    synchronized void start() {
        if (thread != null || closed) return;
        thread = new Thread(this::loop, "lsl-inlet-timecorrection");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits up to {@code timeoutSeconds} for the first estimate; NaN if none yet. */
    synchronized double correction(double timeoutSeconds) throws InterruptedException {
        start();
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (Double.isNaN(correction) && !closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) break;
            wait(left);
        }
        return correction;
    }

    /** Latest estimate without waiting (0 before the first one). */
    synchronized double latest() {
        return Double.isNaN(correction) ? 0.0 : correction;
    }

    synchronized double uncertainty() { return uncertainty; }
    synchronized double remoteTime() { return remoteTime; }

    /** Forgets the estimate (after reconnecting to a different outlet). */
    synchronized void reset() {
        correction = Double.NaN;
        uncertainty = Double.NaN;
    }

    private void loop() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(0))) {
            synchronized (this) {
                socket = s;
            }
            s.setSoTimeout(10);
            byte[] buf = new byte[65536];
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            while (!closed) {
                long roundStart = System.nanoTime();
                runRound(s, in);
                long next = roundStart + (long) (cfg.timeUpdateInterval() * 1e9);
                while (!closed && System.nanoTime() < next) Thread.sleep(20);
            }
        } catch (IOException e) {
            if (!closed) log.warn("time correction socket failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runRound(DatagramSocket s, DatagramPacket in) throws IOException {
        InetSocketAddress to = target.get();
        if (to == null) return;
        int wave = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        int probes = Math.max(1, cfg.timeProbeCount());
        long probeGap = (long) (cfg.timeProbeInterval() * 1e9);
        long roundEnd = System.nanoTime() + (long) ((cfg.timeProbeMaxRtt() + probes * cfg.timeProbeInterval()) * 1e9);
        long nextProbe = System.nanoTime();
        int sent = 0;
        int replies = 0;
        double bestRtt = Double.MAX_VALUE;
        double bestOffset = 0;
        double bestRemote = 0;
        while (System.nanoTime() < roundEnd && !closed) {
            if (sent < probes && System.nanoTime() >= nextProbe) {
                byte[] msg = ("LSL:timedata\r\n" + wave + " " + LslClock.localClock() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                try {
                    s.send(new DatagramPacket(msg, msg.length, to));
                } catch (IOException e) {
                    log.debug("time probe to {} failed: {}", to, e.toString());
                }
                sent++;
                nextProbe += probeGap;
            }
            try {
                in.setLength(in.getData().length);
                s.receive(in);
            } catch (SocketTimeoutException e) {
                continue;
            }
            double t3 = LslClock.localClock();
            String[] tok = new String(in.getData(), in.getOffset(), in.getLength(), StandardCharsets.ISO_8859_1)
                    .strip().split("\\s+");
            if (tok.length < 4) {
                problems.report(in.getSocketAddress(), "bad-timedata", "malformed time reply");
                continue;
            }
            try {
                if (Integer.parseInt(tok[0]) != wave) continue;
                double t0 = Double.parseDouble(tok[1]);
                double t1 = Double.parseDouble(tok[2]);
                double t2 = Double.parseDouble(tok[3]);
                double rtt = (t3 - t0) - (t2 - t1);
                double offset = ((t1 - t0) + (t2 - t3)) / 2;
                replies++;
                if (rtt < bestRtt) {
                    bestRtt = rtt;
                    bestOffset = offset;
                    bestRemote = t2;
                }
            } catch (NumberFormatException e) {
                problems.report(in.getSocketAddress(), "bad-timedata", "time reply with non-numeric fields");
            }
        }
        if (replies >= Math.min(probes, cfg.timeUpdateMinProbes())) {
            synchronized (this) {
                correction = -bestOffset;
                uncertainty = bestRtt;
                remoteTime = bestRemote;
                notifyAll();
            }
        } else {
            log.debug("time correction round against {}: only {} of {} probes answered", to, replies, probes);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (socket != null) socket.close();
            notifyAll();
        }
    }
}
