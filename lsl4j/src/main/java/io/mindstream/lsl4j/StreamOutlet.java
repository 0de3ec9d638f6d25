package io.mindstream.lsl4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a stream on the network, wire-compatible with liblsl 1.10 inlets. Samples are encoded once per push
 * into a reused buffer and copied into each consumer's bounded queue (oldest dropped when a consumer falls behind;
 * see {@link #droppedSamples()}); nothing is allocated per numeric sample. Samples pushed while nobody is
 * connected are discarded, as in liblsl. Push methods are thread-safe.
 *
 * <p>Timestamps: pass 0.0 (or use the overloads without one) for "now" ({@link LslClock#localClock()});
 * a chunk pushed with one timestamp stamps its last sample with it and deduces the earlier ones from the
 * nominal rate, sending them with the compact "deduced" tag as liblsl does.
 */
public final class StreamOutlet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamOutlet.class);
    /** Timestamp value meaning "deduce from the previous sample and the nominal rate" (sent as tag 1). */
    public static final double DEDUCED_TIMESTAMP = Wire.DEDUCED_TIMESTAMP;

    private final StreamInfo info;
    private final LslConfig cfg;
    private final int chunkSize;
    private final int maxBufferedSamples;
    private final SampleWriter writer;
    /** Encoded bytes of a chunk handed to the consumers at once, at most (and one sample more). */
    private static final int BATCH_BYTES = 64 * 1024;
    private final QueryMatcher matcher;
    private final CopyOnWriteArrayList<ConsumerQueue> consumers = new CopyOnWriteArrayList<>();
    /** Snapshot of {@link #consumers} for the push path: iterating an array allocates nothing. */
    private volatile ConsumerQueue[] fanOutTargets = new ConsumerQueue[0];
    private final DataServer dataServer;
    private final UdpResponder service;
    private final UdpResponder discovery;
    private final int channels;
    private long droppedByClosedConsumers;
    private volatile boolean closed;

    /** An outlet with no chunking preference and 360 s of buffering per consumer, configured by {@link LslConfig#load()}. */
    public StreamOutlet(StreamInfo info) {
        this(info, 0, 360);
    }

    public StreamOutlet(StreamInfo info, int chunkSize, int maxBufferedSeconds) {
        this(info, chunkSize, maxBufferedSeconds, LslConfig.load());
    }

    /**
     * @param info               what to publish (copied; the outlet fills uid, created_at, hostname and ports)
     * @param chunkSize          preferred samples per network batch (0 = send every push right away)
     * @param maxBufferedSeconds per-consumer buffer in seconds of data (×100 samples for irregular streams)
     * @param cfg                ports, session id, discovery scope
     */
    public StreamOutlet(StreamInfo info, int chunkSize, int maxBufferedSeconds, LslConfig cfg) {
        if (maxBufferedSeconds < 1) throw new IllegalArgumentException("maxBufferedSeconds must be >= 1");
        this.info = info.copy();
        this.cfg = cfg;
        this.chunkSize = Math.max(0, chunkSize);
        this.channels = info.channelCount();
        double srate = info.nominalSrate();
        long samples = (long) Math.ceil(maxBufferedSeconds * (srate > 0 ? srate : 100.0));
        this.maxBufferedSamples = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, samples));
        this.writer = new SampleWriter(info.channelFormat(), channels);
        if (cfg.useProtocolVersion() < StreamInfo.PROTOCOL_VERSION)
            log.warn("LSL config {} sets tuning.UseProtocolVersion={}; lsl4j speaks protocol 1.10 only and publishes 1.10",
                    cfg.origin(), cfg.useProtocolVersion());
        this.info.sessionId(cfg.sessionId());
        this.info.resetUid();
        this.info.createdAt(LslClock.localClock());
        this.info.hostname(Net.hostname());
        this.info.version(StreamInfo.PROTOCOL_VERSION / 100.0);
        this.info.v4address("");
        this.info.v6address("");
        this.matcher = new QueryMatcher(this.info::toXml, cfg.maxCachedQueries());
        DataServer ds = null;
        UdpResponder svc = null;
        UdpResponder disc = null;
        try {
            ds = new DataServer(this, cfg);
            svc = UdpResponder.service(this, cfg);
            this.info.v4dataPort(ds.port());
            this.info.v4servicePort(svc.port());
            this.info.v6dataPort(0);
            this.info.v6servicePort(0);
            try {
                disc = UdpResponder.discovery(this, cfg);
            } catch (IOException e) {
                log.warn("outlet '{}': no discovery responder on UDP {} ({}); only KnownPeers/service-port "
                        + "queries will find it", info.name(), cfg.multicastPort(), e.toString());
            }
        } catch (IOException e) {
            if (ds != null) ds.close();
            if (svc != null) svc.close();
            throw new UncheckedIOException("could not open outlet '" + info.name() + "': " + e.getMessage(), e);
        }
        this.dataServer = ds;
        this.service = svc;
        this.discovery = disc;
        ds.start();
        svc.start();
        if (disc != null) disc.start();
        log.info("LSL outlet '{}' ({} ch {} @ {} Hz, source_id '{}', uid {}) on TCP {} / UDP {}", info.name(), channels,
                info.channelFormat().lslName(), info.nominalSrate(), info.sourceId(), this.info.uid(), ds.port(), svc.port());
    }

    /** The published info (with uid, created_at, hostname and ports filled in). */
    public StreamInfo info() { return info; }

    /** The chunk size this outlet was created with. */
    public int chunkSize() { return chunkSize; }

    boolean matches(String query) { return matcher.matches(query); }

    ConsumerQueue addConsumer(int clientMaxBuffered) {
        int cap = Math.min(maxBufferedSamples, Math.max(1, clientMaxBuffered));
        ConsumerQueue q = new ConsumerQueue(cap, 9 + info.sampleBytes());
        synchronized (consumers) {
            consumers.add(q);
            fanOutTargets = consumers.toArray(new ConsumerQueue[0]);
        }
        synchronized (this) {
            notifyAll();
        }
        return q;
    }

    void removeConsumer(ConsumerQueue q) {
        q.close();
        boolean removed;
        synchronized (consumers) {
            removed = consumers.remove(q);
            fanOutTargets = consumers.toArray(new ConsumerQueue[0]);
        }
        if (removed) {
            synchronized (this) {
                droppedByClosedConsumers += q.dropped();
            }
        }
    }

    int consumerCount() { return consumers.size(); }

    /** Bytes of sample storage the consumers' queues hold allocated now (for tests of the allocation bound). */
    long consumerBufferBytes() {
        long b = 0;
        for (ConsumerQueue q : consumers) b += q.capacityBytes();
        return b;
    }

    /** Whether at least one inlet is connected. */
    public boolean haveConsumers() { return !consumers.isEmpty(); }

    /** Waits up to {@code timeoutSeconds} for a consumer; returns whether one is connected. */
    public boolean waitForConsumers(double timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        synchronized (this) {
            while (consumers.isEmpty() && !closed) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return false;
                wait(Math.min(left, 100));
            }
        }
        return !consumers.isEmpty();
    }

    /** Samples dropped so far, over all consumers (current and past), because a consumer fell behind. */
    public long droppedSamples() {
        long d;
        synchronized (this) {
            d = droppedByClosedConsumers;
        }
        for (ConsumerQueue q : consumers) d += q.dropped();
        return d;
    }

    // ---------------------------------------------------------------- single samples

    public void pushSample(float[] x) { pushSample(x, 0.0); }
    public void pushSample(double[] x) { pushSample(x, 0.0); }
    public void pushSample(int[] x) { pushSample(x, 0.0); }
    public void pushSample(short[] x) { pushSample(x, 0.0); }
    public void pushSample(byte[] x) { pushSample(x, 0.0); }
    public void pushSample(long[] x) { pushSample(x, 0.0); }
    public void pushSample(String[] x) { pushSample(x, 0.0); }

    public synchronized void pushSample(float[] x, double timestamp) {
        checkLength(x.length, 1);
        if (idle()) return;
        begin(0, timestamp);
        writer.putFloats(x, 0, channels);
        fanOut();
    }

    public synchronized void pushSample(double[] x, double timestamp) {
        checkLength(x.length, 1);
        if (idle()) return;
        begin(0, timestamp);
        for (int k = 0; k < channels; k++) writer.putDouble(x[k]);
        fanOut();
    }

    public synchronized void pushSample(int[] x, double timestamp) {
        checkLength(x.length, 1);
        if (idle()) return;
        begin(0, timestamp);
        for (int k = 0; k < channels; k++) writer.putLong(x[k]);
        fanOut();
    }

    public synchronized void pushSample(short[] x, double timestamp) {
        checkLength(x.length, 1);
        if (idle()) return;
        begin(0, timestamp);
        for (int k = 0; k < channels; k++) writer.putLong(x[k]);
        fanOut();
    }

    public synchronized void pushSample(byte[] x, double timestamp) {
        checkLength(x.length, 1);
        if (idle()) return;
        begin(0, timestamp);
        for (int k = 0; k < channels; k++) writer.putLong(x[k]);
        fanOut();
    }

    public synchronized void pushSample(long[] x, double timestamp) {
        checkLength(x.length, 1);
        if (idle()) return;
        begin(0, timestamp);
        for (int k = 0; k < channels; k++) writer.putLong(x[k]);
        fanOut();
    }

    public synchronized void pushSample(String[] x, double timestamp) {
        checkLength(x.length, 1);
        if (idle()) return;
        begin(0, timestamp);
        for (int k = 0; k < channels; k++) writer.putString(x[k] == null ? "" : x[k]);
        fanOut();
    }

    // ---------------------------------------------------------------- chunks (sample-major / multiplexed)

    /** Pushes {@code x.length / channels} samples stamped "now" (last sample), earlier ones deduced. */
    public void pushChunk(float[] x) { pushChunk(x, 0.0); }
    public void pushChunk(double[] x) { pushChunk(x, 0.0); }
    public void pushChunk(int[] x) { pushChunk(x, 0.0); }
    public void pushChunk(short[] x) { pushChunk(x, 0.0); }
    public void pushChunk(byte[] x) { pushChunk(x, 0.0); }
    public void pushChunk(long[] x) { pushChunk(x, 0.0); }
    public void pushChunk(String[] x) { pushChunk(x, 0.0); }

    /** Pushes a sample-major chunk whose last sample has {@code lastTimestamp} (0 = now). */
    public synchronized void pushChunk(float[] x, double lastTimestamp) {
        int n = checkLength(x.length, -1);
        if (idle()) return;
        double t = firstTimestamp(lastTimestamp, n);
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, s == 0 ? t : DEDUCED_TIMESTAMP);
            writer.putFloats(x, o, channels);
            o += channels;
        }
        fanOut();
    }

    public synchronized void pushChunk(double[] x, double lastTimestamp) {
        int n = checkLength(x.length, -1);
        if (idle()) return;
        double t = firstTimestamp(lastTimestamp, n);
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, s == 0 ? t : DEDUCED_TIMESTAMP);
            for (int k = 0; k < channels; k++) writer.putDouble(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(int[] x, double lastTimestamp) {
        int n = checkLength(x.length, -1);
        if (idle()) return;
        double t = firstTimestamp(lastTimestamp, n);
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, s == 0 ? t : DEDUCED_TIMESTAMP);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(short[] x, double lastTimestamp) {
        int n = checkLength(x.length, -1);
        if (idle()) return;
        double t = firstTimestamp(lastTimestamp, n);
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, s == 0 ? t : DEDUCED_TIMESTAMP);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(byte[] x, double lastTimestamp) {
        int n = checkLength(x.length, -1);
        if (idle()) return;
        double t = firstTimestamp(lastTimestamp, n);
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, s == 0 ? t : DEDUCED_TIMESTAMP);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(long[] x, double lastTimestamp) {
        int n = checkLength(x.length, -1);
        if (idle()) return;
        double t = firstTimestamp(lastTimestamp, n);
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, s == 0 ? t : DEDUCED_TIMESTAMP);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(String[] x, double lastTimestamp) {
        int n = checkLength(x.length, -1);
        if (idle()) return;
        double t = firstTimestamp(lastTimestamp, n);
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, s == 0 ? t : DEDUCED_TIMESTAMP);
            for (int k = 0; k < channels; k++, o++) writer.putString(x[o] == null ? "" : x[o]);
        }
        fanOut();
    }

    /** Pushes a sample-major chunk with one explicit timestamp per sample. */
    public synchronized void pushChunk(float[] x, double[] timestamps) {
        int n = checkChunk(x.length, timestamps);
        if (idle()) return;
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, timestamps[s]);
            writer.putFloats(x, o, channels);
            o += channels;
        }
        fanOut();
    }

    public synchronized void pushChunk(double[] x, double[] timestamps) {
        int n = checkChunk(x.length, timestamps);
        if (idle()) return;
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, timestamps[s]);
            for (int k = 0; k < channels; k++) writer.putDouble(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(int[] x, double[] timestamps) {
        int n = checkChunk(x.length, timestamps);
        if (idle()) return;
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, timestamps[s]);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(short[] x, double[] timestamps) {
        int n = checkChunk(x.length, timestamps);
        if (idle()) return;
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, timestamps[s]);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(byte[] x, double[] timestamps) {
        int n = checkChunk(x.length, timestamps);
        if (idle()) return;
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, timestamps[s]);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(long[] x, double[] timestamps) {
        int n = checkChunk(x.length, timestamps);
        if (idle()) return;
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, timestamps[s]);
            for (int k = 0; k < channels; k++) writer.putLong(x[o++]);
        }
        fanOut();
    }

    public synchronized void pushChunk(String[] x, double[] timestamps) {
        int n = checkChunk(x.length, timestamps);
        if (idle()) return;
        for (int s = 0, o = 0; s < n; s++) {
            begin(s, timestamps[s]);
            for (int k = 0; k < channels; k++, o++) writer.putString(x[o] == null ? "" : x[o]);
        }
        fanOut();
    }

    // ---------------------------------------------------------------- internals

    /** Nobody is connected: samples are discarded (as in liblsl), so skip encoding them. */
    private boolean idle() {
        if (closed) throw new IllegalStateException("outlet '" + info.name() + "' is closed");
        return consumers.isEmpty();
    }

    /** Starts sample {@code s} of a push: the first starts a new batch, the others are appended to it. */
    private void begin(int s, double timestamp) {
        if (closed) throw new IllegalStateException("outlet '" + info.name() + "' is closed");
        if (timestamp == 0.0 || (cfg.forceDefaultTimestamps() && timestamp != DEDUCED_TIMESTAMP)) timestamp = LslClock.localClock();
        if (s == 0) {
            writer.begin(timestamp);
        } else if (writer.length() >= BATCH_BYTES) {
            fanOut();                    // a long chunk goes out in batches: the encoding buffer stays small
            writer.begin(timestamp);
        } else {
            writer.next(timestamp);
        }
    }

    private double firstTimestamp(double lastTimestamp, int n) {
        double t = lastTimestamp == 0.0 ? LslClock.localClock() : lastTimestamp;
        if (info.nominalSrate() > 0 && n > 1) t -= (n - 1) / info.nominalSrate();
        return t;
    }

    /**
     * Hands the samples of this push to every consumer: a whole chunk at once, so each consumer's queue is locked and
     * its sender woken once per push, not once per sample (flat out, per-sample hand-offs cost the outlet about half
     * its throughput against liblsl's).
     */
    private void fanOut() {
        int n = writer.finish();
        byte[] b = writer.buffer();
        int[] ends = writer.ends();
        for (ConsumerQueue q : fanOutTargets) q.offerAll(b, ends, n);
    }

    private int checkLength(int len, int expectSamples) {
        if (expectSamples == 1) {
            if (len != channels)
                throw new IllegalArgumentException("outlet '" + info.name() + "': sample has " + len
                        + " values, stream has " + channels + " channels");
            return 1;
        }
        if (len % channels != 0)
            throw new IllegalArgumentException("outlet '" + info.name() + "': chunk of " + len
                    + " values is not a multiple of " + channels + " channels");
        return len / channels;
    }

    private int checkChunk(int len, double[] timestamps) {
        int n = checkLength(len, -1);
        if (timestamps.length != n)
            throw new IllegalArgumentException("outlet '" + info.name() + "': chunk of " + n + " samples has "
                    + timestamps.length + " timestamps");
        return n;
    }

    /**
     * Stops serving. The stream stops being advertised and takes no more samples; each connected inlet is still
     * sent what was pushed before (for up to {@value DataServer#CLOSE_LINGER_MS} ms, so an inlet that does not read
     * cannot hold this up), then its connection is closed and it sees the stream end.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (discovery != null) discovery.close();
        service.close();
        for (ConsumerQueue q : consumers) q.close();
        dataServer.close();
        synchronized (this) {
            notifyAll();
        }
        log.info("LSL outlet '{}' (uid {}) closed", info.name(), info.uid());
    }
}
