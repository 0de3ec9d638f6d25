package io.mindstream.ingest.marker;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.ingest.chunk.RecordSink;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.stats.StreamStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.DoubleSupplier;

/**
 * Turns one marker stream's samples into contracts {@link Marker}s: string streams give labels (with the image id
 * parsed), integer streams give codes. Every channel value of a sample is one marker (marker streams normally have
 * one channel). Each marker gets the stream's next sequence number, rejected ones included, so a rejection shows
 * as a hole in the sequence downstream; a rejected marker is logged naming the stream, counted as dropped, and
 * nothing else is affected.
 *
 * <p>Not thread-safe: one per stream, driven by its inlet thread.
 */
public final class MarkerAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(MarkerAssembler.class);

    private final String session;
    private final String streamId;
    private final MarkerParser parser;
    private final StreamChecker checker;
    private final StreamStats stats;
    private final RecordSink sink;
    private final DoubleSupplier lslClock;
    private double offset;
    /** The stream was read before (by an earlier run, or an earlier reader) and then not, until now. */
    private boolean unobserved;

    public MarkerAssembler(String session, String streamId, MarkerParser parser, StreamChecker checker,
                           StreamStats stats, RecordSink sink, DoubleSupplier lslClock) {
        this.session = session;
        this.streamId = streamId;
        this.parser = parser;
        this.checker = checker;
        this.stats = stats;
        this.sink = sink;
        this.lslClock = lslClock;
        // LSL gives a new inlet no history: markers sent while nobody read the stream are gone, and how many is
        // unknowable. Say so where a reader of the topic can see it: the next marker skips a sequence number and
        // carries GAP (docs/contracts.md)
        this.unobserved = checker.nextSequence() > 0;
        if (unobserved) {
            LOG.warn("marker stream {}: not read from its last journaled marker (t={} s in the source's clock, "
                    + "sequence {}) until now: markers sent meanwhile are lost; the next marker carries GAP and its "
                    + "sequence number skips one", streamId, checker.lastTimestamp(), checker.nextSequence() - 1);
        }
    }

    /** The sequence number of the next marker, reporting an unobserved stretch before it once. */
    private long nextSequence(double remoteTs) {
        if (unobserved) {
            unobserved = false;
            checker.unobserved();
        }
        return checker.onSample(remoteTs);
    }

    /**
     * One string sample (all its channels) stamped {@code remoteTs} in the source's clock; {@code clockOffset} maps
     * it onto the ingest host's clock.
     */
    public void strings(String[] channels, double remoteTs, double clockOffset) {
        offset = clockOffset;
        double ts = remoteTs + clockOffset;
        stats.addReceived(channels.length);
        checker.checkClockDomain(ts, 1, lslClock.getAsDouble());
        for (String label : channels) {
            long seq = nextSequence(remoteTs);
            String why = parser.rejection(label);
            if (why != null) {
                reject(seq, why, label);
                continue;
            }
            emit(new Marker(session, streamId, seq, ts, label, null, MarkerParser.imageId(label), trace(ts)));
        }
    }

    /** One integer sample (its first {@code n} channels). */
    public void codes(long[] channels, int n, double remoteTs, double clockOffset) {
        offset = clockOffset;
        double ts = remoteTs + clockOffset;
        stats.addReceived(n);
        checker.checkClockDomain(ts, 1, lslClock.getAsDouble());
        for (int i = 0; i < n; i++) {
            long v = channels[i];
            long seq = nextSequence(remoteTs);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                reject(seq, "malformed marker: code " + v + " does not fit in 32 bits", null);
            } else {
                emit(new Marker(session, streamId, seq, ts, null, (int) v, null, trace(ts)));
            }
        }
    }

    /** One floating-point marker sample: integral values become codes, anything else is rejected. */
    public void numbers(double[] channels, int n, double remoteTs, double clockOffset) {
        offset = clockOffset;
        double ts = remoteTs + clockOffset;
        stats.addReceived(n);
        checker.checkClockDomain(ts, 1, lslClock.getAsDouble());
        for (int i = 0; i < n; i++) {
            double v = channels[i];
            long seq = nextSequence(remoteTs);
            if (!Double.isFinite(v) || v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                reject(seq, "malformed marker: value " + v + " is not an integer code", null);
            } else {
                emit(new Marker(session, streamId, seq, ts, null, (int) v, null, trace(ts)));
            }
        }
    }

    private TraceStamps trace(double ts) {
        long wallNow = TraceStamps.nowMicros();
        long acquired = wallNow - (long) ((lslClock.getAsDouble() - ts) * 1e6);
        return TraceStamps.empty().with(Stage.ACQUIRED, acquired).with(Stage.INGESTED, wallNow);
    }

    private void emit(Marker m) {
        sink.marker(m, checker.takeFlags(), offset);
    }

    private void reject(long seq, String why, String label) {
        stats.addDropped(1);
        LOG.warn("marker stream {}: marker {} rejected — {}{}; other markers and streams unaffected", streamId, seq,
                why, label == null ? "" : " (first 40 chars: '" + escape(label) + "')");
        checker.raise(QualityFlags.GAP);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(40).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
