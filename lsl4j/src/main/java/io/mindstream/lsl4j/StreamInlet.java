package io.mindstream.lsl4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a stream from an outlet (liblsl's {@code stream_inlet}). Create it from a resolved {@link StreamInfo};
 * the connection opens on {@link #open(double)} or on the first pull. Samples are buffered (at most
 * {@code maxBufferedSeconds} of data; the oldest are dropped when the caller does not keep up, see
 * {@link #droppedSamples()}) and pulled into caller-owned arrays without allocation for numeric formats.
 *
 * <p>Pull methods return the sample's timestamp (post-processed per {@link ProcessingFlag}), or 0.0 when no
 * sample arrived within the timeout. When the stream is lost and cannot be recovered, buffered samples are still
 * returned, then the pull methods throw {@link LostStreamException}.
 */
public final class StreamInlet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamInlet.class);
    /** A timeout meaning "wait as long as it takes". */
    public static final double FOREVER = 32000000.0;
    /** Largest sample (channels × value size) an inlet accepts; protects against absurd announced channel counts. */
    static final long MAX_SAMPLE_BYTES = 64L << 20;

    private final LslConfig cfg;
    private final int channels;
    private final ChannelFormat format;
    private final SampleBuffer buffer;
    private final DataReceiver receiver;
    private final TimeCorrector timeCorrector;
    private final TimePostprocessor post;
    private volatile StreamInfo target;
    private boolean started;
    private volatile boolean closed;

    /** An inlet with 360 s of buffering, no chunk preference, recovery on and no post-processing. */
    public StreamInlet(StreamInfo info) {
        this(info, 360, 0, true, EnumSet.noneOf(ProcessingFlag.class));
    }

    public StreamInlet(StreamInfo info, int maxBufferedSeconds, int maxChunkLength, boolean recover,
                       Set<ProcessingFlag> flags) {
        this(info, maxBufferedSeconds, maxChunkLength, recover, flags, LslConfig.load());
    }

    /**
     * @param info               a resolved stream (needs v4address, v4data_port and uid)
     * @param maxBufferedSeconds buffer size in seconds of data (×100 samples for irregular streams)
     * @param maxChunkLength     preferred samples per network batch (0 = the outlet's choice)
     * @param recover            reconnect to a restarted outlet with the same source_id instead of failing
     * @param flags              timestamp post-processing
     * @param cfg                config (time-correction and watchdog knobs, resolver for recovery)
     */
    public StreamInlet(StreamInfo info, int maxBufferedSeconds, int maxChunkLength, boolean recover,
                       Set<ProcessingFlag> flags, LslConfig cfg) {
        if (info.v4address().isEmpty() || info.v4dataPort() == 0)
            throw new IllegalArgumentException("stream '" + info.name() + "' has no address: pass a StreamInfo "
                    + "returned by a Resolver");
        if (maxBufferedSeconds < 1) throw new IllegalArgumentException("maxBufferedSeconds must be >= 1");
        if ((long) info.channelCount() * Math.max(1, info.channelFormat().valueSize()) > MAX_SAMPLE_BYTES)
            throw new IllegalArgumentException("stream '" + info.name() + "' announces " + info.channelCount()
                    + " channels: one sample would exceed " + MAX_SAMPLE_BYTES + " bytes");
        this.cfg = cfg;
        this.target = info.copy();
        this.channels = info.channelCount();
        this.format = info.channelFormat();
        double srate = info.nominalSrate();
        long max = (long) Math.ceil(maxBufferedSeconds * (srate > 0 ? srate : 100.0));
        int maxSamples = (int) Math.min(Integer.MAX_VALUE / Math.max(1, channels * Math.max(1, format.valueSize())) / 2,
                Math.max(1, max));
        this.buffer = new SampleBuffer(format, channels, maxSamples);
        this.receiver = new DataReceiver(this, cfg, buffer, maxSamples, Math.max(0, maxChunkLength), recover);
        this.timeCorrector = new TimeCorrector(cfg, () -> {
            StreamInfo t = target;
            return t.v4servicePort() == 0 ? null : new InetSocketAddress(t.v4address(), t.v4servicePort());
        });
        this.post = new TimePostprocessor(flags == null ? Set.of() : flags, srate, cfg.smoothingHalftime());
    }

    StreamInfo target() { return target; }

    void retarget(StreamInfo next) {
        target = next;
        timeCorrector.reset();
        synchronized (buffer) {
            post.reset(); // a restarted outlet starts a new timestamp series
        }
    }

    void onConnected(StreamInfo t) {
        log.debug("inlet '{}': connected to {}:{} (uid {})", t.name(), t.v4address(), t.v4dataPort(), t.uid());
    }

    private synchronized void ensureStarted() {
        if (closed) throw new IllegalStateException("inlet is closed");
        if (!started) {
            started = true;
            receiver.start();
            if (post.needsClock()) timeCorrector.start();
        }
    }

    /**
     * Opens the data connection and waits up to {@code timeoutSeconds} for the handshake.
     * @throws TimeoutException    when the outlet did not answer in time
     * @throws LostStreamException when the stream is gone
     */
    public void open(double timeoutSeconds) throws TimeoutException {
        ensureStarted();
        try {
            if (!receiver.awaitConnected(timeoutSeconds)) {
                if (receiver.failure() != null) throw new LostStreamException(receiver.failure());
                throw new TimeoutException("stream '" + target.name() + "' did not open within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while opening stream '" + target.name() + "'");
        }
    }

    /** Whether the data connection is currently established. */
    public boolean isConnected() { return receiver.isConnected(); }

    /** The full info (with desc) fetched from the outlet over TCP ({@code LSL:fullinfo}). */
    public StreamInfo info(double timeoutSeconds) throws TimeoutException {
        StreamInfo t = target;
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutSeconds * 1000));
        long deadline = System.nanoTime() + ms * 1_000_000L;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(t.v4address(), t.v4dataPort()), ms);
            s.setSoTimeout(100);
            s.getOutputStream().write("LSL:fullinfo\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            WireReader r = new WireReader(s.getInputStream(), () -> closed ? "inlet closed"
                    : System.nanoTime() > deadline ? "fullinfo timed out" : null);
            String xml = r.readToEof(16 << 20);
            StreamInfo full = StreamInfo.fromXml(xml);
            full.v4address(t.v4address());
            return full;
        } catch (java.io.InterruptedIOException e) {
            throw new TimeoutException("fullinfo of '" + t.name() + "' not received within " + timeoutSeconds + " s");
        } catch (IOException e) {
            throw new LostStreamException("cannot fetch fullinfo of '" + t.name() + "' from " + t.v4address() + ":"
                    + t.v4dataPort() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("outlet sent an invalid fullinfo document: " + e.getMessage(), e));
        }
    }

    /**
     * The current clock offset (add it to this stream's timestamps to get local {@link LslClock} time), estimated
     * with NTP-style probes; waits up to {@code timeoutSeconds} for the first estimate.
     */
    public double timeCorrection(double timeoutSeconds) throws TimeoutException {
        try {
            double c = timeCorrector.correction(timeoutSeconds);
            if (Double.isNaN(c))
                throw new TimeoutException("no time correction from '" + target.name() + "' within " + timeoutSeconds + " s");
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    /** Round-trip time of the probe behind the latest time correction (its uncertainty), NaN before the first. */
    public double timeCorrectionUncertainty() { return timeCorrector.uncertainty(); }

    /** Samples available to pull right now. */
    public int samplesAvailable() {
        synchronized (buffer) {
            return buffer.size();
        }
    }

    /** Samples dropped from this inlet's buffer because the caller did not pull fast enough. */
    public long droppedSamples() { return buffer.dropped(); }

    /** Samples the receive buffer has room for now (it grows as samples accumulate; for tests). */
    int bufferCapacity() { return buffer.capacity(); }

    /** Bytes of storage the receive buffer holds allocated now (for tests). */
    long bufferBytes() { return buffer.capacityBytes(); }

    /** Discards all buffered samples; returns how many. */
    public int flush() {
        synchronized (buffer) {
            int n = buffer.size();
            buffer.clear();
            return n;
        }
    }

    // ------------------------------------------------------------------ pull one sample

    public double pullSample(float[] dst, double timeout) {
        checkDst(dst.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0.0;
            int slot = buffer.headSlot();
            for (int k = 0; k < channels; k++) dst[k] = buffer.getFloat(slot, k);
            return take();
        }
    }

    public double pullSample(double[] dst, double timeout) {
        checkDst(dst.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0.0;
            int slot = buffer.headSlot();
            for (int k = 0; k < channels; k++) dst[k] = buffer.getDouble(slot, k);
            return take();
        }
    }

    public double pullSample(int[] dst, double timeout) {
        checkDst(dst.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0.0;
            int slot = buffer.headSlot();
            for (int k = 0; k < channels; k++) dst[k] = (int) buffer.getLong(slot, k);
            return take();
        }
    }

    public double pullSample(short[] dst, double timeout) {
        checkDst(dst.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0.0;
            int slot = buffer.headSlot();
            for (int k = 0; k < channels; k++) dst[k] = (short) buffer.getLong(slot, k);
            return take();
        }
    }

    public double pullSample(byte[] dst, double timeout) {
        checkDst(dst.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0.0;
            int slot = buffer.headSlot();
            for (int k = 0; k < channels; k++) dst[k] = (byte) buffer.getLong(slot, k);
            return take();
        }
    }

    public double pullSample(long[] dst, double timeout) {
        checkDst(dst.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0.0;
            int slot = buffer.headSlot();
            for (int k = 0; k < channels; k++) dst[k] = buffer.getLong(slot, k);
            return take();
        }
    }

    public double pullSample(String[] dst, double timeout) {
        checkDst(dst.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0.0;
            int slot = buffer.headSlot();
            for (int k = 0; k < channels; k++) dst[k] = buffer.getString(slot, k);
            return take();
        }
    }

    // ------------------------------------------------------------------ pull chunks (sample-major)

    /**
     * Waits up to {@code timeout} for at least one sample, then pulls as many buffered samples as fit
     * ({@code min(dst.length / channels, timestamps.length)}). Returns the number of samples pulled (0 on timeout).
     */
    public int pullChunk(float[] dst, double[] timestamps, double timeout) {
        int max = chunkCapacity(dst.length, timestamps.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0;
            int n = 0;
            for (int o = 0; n < max && buffer.size() > 0; n++) {
                int slot = buffer.headSlot();
                for (int k = 0; k < channels; k++) dst[o++] = buffer.getFloat(slot, k);
                timestamps[n] = take();
            }
            return n;
        }
    }

    public int pullChunk(double[] dst, double[] timestamps, double timeout) {
        int max = chunkCapacity(dst.length, timestamps.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0;
            int n = 0;
            for (int o = 0; n < max && buffer.size() > 0; n++) {
                int slot = buffer.headSlot();
                for (int k = 0; k < channels; k++) dst[o++] = buffer.getDouble(slot, k);
                timestamps[n] = take();
            }
            return n;
        }
    }

    public int pullChunk(int[] dst, double[] timestamps, double timeout) {
        int max = chunkCapacity(dst.length, timestamps.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0;
            int n = 0;
            for (int o = 0; n < max && buffer.size() > 0; n++) {
                int slot = buffer.headSlot();
                for (int k = 0; k < channels; k++) dst[o++] = (int) buffer.getLong(slot, k);
                timestamps[n] = take();
            }
            return n;
        }
    }

    public int pullChunk(short[] dst, double[] timestamps, double timeout) {
        int max = chunkCapacity(dst.length, timestamps.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0;
            int n = 0;
            for (int o = 0; n < max && buffer.size() > 0; n++) {
                int slot = buffer.headSlot();
                for (int k = 0; k < channels; k++) dst[o++] = (short) buffer.getLong(slot, k);
                timestamps[n] = take();
            }
            return n;
        }
    }

    public int pullChunk(byte[] dst, double[] timestamps, double timeout) {
        int max = chunkCapacity(dst.length, timestamps.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0;
            int n = 0;
            for (int o = 0; n < max && buffer.size() > 0; n++) {
                int slot = buffer.headSlot();
                for (int k = 0; k < channels; k++) dst[o++] = (byte) buffer.getLong(slot, k);
                timestamps[n] = take();
            }
            return n;
        }
    }

    public int pullChunk(long[] dst, double[] timestamps, double timeout) {
        int max = chunkCapacity(dst.length, timestamps.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0;
            int n = 0;
            for (int o = 0; n < max && buffer.size() > 0; n++) {
                int slot = buffer.headSlot();
                for (int k = 0; k < channels; k++) dst[o++] = buffer.getLong(slot, k);
                timestamps[n] = take();
            }
            return n;
        }
    }

    public int pullChunk(String[] dst, double[] timestamps, double timeout) {
        int max = chunkCapacity(dst.length, timestamps.length);
        synchronized (buffer) {
            if (!waitFor(timeout)) return 0;
            int n = 0;
            for (int o = 0; n < max && buffer.size() > 0; n++) {
                int slot = buffer.headSlot();
                for (int k = 0; k < channels; k++) dst[o++] = buffer.getString(slot, k);
                timestamps[n] = take();
            }
            return n;
        }
    }

    // ------------------------------------------------------------------ internals

    private boolean waitFor(double timeout) {
        ensureStarted();
        try {
            if (buffer.await(timeout)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (buffer.lostReason() != null) throw new LostStreamException(buffer.lostReason());
        return false;
    }

    private double take() {
        double t = buffer.headTimestamp();
        buffer.pop();
        return post.process(t, post.needsClock() ? timeCorrector.latest() : 0.0);
    }

    private void checkDst(int len) {
        if (len < channels)
            throw new IllegalArgumentException("destination holds " + len + " values, stream '" + target.name()
                    + "' has " + channels + " channels");
    }

    private int chunkCapacity(int dstLen, int tsLen) {
        int max = Math.min(dstLen / channels, tsLen);
        if (max < 1) throw new IllegalArgumentException("chunk buffers hold no complete sample of " + channels + " channels");
        return max;
    }

    /** Closes the connection and stops time correction. Pending samples are discarded. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        receiver.close();
        timeCorrector.close();
        synchronized (buffer) {
            buffer.markLost("inlet closed");
        }
    }
}
