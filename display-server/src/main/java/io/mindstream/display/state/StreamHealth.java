package io.mindstream.display.state;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the display can tell about each stream from the records it consumes itself: record and sample rates (by
 * arrival and by LSL timestamps, against the nominal rate), gaps in the sample sequence, how far the ingest host's
 * LSL clock sits from the wall clock (and how much that moved), and how old the newest data is when it reaches the
 * display. The clock offset is wall clock minus LSL clock as ingest mapped it ({@link Stage#ACQUIRED} minus the
 * sample's LSL time); its drift is how far it moved since the stream was first seen — a jump there is a clock step on
 * the acquisition or ingest host. Fed by the consumer thread, read by the health reporter; all methods are synchronized.
 */
public final class StreamHealth {

    /** One stream's numbers for one report. Rates are per second over the last {@link WindowedRate#WINDOW_US}. */
    public record StreamReport(String streamId, String kind, String session, int channels, double nominalRate,
                               double samplesPerSec, double effectiveRate, double recordsPerSec, long records,
                               long samples, long gaps, long lostSamples, double clockOffsetS, double clockDriftMs,
                               double ageMs, double sinceLastMs, String lastLabel) {
    }

    private static final class Stream {
        final String streamId;
        final StreamKind kind;
        String session;
        int channels;
        double nominalRate;
        long records;
        long samples;
        long gaps;
        long lostSamples;
        long expectedSeq = -1;
        double lastTimestamp = Double.NaN;
        long lastAcquiredUs;
        long lastArrivalUs;
        double clockOffsetMs = Double.NaN;
        double firstOffsetMs = Double.NaN;
        double ageMs = Double.NaN;
        String lastLabel;
        // at the previous report
        long reportSamples;
        double reportTimestamp = Double.NaN;
        final WindowedRate recordRate = new WindowedRate();
        final WindowedRate sampleRate = new WindowedRate();

        Stream(String streamId, StreamKind kind) {
            this.streamId = streamId;
            this.kind = kind;
        }
    }

    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private long lastReportUs;

    /** A chunk arrived at {@code arrivalUs} (wall clock µs). */
    public synchronized void onChunk(SampleChunk c, long arrivalUs) {
        Stream s = streams.computeIfAbsent(c.kind() + "/" + c.streamId(), k -> new Stream(c.streamId(), c.kind()));
        s.session = c.session();
        s.channels = c.totalChannels();
        s.nominalRate = c.nominalRate();
        s.records++;
        s.lastArrivalUs = arrivalUs;
        if (c.channelOffset() != 0) {
            return;                       // the rest of a split sample: its samples were counted with the first part
        }
        int n = c.sampleCount();
        s.samples += n;
        if (c.lostBefore() > 0) {
            // the chunk says how many samples the source lost before it (a hole it does not account for is records
            // still on their way, not a loss)
            s.gaps++;
            s.lostSamples += c.lostBefore();
        }
        s.expectedSeq = Math.max(s.expectedSeq, c.firstSequence() + n);
        if (n > 0) {
            s.lastTimestamp = c.timestamps()[n - 1];
            long acquired = c.trace().get(Stage.ACQUIRED);
            if (acquired != 0) {
                s.lastAcquiredUs = acquired;
                s.clockOffsetMs = acquired / 1000.0 - s.lastTimestamp * 1000.0;
                if (Double.isNaN(s.firstOffsetMs)) {
                    s.firstOffsetMs = s.clockOffsetMs;
                }
                s.ageMs = (arrivalUs - acquired) / 1000.0;
            }
        }
    }

    public synchronized void onMarker(Marker m, long arrivalUs) {
        Stream s = streams.computeIfAbsent(StreamKind.MARKER + "/" + m.streamId(),
                k -> new Stream(m.streamId(), StreamKind.MARKER));
        s.session = m.session();
        s.records++;
        s.samples++;
        s.lastArrivalUs = arrivalUs;
        s.lastTimestamp = m.timestamp();
        s.lastLabel = m.label() != null ? m.label() : String.valueOf(m.code());
        if (s.expectedSeq >= 0 && m.sequence() > s.expectedSeq) {
            s.gaps++;
            s.lostSamples += m.sequence() - s.expectedSeq;
        }
        s.expectedSeq = Math.max(s.expectedSeq, m.sequence() + 1);
        long acquired = m.trace().get(Stage.ACQUIRED);
        if (acquired != 0) {
            s.clockOffsetMs = acquired / 1000.0 - m.timestamp() * 1000.0;
            if (Double.isNaN(s.firstOffsetMs)) {
                s.firstOffsetMs = s.clockOffsetMs;
            }
            s.ageMs = (arrivalUs - acquired) / 1000.0;
        }
    }

    /** One report per stream, rates over the reports of the last 10 s. */
    public synchronized List<StreamReport> report(long nowUs) {
        long previousReportUs = lastReportUs;
        lastReportUs = nowUs;
        List<StreamReport> out = new ArrayList<>(streams.size());
        for (Stream s : streams.values()) {
            double recRate = s.recordRate.rate(nowUs, s.records, previousReportUs);
            double sampRate = s.sampleRate.rate(nowUs, s.samples, previousReportUs);
            double span = s.lastTimestamp - s.reportTimestamp;
            double effective = span > 0 ? (s.samples - s.reportSamples) / span : Double.NaN;
            double drift = s.clockOffsetMs - s.firstOffsetMs;
            out.add(new StreamReport(s.streamId, s.kind.name(), s.session, s.channels, s.nominalRate, sampRate,
                    effective, recRate, s.records, s.samples, s.gaps, s.lostSamples, s.clockOffsetMs / 1000.0, drift, s.ageMs,
                    s.lastArrivalUs == 0 ? Double.NaN : (nowUs - s.lastArrivalUs) / 1000.0, s.lastLabel));
            s.reportSamples = s.samples;
            s.reportTimestamp = s.lastTimestamp;
        }
        return out;
    }
}
