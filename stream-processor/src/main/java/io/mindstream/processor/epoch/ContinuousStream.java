package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.calibration.RobustStatistics;
import io.mindstream.processor.dsp.SosFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Epochs and sliding windows of one continuous stream (MEG or EEG) of one session.
 *
 * <p>Per chunk: non-finite values are replaced by the channel's last finite value (flag NON_FINITE), the causal
 * filter chain runs with its state carried across chunks, and the filtered samples enter a {@link SampleRing}
 * indexed by sequence number. An epoch is cut as soon as the ring holds its last sample: the onset is the sample
 * whose timestamp is nearest the marker, the epoch takes every q-th filtered sample from {@code onset + tmin} to
 * {@code onset + tmax} (anti-aliased decimation aligned to the onset: 1200 → 120 Hz takes indices onset − 600,
 * onset − 590, …, onset + 1200), then per-channel baseline (mean from the epoch start through the onset, MNE's
 * {@code baseline=(None, 0)}), robust scaling with frozen statistics and clamping.
 *
 * <p>Time rules (docs/stream-processor.md): a {@link ChunkSequencer} puts chunks back into sequence order. A hole
 * in the sequence numbers waits for its records unless ingest marked the stream's end right before it (samples lost
 * at the source): then it is bridged by holding each channel's last value (flag GAP, which also covers the filters'
 * settling time after the hole), or the stream restarts when the hole is longer than {@code maxGapSeconds}. A
 * marker waits for its data as long as the data may still come: it is cut the moment the ring holds its last
 * sample; when the stream's data ends (ingest stopped reading it, or the source lost samples) a marker whose onset
 * is there is cut with what exists (flags GAP|LATE). A marker whose data has left the ring is counted and logged.
 * Nothing depends on the wall clock, so a catching-up processor cuts exactly what a live one cuts.
 */
public final class ContinuousStream implements StreamEpocher {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuousStream.class);
    private static final byte SNAPSHOT_VERSION = 2;
    /** Impulse-response level below which the filters are taken to have settled after a bridged hole. */
    private static final double SETTLED = 0.01;
    private static final int MAX_PENDING = 10_000;

    private final ProcessorConfig config;
    private final String session;
    private final String streamId;
    private final StreamKind kind;
    private final int channels;
    private final double rate;
    private final int q;
    private final double outRate;
    private final double period;
    private final SosFilter filter;
    private final SampleRing ring;
    private final EpochJournal journal;
    private final ProcessorStats stats;
    private final LongSupplier clockMicros;
    private final String preprocessingPrefix;

    private final float[] lastFinite;
    private boolean haveLast;
    private long nextSeq = -1;
    private double lastTime = Double.NaN;
    private boolean replaying;

    private final ChunkSequencer sequencer;
    private final ChunkSequencer.Sink sequenced = new Sequenced();
    private Consumer<Epoch> out;
    private boolean ended;
    /** Samples before this sequence number are flagged GAP: bridged, or within the filters' settling time. */
    private long settleUntil = Long.MIN_VALUE;
    private final long[] settleTable;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Double> done = new LinkedHashMap<>();

    private final int windowHop;
    private final int windowLength;
    private long windowNext = Long.MIN_VALUE;

    private final long snapshotSamples;
    private final ArrayDeque<Long> snapshots = new ArrayDeque<>();

    private Calibration calibration;
    private final List<float[]> calibrationBlock = new ArrayList<>();

    private TraceStamps lastTrace = TraceStamps.empty();
    private long lastConsumedMicros;

    private float[] rawScratch = new float[0];
    private float[] filtScratch = new float[0];
    private byte[] flagScratch = new byte[0];
    private double[] timeScratch = new double[0];
    private final float[] frame;

    /** A marker waiting for data. Its onset sample is resolved once, as soon as the data around it exists, so a
     * later backward clock jump that repeats its timestamp cannot move it. */
    private static final class Pending {
        final Marker marker;
        final EpochRule rule;
        final boolean dataAlreadyThere;
        long onset = Long.MIN_VALUE;

        Pending(Marker marker, EpochRule rule, boolean dataAlreadyThere) {
            this.marker = marker;
            this.rule = rule;
            this.dataAlreadyThere = dataAlreadyThere;
        }
    }

    public ContinuousStream(ProcessorConfig config, String session, String streamId, StreamKind kind, int channels,
                            double rate, EpochJournal journal, ProcessorStats stats, LongSupplier clockMicros) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("stream " + session + "/" + streamId + " has nominal rate " + rate
                    + ": continuous epoching needs a regular rate");
        }
        this.config = config;
        this.session = session;
        this.streamId = streamId;
        this.kind = kind;
        this.channels = channels;
        this.rate = rate;
        this.q = config.filter().decimationFactor(rate);
        this.outRate = rate / q;
        this.period = 1.0 / rate;
        this.filter = new SosFilter(config.filter().cascade(rate), channels);
        this.ring = new SampleRing(channels, (int) Math.ceil(config.bufferSeconds() * rate));
        this.journal = journal;
        this.stats = stats;
        this.clockMicros = clockMicros;
        this.lastFinite = new float[channels];
        this.frame = new float[channels];
        this.windowHop = Math.max(1, (int) Math.round(config.windowStepSeconds() * rate));
        this.windowLength = Math.max(1, (int) Math.round(config.windowSeconds() * outRate));
        this.snapshotSamples = Math.max(1, Math.round(config.snapshotSeconds() * rate));
        this.sequencer = new ChunkSequencer(Math.max(1, Math.round(config.maxHoldSeconds() * rate)));
        this.settleTable = settlingTable(config, rate);
        this.preprocessingPrefix = kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + config.filter().describe(rate)
                + (config.baseline() ? "/baseline" : "") + "/robust" + (config.clamp() > 0 ? "/clamp"
                + (int) config.clamp() : "");
        config.calibration().filter(c -> c.kind() == kind && c.channels() == channels)
                .ifPresent(c -> this.calibration = c);
        if (rate / q != config.filter().targetRateHz()) {
            LOG.warn("{}/{}: {} Hz is not an integer multiple of {} Hz; decimating by {} gives {} Hz", session,
                    streamId, rate, config.filter().targetRateHz(), q, outRate);
        }
    }

    public int decimationFactor() {
        return q;
    }

    public double outputRate() {
        return outRate;
    }

    public Calibration calibration() {
        return calibration;
    }

    // ------------------------------------------------------------------ chunks

    @Override
    public void onChunk(SampleChunk c, Consumer<Epoch> out) {
        check(c);
        stats.chunksIn.increment();
        stats.samplesIn.add(c.sampleCount());
        if (c.sampleCount() > 0) {
            lastTrace = c.trace();
            lastConsumedMicros = clockMicros.getAsLong();
        }
        long next = sequencer.next();
        boolean news = next < 0 || c.firstSequence() + c.sampleCount() > next
                || (c.sampleCount() == 0 && c.firstSequence() >= next);
        if (!news) {
            stats.duplicateChunks.increment();
            LOG.debug("{}/{}: duplicate chunk at sequence {} dropped (expected {})", session, streamId,
                    c.firstSequence(), next);
            return;
        }
        if (next >= 0 && c.firstSequence() - c.lostBefore() > next && c.sampleCount() > 0) {
            stats.reorderedChunks.increment();
        }
        this.out = out;
        try {
            sequencer.offer(c, sequenced);
        } finally {
            this.out = null;
        }
    }

    /** What the sequencer hands on, in sequence order. */
    private final class Sequenced implements ChunkSequencer.Sink {
        @Override
        public void chunk(SampleChunk chunk, int skip) {
            if (!started) {
                start(chunk.firstSequence());
            }
            ended = false;
            accept(chunk, skip, out);
        }

        @Override
        public void end(long at) {
            ended = true;
            if (!replaying) {
                LOG.info("{}/{}: data ends at sequence {} (ingest stopped reading the stream, or samples are missing "
                        + "at the source): markers whose onset is here are cut with what exists", session, streamId,
                        at);
                evaluatePending(out, Mode.ENDED);
            }
        }

        @Override
        public void gap(long from, long to, boolean atSource) {
            if (!started) {
                start(to);
                return;
            }
            bridge(from, to, atSource, out);
        }

        @Override
        public void held(SampleChunk chunk) {
            journal.chunkHeld(session, streamId, chunk); // also while rebuilding: the store then matches
        }

        @Override
        public void released(SampleChunk chunk) {
            journal.chunkReleased(session, streamId, chunk); // also while rebuilding: the store then matches
        }
    }

    private void check(SampleChunk c) {
        if (!c.isWhole() || c.totalChannels() != channels) {
            throw new IllegalArgumentException("chunk " + c + " does not match stream " + session + "/" + streamId
                    + " (" + channels + " channels)");
        }
        if (c.nominalRate() != rate) {
            throw new IllegalArgumentException("chunk " + c + " has nominal rate " + c.nominalRate()
                    + " Hz, the stream started at " + rate + " Hz");
        }
    }

    private boolean started;

    private void start(long seq) {
        started = true;
        nextSeq = seq;
        ring.reset(seq);
        long firstEnd = seq + (long) (windowLength - 1) * q;
        windowNext = Math.max(windowNext, Math.floorDiv(firstEnd + windowHop - 1, windowHop) * windowHop);
    }

    /**
     * Samples {@code from … toSeq−1} will never come: hold the last values (flag GAP), or restart when the hole is
     * longer than {@code maxGapSeconds}. Either way the filters' settling time after it is flagged GAP too.
     */
    private void bridge(long from, long toSeq, boolean atSource, Consumer<Epoch> out) {
        long missing = toSeq - from;
        if (!atSource) {
            stats.deliveryHolesBridged.increment();
            LOG.error("{}/{}: records for sequences {} … {} never arrived while {} s of later data waited for them: "
                            + "given up as lost (flag GAP). Every journaled record should reach Kafka: check ingest's "
                            + "forwarder", session, streamId, from, toSeq - 1, config.maxHoldSeconds());
        }
        if (missing > Math.round(config.maxGapSeconds() * rate)) {
            stats.streamRestarts.increment();
            if (!replaying) {
                LOG.warn("{}/{}: gap of {} samples ({} s) from sequence {} exceeds {} s: restarting the filters at {}",
                        session, streamId, missing, missing / rate, from, config.maxGapSeconds(), toSeq);
            }
            ring.reset(toSeq);
            nextSeq = toSeq;
            haveLast = false;
            lastTime = Double.NaN;
            filter.restore(new double[channels * filter.sections() * 2]);
            primeOnNext = true;
            windowNext = Long.MIN_VALUE;
            start(toSeq);
            settleUntil = toSeq + settleTable[settleTable.length - 1];
            return;
        }
        int n = (int) missing;
        ensureScratch(n);
        for (int s = 0; s < n; s++) {
            System.arraycopy(lastFinite, 0, rawScratch, s * channels, channels);
            timeScratch[s] = lastTime + (s + 1) * period;
            flagScratch[s] = QualityFlags.GAP;
        }
        stats.gapSamplesFilled.add(n);
        if (!replaying) {
            LOG.warn("{}/{}: {} samples missing before sequence {}: bridged by holding the last values (flag GAP)",
                    session, streamId, n, toSeq);
        }
        filter.process(rawScratch, 0, filtScratch, 0, n);
        ring.append(filtScratch, rawScratch, 0, timeScratch, 0, flagScratch, n);
        nextSeq += n;
        lastTime = timeScratch[n - 1];
        settleUntil = toSeq + settling(n);
        afterAppend(out);
    }

    /**
     * How long the filter chain keeps a bridged hole's error in its output: {@code settle[k]} is the number of samples
     * after a hole of up to 2^k samples during which the output error can exceed {@value #SETTLED} of the signal's
     * amplitude. Held values are off by about the signal's amplitude A, so the error at t samples after a hole of L
     * samples is at most A·L·max_{s≥t}|h(s)|, with h the chain's impulse response (a 0.1 Hz high-pass rings for
     * seconds: about 2 s after a 70 ms hole). The last entry (the longest bridgeable hole) also covers a restart, whose
     * primed filters start from a constant past.
     */
    static long[] settlingTable(ProcessorConfig config, double rate) {
        int limit = (int) Math.ceil(60 * rate);
        float[] h = new float[limit];
        SosFilter f = new SosFilter(config.filter().cascade(rate), 1);
        f.prime(new float[1], 0); // at rest: unprimed, the first sample would seed the state instead
        float[] in = new float[1];
        float[] y = new float[1];
        for (int i = 0; i < limit; i++) {
            in[0] = i == 0 ? 1f : 0f;
            f.process(in, 0, y, 0, 1);
            h[i] = Math.abs(y[0]);
        }
        for (int i = limit - 2; i >= 0; i--) {
            h[i] = Math.max(h[i], h[i + 1]); // the envelope: max over s >= i
        }
        long maxHole = Math.max(1, Math.round(config.maxGapSeconds() * rate));
        int k = 64 - Long.numberOfLeadingZeros(maxHole - 1);
        long[] settle = new long[k + 1];
        for (int j = 0; j <= k; j++) {
            double threshold = SETTLED / (double) (1L << j);
            int t = limit;
            while (t > 0 && h[t - 1] <= threshold) {
                t--;
            }
            settle[j] = t;
        }
        return settle;
    }

    /** Samples after a bridged hole of {@code length} samples that are flagged GAP (see {@link #settlingTable}). */
    private long settling(long length) {
        int k = 64 - Long.numberOfLeadingZeros(Math.max(1, length) - 1);
        return settleTable[Math.min(k, settleTable.length - 1)];
    }

    private boolean primeOnNext;
    private long lastNonFiniteLog = System.nanoTime() - 20_000_000_000L;
    private long nonFiniteSinceLog;

    private void accept(SampleChunk c, int skip, Consumer<Epoch> out) {
        int n = c.sampleCount() - skip;
        if (skip == 0 && (snapshots.isEmpty() || nextSeq - snapshots.peekLast() >= snapshotSamples)) {
            if (!replaying) {
                journal.snapshot(session, streamId, nextSeq, snapshotState());
            }
            snapshots.addLast(nextSeq);
        }
        ensureScratch(c.sampleCount());
        c.copyFloats(rawScratch, 0);
        double[] stamps = c.timestamps();
        int nonFinite = 0;
        for (int s = 0; s < n; s++) {
            int src = (skip + s) * channels;
            int dst = s * channels;
            byte fl = 0;
            for (int ch = 0; ch < channels; ch++) {
                float v = rawScratch[src + ch];
                if (!Float.isFinite(v)) {
                    v = haveLast ? lastFinite[ch] : 0f;
                    fl |= QualityFlags.NON_FINITE;
                    nonFinite++;
                }
                rawScratch[dst + ch] = v;
                lastFinite[ch] = v;
            }
            haveLast = true;
            double t = stamps[skip + s];
            if (!Double.isNaN(lastTime)) {
                double dt = t - lastTime;
                if (!(dt > 0) || Math.abs(dt - period) > config.clockToleranceSeconds()) {
                    fl |= QualityFlags.CLOCK;
                    stats.clockJumps.increment();
                    if (!replaying) {
                        LOG.warn("{}/{}: clock jump of {} s at sequence {} (expected {} s): flag CLOCK", session,
                                streamId, dt, nextSeq + s, period);
                    }
                }
            }
            if (nextSeq + s < settleUntil) {
                fl |= QualityFlags.GAP;
            }
            lastTime = t;
            timeScratch[s] = t;
            flagScratch[s] = fl;
        }
        if (nonFinite > 0) {
            stats.nonFiniteValues.add(nonFinite);
            nonFiniteSinceLog += nonFinite;
            // one line per stream every 10 s, not one per chunk: a broken channel would flood the log
            long now = System.nanoTime();
            if (!replaying && now - lastNonFiniteLog > 10_000_000_000L) {
                LOG.warn("{}/{}: {} non-finite values since the last report (first at sequence {}): held at the last "
                        + "finite value (flag NON_FINITE)", session, streamId, nonFiniteSinceLog, c.firstSequence());
                lastNonFiniteLog = now;
                nonFiniteSinceLog = 0;
            }
        }
        if (primeOnNext) {
            filter.prime(rawScratch, 0);
            primeOnNext = false;
        }
        filter.process(rawScratch, 0, filtScratch, 0, n);
        ring.append(filtScratch, rawScratch, 0, timeScratch, 0, flagScratch, n);
        nextSeq += n;
        afterAppend(out);
    }

    private void ensureScratch(int samples) {
        if (rawScratch.length < samples * channels) {
            rawScratch = new float[samples * channels];
            filtScratch = new float[samples * channels];
        }
        if (flagScratch.length < samples) {
            flagScratch = new byte[samples];
            timeScratch = new double[samples];
        }
    }

    private void afterAppend(Consumer<Epoch> out) {
        evict();
        if (replaying) {
            return;
        }
        evaluatePending(out, Mode.WAIT);
        if (config.windowsEnabled()) {
            emitWindows(out);
        }
    }

    /** Keeps the newest snapshot at or before the ring's oldest sample; everything older can go. */
    private void evict() {
        long keep = SnapshotRetention.prune(snapshots, ring.first());
        if (keep != Long.MIN_VALUE && !replaying) {
            journal.evictBefore(session, streamId, keep);
        }
        if (!done.isEmpty() && !ring.isEmpty()) {
            double horizon = ring.time(ring.first()) - config.bufferSeconds();
            done.values().removeIf(t -> t < horizon);
        }
    }

    // ------------------------------------------------------------------ markers

    @Override
    public void onMarker(Marker m, EpochRule rule, Consumer<Epoch> out) {
        String key = EpochIds.markerKey(m);
        if (done.containsKey(key)) {
            stats.duplicateMarkers.increment();
            return;
        }
        for (Pending p : pending) {
            if (EpochIds.markerKey(p.marker).equals(key)) {
                stats.duplicateMarkers.increment();
                return;
            }
        }
        if (pending.size() >= MAX_PENDING) {
            Pending oldest = pending.remove(0);
            stats.markersExpired.increment();
            LOG.warn("{}/{}: more than {} markers waiting for data; giving up on {}", session, streamId, MAX_PENDING,
                    describe(oldest.marker));
            markDone(oldest.marker);
        }
        boolean there = !ring.isEmpty() && nearestOrWait(m.timestamp()) >= 0
                && nearestOrWait(m.timestamp()) + endOffset(rule) < ring.next();
        pending.add(new Pending(m, rule, there));
        evaluatePending(out, ended ? Mode.ENDED : Mode.WAIT);
    }

    private long nearestOrWait(double t) {
        return ring.nearest(t, period);
    }

    private long startOffset(EpochRule r) {
        return Math.round(r.tmin() * outRate) * q;
    }

    private long endOffset(EpochRule r) {
        return Math.round(r.tmax() * outRate) * q;
    }

    /** How far a waiting marker may be settled: only when complete, also with the data that exists, or at all. */
    private enum Mode {
        /** Data may still come: cut complete epochs only. */
        WAIT,
        /** The stream's data ends here for now: cut epochs whose onset exists with what there is. */
        ENDED,
        /** End of input (offline): settle every marker, cut or counted. */
        FLUSH
    }

    private void evaluatePending(Consumer<Epoch> out, Mode mode) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (ring.isEmpty()) {
                if (mode == Mode.FLUSH) {
                    expire(p, "no data at all");
                    it.remove();
                }
                continue;
            }
            long onset = p.onset != Long.MIN_VALUE ? p.onset : nearestOrWait(p.marker.timestamp());
            if (onset >= 0) {
                p.onset = onset;
            }
            if (onset == -1 || (onset >= 0 && onset + startOffset(p.rule) < ring.first())) {
                stats.markersDataGone.increment();
                LOG.warn("{}/{}: data for {} is not held (buffer holds {} … {} s: it was lost at the source, or the "
                                + "marker came more than --buffer late); counted as markersDataGone", session,
                        streamId, describe(p.marker), ring.time(ring.first()), ring.time(ring.next() - 1));
                markDone(p.marker);
                it.remove();
                continue;
            }
            if (onset == Long.MIN_VALUE) {
                if (mode == Mode.FLUSH) {
                    expire(p, "its onset never arrived (newest sample at " + ring.time(ring.next() - 1) + " s)");
                    it.remove();
                }
                continue;
            }
            boolean complete = onset + endOffset(p.rule) < ring.next();
            if (complete || mode != Mode.WAIT) {
                int flags = 0;
                if (p.dataAlreadyThere) {
                    flags |= QualityFlags.LATE;
                    stats.lateMarkers.increment();
                }
                if (!complete) {
                    flags |= QualityFlags.GAP | QualityFlags.LATE;
                    stats.partialEpochs.increment();
                    LOG.warn("{}/{}: {}: the stream's data ends {} samples before the epoch does: cut with what "
                                    + "exists (flags GAP|LATE)", session, streamId, describe(p.marker),
                            onset + endOffset(p.rule) - ring.next() + 1);
                }
                out.accept(cutMarkerEpoch(p, onset, flags));
                stats.epochsOut.increment();
                markDone(p.marker);
                it.remove();
            }
        }
    }

    private void expire(Pending p, String why) {
        stats.markersExpired.increment();
        LOG.warn("{}/{}: no epoch for {}: {}; counted as markersExpired", session, streamId, describe(p.marker), why);
        markDone(p.marker);
    }

    private void markDone(Marker m) {
        done.put(EpochIds.markerKey(m), m.timestamp());
        journal.markerDone(session, streamId, m);
    }

    private static String describe(Marker m) {
        return "marker " + m.streamId() + "#" + m.sequence() + " '" + (m.label() != null ? m.label() : m.code())
                + "' at " + m.timestamp() + " s";
    }

    // ------------------------------------------------------------------ cutting

    private Epoch cutMarkerEpoch(Pending p, long onset, int flags) {
        long start = onset + startOffset(p.rule);
        int times = (int) ((endOffset(p.rule) - startOffset(p.rule)) / q) + 1;
        int baselineTimes = (int) (-startOffset(p.rule) / q) + 1;
        float[] data = new float[channels * times];
        flags |= gather(start, times, data);
        if (config.baseline()) {
            subtractBaseline(data, times, baselineTimes);
        }
        boolean calibrated = calibration != null;
        if (!calibrated) {
            calibrationBlock.add(data.clone());
            journal.calibrationBlock(session, streamId, calibrationBlock.size() - 1, data);
        }
        flags |= scale(data, times);
        if (!calibrated && calibrationBlock.size() >= config.calibrationEpochs()) {
            freezeCalibration();
        }
        Marker m = p.marker;
        Trigger trigger = new Trigger(TriggerKind.MARKER, m.timestamp(), m.sequence(), m.label(), m.code(),
                m.imageId());
        long last = Math.min(start + (long) (times - 1) * q, ring.next() - 1);
        return new Epoch(session, EpochIds.of(session, streamId, EpochIds.MARKER, m.sequence()), streamId, kind,
                trigger, ring.time(start), ring.time(last), outRate, channels, times, data,
                preprocessingId(calibrated), flags | (calibrated ? 0 : QualityFlags.UNCALIBRATED), trace());
    }

    private void emitWindows(Consumer<Epoch> out) {
        while (windowNext < ring.next()) {
            long start = windowNext - (long) (windowLength - 1) * q;
            if (start >= ring.first()) {
                float[] data = new float[channels * windowLength];
                int flags = gather(start, windowLength, data);
                boolean calibrated = calibration != null;
                flags |= scale(data, windowLength);
                long index = windowNext / windowHop;
                Trigger trigger = new Trigger(TriggerKind.WINDOW, ring.time(windowNext), index, null, null, null);
                out.accept(new Epoch(session, EpochIds.of(session, streamId, EpochIds.WINDOW, index), streamId, kind,
                        trigger, ring.time(start), ring.time(windowNext), outRate, channels, windowLength, data,
                        preprocessingId(calibrated), flags | (calibrated ? 0 : QualityFlags.UNCALIBRATED), trace()));
                stats.windowsOut.increment();
            }
            windowNext += windowHop;
            journal.windowProgress(session, streamId, windowNext);
        }
    }

    /**
     * Copies every q-th filtered sample from {@code start} into channel-major {@code data}; samples past the newest
     * are held at the newest (partial flush). Returns the per-sample flags over the whole input span plus FLAT.
     */
    private int gather(long start, int times, float[] data) {
        long end = start + (long) (times - 1) * q;
        long lastHeld = Math.min(end, ring.next() - 1);
        for (int t = 0; t < times; t++) {
            long idx = Math.min(start + (long) t * q, lastHeld);
            ring.copyFiltered(idx, frame, 0);
            for (int c = 0; c < channels; c++) {
                data[c * times + t] = frame[c];
            }
        }
        int flags = 0;
        float[] min = new float[channels];
        float[] max = new float[channels];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (long i = start; i <= lastHeld; i++) {
            flags |= ring.accumulateRaw(i, min, max);
        }
        for (int c = 0; c < channels; c++) {
            if (max[c] - min[c] <= config.flatThreshold()) {
                flags |= QualityFlags.FLAT;
                break;
            }
        }
        return flags;
    }

    private void subtractBaseline(float[] data, int times, int baselineTimes) {
        int n = Math.min(baselineTimes, times);
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int t = 0; t < n; t++) {
                sum += data[c * times + t];
            }
            float mean = (float) (sum / n);
            for (int t = 0; t < times; t++) {
                data[c * times + t] -= mean;
            }
        }
    }

    /** Robust scaling (frozen statistics, or the block's own while uncalibrated), peak-to-peak check, clamp. */
    private int scale(float[] data, int times) {
        float[] center;
        float[] spread;
        if (calibration != null) {
            center = calibration.center();
            spread = calibration.scale();
        } else {
            float[][] s = RobustStatistics.medianIqr(data, channels, times);
            center = s[0];
            spread = s[1];
            for (int c = 0; c < channels; c++) {
                if (!(spread[c] > 0)) {
                    spread[c] = 1f;
                }
            }
        }
        int flags = 0;
        double clamp = config.clamp();
        for (int c = 0; c < channels; c++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < times; t++) {
                int i = c * times + t;
                float v = (data[i] - center[c]) / spread[c];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                if (clamp > 0 && Math.abs(v) > clamp) {
                    v = (float) Math.copySign(clamp, v);
                    flags |= QualityFlags.CLAMPED;
                }
                data[i] = v;
            }
            if (hi - lo > config.peakToPeakThreshold()) {
                flags |= QualityFlags.PEAK_TO_PEAK;
            }
        }
        return flags;
    }

    private void freezeCalibration() {
        int n = calibrationBlock.size();
        int times = calibrationBlock.get(0).length / channels;
        float[] all = new float[channels * n * times];
        for (int e = 0; e < n; e++) {
            float[] d = calibrationBlock.get(e);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(d, c * times, all, c * n * times + e * times, times);
            }
        }
        float[][] s = RobustStatistics.medianIqr(all, channels, n * times);
        calibration = Calibration.of(kind, Calibration.ROBUST, s[0], s[1],
                "session " + session + " stream " + streamId + ": first " + n + " marker epochs (" + n * times
                        + " samples per channel)");
        calibrationBlock.clear();
        LOG.info("{}/{}: robust scaler fitted on {} epochs and frozen as {}", session, streamId, n,
                calibration.id());
        journal.calibrated(session, streamId, calibration);
    }

    private String preprocessingId(boolean calibrated) {
        return preprocessingPrefix + ":" + (calibrated ? calibration.id() : "uncalibrated");
    }

    private TraceStamps trace() {
        return lastTrace.with(Stage.CONSUMED, lastConsumedMicros).with(Stage.EPOCHED, clockMicros.getAsLong());
    }

    // ------------------------------------------------------------------ time

    @Override
    public void flush(Consumer<Epoch> out) {
        this.out = out;
        try {
            sequencer.flush(sequenced);
        } finally {
            this.out = null;
        }
        evaluatePending(out, Mode.FLUSH);
    }

    @Override
    public double newestTime() {
        return ring.isEmpty() ? Double.NaN : ring.time(ring.next() - 1);
    }

    // ------------------------------------------------------------------ restart

    private byte[] snapshotState() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + channels * 4 + channels * filter.sections() * 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(SNAPSHOT_VERSION);
            out.writeInt(channels);
            out.writeLong(nextSeq);
            out.writeDouble(lastTime);
            out.writeBoolean(haveLast);
            out.writeBoolean(filter.primed() && !primeOnNext);
            out.writeLong(settleUntil);
            for (float v : lastFinite) {
                out.writeFloat(v);
            }
            double[] st = filter.state();
            out.writeInt(st.length);
            for (double v : st) {
                out.writeDouble(v);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restoreSnapshot(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            byte version = in.readByte();
            if ((version != 1 && version != SNAPSHOT_VERSION) || in.readInt() != channels) {
                throw new IllegalArgumentException("snapshot of " + session + "/" + streamId + " has another layout");
            }
            long seq = in.readLong();
            lastTime = in.readDouble();
            haveLast = in.readBoolean();
            boolean primed = in.readBoolean();
            settleUntil = version >= 2 ? in.readLong() : Long.MIN_VALUE;
            for (int c = 0; c < channels; c++) {
                lastFinite[c] = in.readFloat();
            }
            double[] st = new double[in.readInt()];
            for (int i = 0; i < st.length; i++) {
                st[i] = in.readDouble();
            }
            long keepWindow = windowNext;
            start(seq);
            sequencer.resetTo(seq);
            windowNext = Math.max(windowNext, keepWindow);
            if (primed) {
                filter.restore(st);
            }
            snapshots.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void replay(SampleChunk chunk) {
        replaying = true;
        try {
            onChunk(chunk, e -> {
            });
        } finally {
            replaying = false;
        }
    }

    @Override
    public void restoreProgress(long nextWindow, Collection<Marker> doneMarkers, Calibration restored,
                                List<float[]> calibrationBlocks) {
        if (nextWindow != Long.MIN_VALUE) {
            windowNext = Math.max(windowNext, nextWindow);
        }
        ProgressRestore.restoreDoneMarkers(done, doneMarkers);
        calibration = ProgressRestore.restoreCalibration(calibration, restored, calibrationBlock, calibrationBlocks);
    }
}
