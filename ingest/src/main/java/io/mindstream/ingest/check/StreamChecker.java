package io.mindstream.ingest.check;

import io.mindstream.contracts.QualityFlags;
import io.mindstream.ingest.stats.StreamStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The clock checks of one stream, sample by sample, and the owner of its sequence numbers.
 *
 * <p>Sequence numbers count samples on the stream's nominal timeline since the stream was first seen: consecutive
 * samples get consecutive numbers, and when a regular stream has a gap the sequence jumps by exactly the number of
 * samples missing ({@code round(Δt · rate) − 1}), so downstream sees the hole in the numbers too. Irregular streams
 * (rate 0) count received samples.
 *
 * <p>Checks (each counted in {@link StreamStats}, logged, and raising a {@link QualityFlags} bit for the records
 * that carry it): stamps in a foreign clock domain (e.g. Unix time), backward jumps, gaps, and drift of the
 * effective rate from the nominal one. Nothing is corrected: timestamps and values go on as they came.
 *
 * <p>Not thread-safe: one per stream, used by that stream's inlet thread.
 */
public final class StreamChecker {

    private static final Logger LOG = LoggerFactory.getLogger(StreamChecker.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final String streamId;
    private final double rate;
    private final double period;
    private final CheckConfig config;
    private final StreamStats stats;

    private long nextSequence;
    private double lastTs = Double.NaN;
    private int pendingFlags;

    // drift window: sequence and stamp at its start
    private long windowSeq = -1;
    private double windowTs;
    // jitter: exponentially weighted mean square of (interval - period)
    private double jitterMs2 = Double.NaN;

    private long lastBackwardLog;
    private long backwardSinceLog;
    private long lastForeignLog;

    public StreamChecker(String streamId, double nominalRate, CheckConfig config, StreamStats stats) {
        this.streamId = streamId;
        this.rate = nominalRate;
        this.period = nominalRate > 0 ? 1.0 / nominalRate : 0;
        this.config = config;
        this.stats = stats;
    }

    /** Continues a stream seen before (e.g. by an earlier run, recovered from the journal). */
    public void resume(long nextSequence, double lastTimestamp) {
        this.nextSequence = nextSequence;
        this.lastTs = lastTimestamp;
    }

    public long nextSequence() {
        return nextSequence;
    }

    public double lastTimestamp() {
        return lastTs;
    }

    /**
     * Checks a batch's stamps against the ingest host's LSL clock {@code localNow} (once per pulled batch, not per
     * sample): stamps far from it are in another clock domain.
     */
    public void checkClockDomain(double firstStamp, int samples, double localNow) {
        double off = firstStamp - localNow;
        if (Math.abs(off) > config.clockToleranceSeconds()) {
            stats.addForeignClockStamps(samples);
            pendingFlags |= QualityFlags.CLOCK;
            long now = System.nanoTime();
            if (now - lastForeignLog > LOG_EVERY_NANOS) {
                lastForeignLog = now;
                LOG.warn("stream {}: timestamps are {} s away from this host's LSL clock{} — flagged, not corrected "
                                + "({} such samples so far)", streamId, String.format(Locale.ROOT, "%.1f", off),
                        firstStamp > 9e8 ? " (they look like Unix-epoch seconds: the source stamps with wall-clock "
                                + "time instead of lsl_local_clock)" : "", stats.foreignClockStamps());
            }
        }
    }

    /** Checks one sample's stamp and returns its sequence number. */
    public long onSample(double ts) {
        if (!Double.isNaN(lastTs)) {
            double dt = ts - lastTs;
            if (dt < 0) {
                backward(dt);
            } else if (rate > 0) {
                if (dt > config.gapPeriods() * period) {
                    long missing = Math.round(dt * rate) - 1;
                    if (missing > 0) {
                        gap(dt, missing);
                    }
                } else {
                    double dev = (dt - period) * 1000.0;
                    jitterMs2 = Double.isNaN(jitterMs2) ? dev * dev : jitterMs2 + (dev * dev - jitterMs2) / 1000.0;
                }
            }
        }
        long seq = nextSequence++;
        if (rate > 0) {
            drift(seq, ts);
        }
        lastTs = ts;
        return seq;
    }

    private void backward(double dt) {
        stats.addBackwardJump();
        pendingFlags |= QualityFlags.CLOCK;
        backwardSinceLog++;
        long now = System.nanoTime();
        if (now - lastBackwardLog > LOG_EVERY_NANOS) {
            lastBackwardLog = now;
            LOG.warn("stream {}: timestamp jumped backwards by {} ms at sequence {} ({} backward jumps since the last "
                            + "report, {} in all) — flagged, not corrected", streamId,
                    String.format(Locale.ROOT, "%.3f", -dt * 1000), nextSequence, backwardSinceLog,
                    stats.backwardJumps());
            backwardSinceLog = 0;
        }
        windowSeq = -1;
    }

    private void gap(double dt, long missing) {
        stats.addGap(missing);
        pendingFlags |= QualityFlags.GAP;
        LOG.warn("stream {}: gap of {} s = {} samples missing before sequence {} (gap #{}, {} samples missing in all)",
                streamId, String.format(Locale.ROOT, "%.4f", dt), missing, nextSequence + missing, stats.gaps(),
                stats.missingSamples());
        nextSequence += missing;
    }

    private void drift(long seq, double ts) {
        if (windowSeq < 0) {
            windowSeq = seq;
            windowTs = ts;
            return;
        }
        double span = ts - windowTs;
        if (span >= config.driftWindowSeconds()) {
            double effective = (seq - windowSeq) / span;
            stats.effectiveRate(effective);
            double dev = effective / rate - 1;
            if (Math.abs(dev) > config.driftTolerance()) {
                stats.addDriftEvent();
                pendingFlags |= QualityFlags.CLOCK;
                LOG.warn("stream {}: effective rate {} Hz differs from nominal {} Hz by {} % over the last {} s "
                                + "(tolerance {} %) — flagged, not corrected", streamId,
                        String.format(Locale.ROOT, "%.4f", effective), rate,
                        String.format(Locale.ROOT, "%.3f", dev * 100), String.format(Locale.ROOT, "%.1f", span),
                        config.driftTolerance() * 100);
            }
            if (!Double.isNaN(jitterMs2)) {
                stats.jitter(Math.sqrt(jitterMs2) / 1000.0);
            }
            windowSeq = seq;
            windowTs = ts;
        }
    }

    /** RMS deviation of sample intervals from the nominal period, seconds (NaN before any interval). */
    public double jitterSeconds() {
        return Double.isNaN(jitterMs2) ? Double.NaN : Math.sqrt(jitterMs2) / 1000.0;
    }

    /** Flags raised since the last call (for the record being built), then cleared. */
    public int takeFlags() {
        int f = pendingFlags;
        pendingFlags = 0;
        return f;
    }

    /**
     * Marks that the stream went unobserved (ingest was not reading it) for an irregular stream, whose missed samples
     * cannot be counted: the next sample's sequence number skips one and its record carries GAP.
     */
    public void unobserved() {
        stats.addGap(0);
        nextSequence++;
        pendingFlags |= QualityFlags.GAP;
    }

    /** Raises a flag for the next record (used by value checks). */
    public void raise(int flag) {
        pendingFlags |= flag;
    }
}
