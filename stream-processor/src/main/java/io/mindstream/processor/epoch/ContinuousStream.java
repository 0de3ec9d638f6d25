package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.calibration.RobustStatistics;
import io.mindstream.processor.step.Baseline;
import io.mindstream.processor.step.Clamp;
import io.mindstream.processor.step.ClockCheck;
import io.mindstream.processor.step.Decimator;
import io.mindstream.processor.step.DoneMarkers;
import io.mindstream.processor.step.FilterBank;
import io.mindstream.processor.step.FrozenStatistics;
import io.mindstream.processor.step.GapSettling;
import io.mindstream.processor.step.NonFiniteHold;
import io.mindstream.processor.step.RobustScale;
import io.mindstream.processor.step.SampleRing;
import io.mindstream.processor.step.SlidingWindows;
import io.mindstream.processor.step.SnapshotSchedule;
import io.mindstream.processor.step.StepSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Epochs and sliding windows of one continuous stream (MEG or EEG) of one session: the chain of steps in
 * {@code io.mindstream.processor.step}, assembled here in the order samples flow through it
 * (docs/stream-processor.md):
 * <pre>
 *   chunks ─► ChunkSequencer ─► NonFiniteHold ─► ClockCheck ─► GapSettling ─► FilterBank ─► SampleRing ─┬─► markers
 *            (order, holes,     (NaN → last     (CLOCK)       (GAP while the   (causal,      (recent     │  waiting
 *             ends)              finite value)                 filters settle)  stateful)     samples)    └─► windows
 *
 *   epoch / window ─► Decimator ─► Baseline (epochs) ─► RobustScale with FrozenStatistics ─► Clamp ─► Epoch
 * </pre>
 * Each step owns its state and, where a restart needs it, its part of the snapshot ({@link StepSnapshots}); the
 * ring is rebuilt by re-reading the raw topic from the snapshot. This class only routes: what a chunk, a marker or
 * an end does to the steps, when an epoch is complete, and what a cut is made of.
 *
 * <p>An epoch is cut as soon as the ring holds its last sample: the onset is the sample whose timestamp is nearest
 * the marker, the epoch takes every q-th filtered sample from {@code onset + tmin} to {@code onset + tmax}
 * (1200 → 120 Hz takes indices onset − 600, onset − 590, …, onset + 1200). A marker waits for its data as long as the
 * data may come; when the stream's data ends, a marker whose onset is there is cut with what exists (GAP|LATE).
 */
public final class ContinuousStream extends SequencedStream {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuousStream.class);
    private static final int SNAPSHOT_LAYOUT = 3;
    private static final int MAX_PENDING = 10_000;

    private final ProcessorConfig config;
    private final String name;
    private final StreamKind kind;
    private final int channels;
    private final double rate;
    private final double period;
    private final double outRate;
    private final String preprocessingPrefix;

    // the chain (its front, the ChunkSequencer, is SequencedStream's)
    private final NonFiniteHold nonFinite;
    private final ClockCheck clock;
    private final GapSettling settling;
    private final FilterBank filters;
    private final SampleRing ring;
    private final Decimator decimator;
    private final FrozenStatistics statistics;
    private final Clamp clamp;
    private final SlidingWindows windows;
    private final DoneMarkers done = new DoneMarkers();
    private final SnapshotSchedule schedule;
    private final StepSnapshots snapshot;

    private final List<Pending> pending = new ArrayList<>();
    private boolean started;
    private long nextSeq = -1;

    private long lastNonFiniteLog = System.nanoTime() - 20_000_000_000L;
    private long nonFiniteSinceLog;

    private float[] raw = new float[0];
    private float[] filtered = new float[0];
    private byte[] flags = new byte[0];
    private double[] times = new double[0];

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
        super(session, streamId, Math.round(config.maxHoldSeconds() * requireRegular(rate, session, streamId)), journal,
                stats, clockMicros);
        this.config = config;
        this.name = session + "/" + streamId;
        this.kind = kind;
        this.channels = channels;
        this.rate = rate;
        this.period = 1.0 / rate;
        int q = config.filter().decimationFactor(rate);
        this.outRate = rate / q;

        nonFinite = new NonFiniteHold(channels);
        clock = new ClockCheck(name, rate, config.clockToleranceSeconds(), stats.clockJumps);
        settling = new GapSettling(config.filter().cascade(rate), Math.round(config.maxGapSeconds() * rate),
                (int) Math.ceil(60 * rate));
        filters = new FilterBank(config.filter().cascade(rate), channels);
        ring = new SampleRing(channels, (int) Math.ceil(config.bufferSeconds() * rate));
        decimator = new Decimator(ring, q, config.flatThreshold());
        statistics = new FrozenStatistics(session, streamId, config.calibrationEpochs(),
                config.calibration().filter(c -> c.kind() == kind && c.channels() == channels).orElse(null),
                this::fitRobust, journal);
        clamp = new Clamp(config.clamp(), config.peakToPeakThreshold());
        windows = new SlidingWindows(Math.max(1, (int) Math.round(config.windowStepSeconds() * rate)),
                Math.max(1, (int) Math.round(config.windowSeconds() * outRate)), q);
        schedule = new SnapshotSchedule(Math.round(config.snapshotSeconds() * rate));
        snapshot = new StepSnapshots(SNAPSHOT_LAYOUT, List.of(nonFinite, clock, settling, filters));

        this.preprocessingPrefix = kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + config.filter().describe(rate)
                + (config.baseline() ? "/baseline" : "") + "/robust" + (config.clamp() > 0 ? "/clamp"
                + (int) config.clamp() : "");
        if (outRate != config.filter().targetRateHz()) {
            LOG.warn("{}: {} Hz is not an integer multiple of {} Hz; decimating by {} gives {} Hz", name, rate,
                    config.filter().targetRateHz(), q, outRate);
        }
    }

    private static double requireRegular(double rate, String session, String streamId) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("stream " + session + "/" + streamId + " has nominal rate " + rate
                    + ": continuous epoching needs a regular rate");
        }
        return rate;
    }

    public int decimationFactor() {
        return decimator.q();
    }

    public double outputRate() {
        return outRate;
    }

    public Calibration calibration() {
        return statistics.calibration();
    }

    // ------------------------------------------------------------------ chunks

    @Override
    protected void chunk(SampleChunk chunk, int skip) {
        if (!started) {
            start(chunk.firstSequence());
        }
        accept(chunk, skip);
    }

    @Override
    protected void dataEnded(long at) {
        LOG.info("{}: data ends at sequence {} (ingest stopped reading the stream): markers whose onset is here are "
                + "cut with what exists", name, at);
        evaluatePending(Mode.ENDED);
    }

    @Override
    protected void missing(long from, long to, boolean atSource) {
        if (!started) {
            start(to);
            return;
        }
        bridge(from, to, atSource);
    }

    @Override
    protected void check(SampleChunk c) {
        if (!c.isWhole() || c.totalChannels() != channels) {
            throw new IllegalArgumentException("chunk " + c + " does not match stream " + name + " (" + channels
                    + " channels)");
        }
        if (c.nominalRate() != rate) {
            throw new IllegalArgumentException("chunk " + c + " has nominal rate " + c.nominalRate()
                    + " Hz, the stream started at " + rate + " Hz");
        }
    }

    private void start(long seq) {
        started = true;
        nextSeq = seq;
        ring.reset(seq);
        windows.startAt(seq);
    }

    /**
     * Samples {@code from … toSeq−1} will never come: hold the last values (flag GAP), or restart when the hole is
     * longer than {@code maxGapSeconds}. Either way the filters' settling time after it is flagged GAP too.
     */
    private void bridge(long from, long toSeq, boolean atSource) {
        long missing = toSeq - from;
        if (!atSource) {
            stats.deliveryHolesBridged.increment();
            LOG.error("{}: records for sequences {} … {} never arrived while {} s of later data waited for them: "
                            + "given up as lost (flag GAP). Every journaled record should reach Kafka: check ingest's "
                            + "forwarder", name, from, toSeq - 1, config.maxHoldSeconds());
        }
        if (missing > Math.round(config.maxGapSeconds() * rate)) {
            stats.streamRestarts.increment();
            if (!replaying) {
                LOG.warn("{}: gap of {} samples ({} s) from sequence {} exceeds {} s: restarting the filters at {}",
                        name, missing, missing / rate, from, config.maxGapSeconds(), toSeq);
            }
            nonFinite.reset();
            clock.reset();
            filters.restart();
            windows.forget();
            start(toSeq);
            settling.afterRestart(toSeq);
            return;
        }
        int n = (int) missing;
        ensureScratch(n);
        nonFinite.fill(raw, n);
        clock.bridge(times, n);
        java.util.Arrays.fill(flags, 0, n, (byte) QualityFlags.GAP);
        stats.gapSamplesFilled.add(n);
        if (!replaying) {
            LOG.warn("{}: {} samples missing before sequence {}: bridged by holding the last values (flag GAP)", name,
                    n, toSeq);
        }
        filters.filter(raw, filtered, n);
        ring.append(filtered, raw, 0, times, 0, flags, n);
        nextSeq += n;
        settling.afterHole(toSeq, n);
        afterAppend();
    }

    private void accept(SampleChunk c, int skip) {
        int n = c.sampleCount() - skip;
        if (skip == 0 && !replaying && schedule.due(nextSeq)) {
            journal.snapshot(session, streamId, nextSeq, snapshot.write(nextSeq));
        }
        ensureScratch(c.sampleCount());
        c.copyFloats(raw, 0);
        java.util.Arrays.fill(flags, 0, n, (byte) 0);
        int replaced = nonFinite.clean(raw, skip, n, flags);
        clock.check(c.timestamps(), skip, n, nextSeq, times, flags, replaying);
        settling.mark(nextSeq, n, flags);
        if (replaced > 0) {
            reportNonFinite(replaced, c.firstSequence());
        }
        filters.filter(raw, filtered, n);
        ring.append(filtered, raw, 0, times, 0, flags, n);
        nextSeq += n;
        afterAppend();
    }

    /** Counted always; logged once per stream every 10 s, not once per chunk: a broken channel would flood the log. */
    private void reportNonFinite(int replaced, long firstSequence) {
        stats.nonFiniteValues.add(replaced);
        nonFiniteSinceLog += replaced;
        long now = System.nanoTime();
        if (!replaying && now - lastNonFiniteLog > 10_000_000_000L) {
            LOG.warn("{}: {} non-finite values since the last report (first at sequence {}): held at the last "
                    + "finite value (flag NON_FINITE)", name, nonFiniteSinceLog, firstSequence);
            lastNonFiniteLog = now;
            nonFiniteSinceLog = 0;
        }
    }

    private void ensureScratch(int samples) {
        if (raw.length < samples * channels) {
            raw = new float[samples * channels];
            filtered = new float[samples * channels];
        }
        if (flags.length < samples) {
            flags = new byte[samples];
            times = new double[samples];
        }
    }

    private void afterAppend() {
        evict();
        if (replaying) {
            return;
        }
        evaluatePending(Mode.WAIT);
        if (config.windowsEnabled()) {
            emitWindows();
        }
    }

    /** Keeps the newest snapshot at or before the ring's oldest sample; everything older can go. */
    private void evict() {
        long keep = schedule.prune(ring.first());
        if (keep != Long.MIN_VALUE && !replaying) {
            journal.evictBefore(session, streamId, keep);
        }
        if (!ring.isEmpty()) {
            done.forgetBefore(ring.time(ring.first()) - config.bufferSeconds());
        }
    }

    // ------------------------------------------------------------------ markers

    @Override
    public void onMarker(Marker m, EpochRule rule, Consumer<Epoch> out) {
        if (done.contains(m)) {
            stats.duplicateMarkers.increment();
            return;
        }
        String key = EpochIds.markerKey(m);
        for (Pending p : pending) {
            if (EpochIds.markerKey(p.marker).equals(key)) {
                stats.duplicateMarkers.increment();
                return;
            }
        }
        if (pending.size() >= MAX_PENDING) {
            Pending oldest = pending.remove(0);
            stats.markersExpired.increment();
            LOG.warn("{}: more than {} markers waiting for data; giving up on {}", name, MAX_PENDING,
                    describe(oldest.marker));
            markDone(oldest.marker);
        }
        boolean there = !ring.isEmpty() && nearest(m.timestamp()) >= 0
                && nearest(m.timestamp()) + endOffset(rule) < ring.next();
        pending.add(new Pending(m, rule, there));
        this.out = out;
        try {
            evaluatePending(ended ? Mode.ENDED : Mode.WAIT);
        } finally {
            this.out = null;
        }
    }

    private long nearest(double t) {
        return ring.nearest(t, period);
    }

    private long startOffset(EpochRule r) {
        return Math.round(r.tmin() * outRate) * decimator.q();
    }

    private long endOffset(EpochRule r) {
        return Math.round(r.tmax() * outRate) * decimator.q();
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

    private void evaluatePending(Mode mode) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (ring.isEmpty()) {
                if (mode == Mode.FLUSH) {
                    expire(p, "no data at all");
                    it.remove();
                }
                continue;
            }
            long onset = p.onset != Long.MIN_VALUE ? p.onset : nearest(p.marker.timestamp());
            if (onset >= 0) {
                p.onset = onset;
            }
            if (onset == -1 || (onset >= 0 && onset + startOffset(p.rule) < ring.first())) {
                stats.markersDataGone.increment();
                LOG.warn("{}: data for {} is not held (buffer holds {} … {} s: it was lost at the source, or the "
                                + "marker came more than --buffer late); counted as markersDataGone", name,
                        describe(p.marker), ring.time(ring.first()), ring.time(ring.next() - 1));
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
                    LOG.warn("{}: {}: the stream's data ends {} samples before the epoch does: cut with what exists "
                            + "(flags GAP|LATE)", name, describe(p.marker), onset + endOffset(p.rule) - ring.next() + 1);
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
        LOG.warn("{}: no epoch for {}: {}; counted as markersExpired", name, describe(p.marker), why);
        markDone(p.marker);
    }

    private void markDone(Marker m) {
        done.add(m);
        journal.markerDone(session, streamId, m);
    }

    private static String describe(Marker m) {
        return "marker " + m.streamId() + "#" + m.sequence() + " '" + (m.label() != null ? m.label() : m.code())
                + "' at " + m.timestamp() + " s";
    }

    // ------------------------------------------------------------------ cutting

    /** Decimate → baseline → robust scale (the block collected while calibrating) → clamp. */
    private Epoch cutMarkerEpoch(Pending p, long onset, int flags) {
        int q = decimator.q();
        long start = onset + startOffset(p.rule);
        int times = (int) ((endOffset(p.rule) - startOffset(p.rule)) / q) + 1;
        int baselineTimes = (int) (-startOffset(p.rule) / q) + 1;
        float[] data = new float[channels * times];
        flags |= decimator.cut(start, times, data);
        if (config.baseline()) {
            Baseline.subtract(data, channels, times, baselineTimes);
        }
        Calibration frozen = statistics.calibration();
        statistics.collect(data);
        RobustScale.apply(data, channels, times, frozen);
        flags |= clamp.apply(data, channels, times);
        statistics.freezeIfReady();
        Marker m = p.marker;
        Trigger trigger = new Trigger(TriggerKind.MARKER, m.timestamp(), m.sequence(), m.label(), m.code(),
                m.imageId());
        return new Epoch(session, EpochIds.of(session, streamId, EpochIds.MARKER, m.sequence()), streamId, kind,
                trigger, ring.time(start), ring.time(decimator.lastUsed(start, times)), outRate, channels, times,
                data, preprocessingId(frozen), flags | (frozen != null ? 0 : QualityFlags.UNCALIBRATED), traces.cut());
    }

    /** Decimate → robust scale → clamp, for every window whose last sample the ring now holds. */
    private void emitWindows() {
        int length = windows.length();
        while (windows.next() < ring.next()) {
            long start = windows.start();
            if (start >= ring.first()) {
                float[] data = new float[channels * length];
                int flags = decimator.cut(start, length, data);
                Calibration frozen = statistics.calibration();
                RobustScale.apply(data, channels, length, frozen);
                flags |= clamp.apply(data, channels, length);
                long index = windows.index();
                Trigger trigger = new Trigger(TriggerKind.WINDOW, ring.time(windows.next()), index, null, null, null);
                out.accept(new Epoch(session, EpochIds.of(session, streamId, EpochIds.WINDOW, index), streamId, kind,
                        trigger, ring.time(start), ring.time(windows.next()), outRate, channels, length, data,
                        preprocessingId(frozen), flags | (frozen != null ? 0 : QualityFlags.UNCALIBRATED), traces.cut()));
                stats.windowsOut.increment();
            }
            windows.advance();
            journal.windowProgress(session, streamId, windows.next());
        }
    }

    /** The robust scaler's frozen statistics: median and IQR per channel over every sample of the blocks. */
    private Calibration fitRobust(List<float[]> blocks) {
        int n = blocks.size();
        int times = blocks.get(0).length / channels;
        float[] all = new float[channels * n * times];
        for (int e = 0; e < n; e++) {
            float[] d = blocks.get(e);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(d, c * times, all, c * n * times + e * times, times);
            }
        }
        float[][] s = RobustStatistics.medianIqr(all, channels, n * times);
        return Calibration.of(kind, Calibration.ROBUST, s[0], s[1], "session " + session + " stream " + streamId
                + ": first " + n + " marker epochs (" + n * times + " samples per channel)");
    }

    private String preprocessingId(Calibration frozen) {
        return preprocessingPrefix + ":" + (frozen != null ? frozen.id() : "uncalibrated");
    }

    // ------------------------------------------------------------------ end of input, restart

    @Override
    public void flush(Consumer<Epoch> out) {
        flushSequence(out);
        this.out = out;
        try {
            evaluatePending(Mode.FLUSH);
        } finally {
            this.out = null;
        }
    }

    @Override
    public double newestTime() {
        return ring.isEmpty() ? Double.NaN : ring.time(ring.next() - 1);
    }

    @Override
    public void restoreSnapshot(byte[] state) {
        long seq = snapshot.read(state, name);
        start(seq);
        resetSequenceTo(seq);
        schedule.restoredAt(seq);
    }

    @Override
    public void restoreProgress(long nextWindow, Collection<Marker> doneMarkers, Calibration restored,
                                List<float[]> calibrationBlocks) {
        windows.restore(nextWindow);
        done.restore(doneMarkers);
        statistics.restore(restored, calibrationBlocks);
    }
}
