package io.mindstream.contracts;

import java.util.Objects;

/**
 * What a source said about one of its streams when ingest opened it: the stream's full LSL stream-info XML (name,
 * type, channel count, format, rate, and the free-form {@code <desc>} with channel labels, types, units and whatever
 * the acquisition adds), as received. The samples do not carry any of this; exports ({@code export --fif},
 * {@code export --xdf}) need it to name the channels and to write the stream header the source published.
 *
 * <p>Ingest journals one per stream and ingest run, and again when a stream comes back with a different description;
 * each applies to the stream's samples from {@code fromSequence} on.
 *
 * @param session      subject/run key
 * @param streamId     the stream's id (its source_id, or its name when it has none)
 * @param kind         the stream's kind, as ingest classified it
 * @param fromSequence the stream's next sample (or marker) sequence number when the description was taken
 * @param xml          the stream-info document ({@code <info>…</info>}), as the source sent it
 * @param trace        wall-clock trace stamps (JOURNALED, PRODUCED)
 */
public record StreamDescription(String session, String streamId, StreamKind kind, long fromSequence, String xml,
                                TraceStamps trace) {

    public StreamDescription {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(xml, "xml");
        Objects.requireNonNull(trace, "trace");
        if (fromSequence < 0) {
            throw new IllegalArgumentException("fromSequence " + fromSequence + " < 0");
        }
    }

    public StreamDescription withTrace(TraceStamps t) {
        return new StreamDescription(session, streamId, kind, fromSequence, xml, t);
    }
}
