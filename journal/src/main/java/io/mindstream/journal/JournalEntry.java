package io.mindstream.journal;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;

import java.util.Objects;

/**
 * One journaled record: the encoded contracts record (the exact bytes that go to Kafka) plus the few fields the
 * forwarder and the restart logic need without decoding it.
 *
 * @param type          what the payload is
 * @param kind          the stream kind; decides the Kafka topic of chunks and markers ({@link Topics#rawTopic})
 * @param flags         {@link io.mindstream.contracts.QualityFlags} bits raised by the per-stream checks for this record
 * @param session       the session (the Kafka key)
 * @param streamId      the source stream
 * @param sequence      first sample sequence of a chunk, or the marker sequence; a description's
 *                      {@code fromSequence}
 * @param sampleCount   samples in a chunk (1 for a marker); 0 for all but the first slice of a split volume and for
 *                      a description
 * @param lastTimestamp LSL timestamp (ingest host clock) of the last sample held; NaN for a description
 * @param clockOffset   the time correction that mapped the source's stamps onto the host clock, so a restart can
 *                      continue the checks in the source's own clock ({@code lastTimestamp - clockOffset})
 * @param payload       the encoded record
 */
public record JournalEntry(EntryType type, StreamKind kind, int flags, String session, String streamId, long sequence,
                           int sampleCount, double lastTimestamp, double clockOffset, byte[] payload) {

    public JournalEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * The entry for a sample chunk: the header fields come from the chunk.
     *
     * @param samples the samples it adds to its stream (0 for continuation slices of a split sample and for an end)
     * @param payload the chunk encoded with {@code SampleChunkCodec}
     */
    public static JournalEntry ofChunk(SampleChunk c, int samples, int flags, double clockOffset, byte[] payload) {
        double[] ts = c.timestamps();
        // an end has no sample: its last stamp is NaN, which is how the journal's readers tell it from the
        // continuation slices of a split sample (also 0 samples)
        return new JournalEntry(EntryType.SAMPLE_CHUNK, c.kind(), flags, c.session(), c.streamId(), c.firstSequence(),
                samples, c.isEnd() ? Double.NaN : ts[ts.length - 1], clockOffset, payload);
    }

    /** The entry for a marker; {@code payload} is the marker encoded with {@code MarkerCodec}. */
    public static JournalEntry ofMarker(Marker m, int flags, double clockOffset, byte[] payload) {
        return new JournalEntry(EntryType.MARKER, StreamKind.MARKER, flags, m.session(), m.streamId(), m.sequence(),
                1, m.timestamp(), clockOffset, payload);
    }

    /**
     * The entry for a stream's description; {@code payload} is it encoded with {@code StreamDescriptionCodec}. It
     * holds no record of the stream's data: no samples, no stamp, so {@link StreamPositions} passes over it.
     */
    public static JournalEntry ofDescription(StreamDescription d, byte[] payload) {
        return new JournalEntry(EntryType.STREAM_DESCRIPTION, d.kind(), 0, d.session(), d.streamId(),
                d.fromSequence(), 0, Double.NaN, 0.0, payload);
    }

    /** True for a record of the stream's data (a chunk or a marker), false for a description. */
    public boolean isData() {
        return type != EntryType.STREAM_DESCRIPTION;
    }

    /**
     * True for an end of a stream's data (a chunk with no samples, see docs/contracts.md). Continuation slices of a
     * split sample also count 0 samples, but carry their sample's stamp; an end's stamp is NaN.
     */
    public boolean isEnd() {
        return type == EntryType.SAMPLE_CHUNK && sampleCount == 0 && Double.isNaN(lastTimestamp);
    }

    /** The Kafka topic this entry is forwarded to: its kind's raw topic, or {@link Topics#STREAMS}. */
    public String topic() {
        return type == EntryType.STREAM_DESCRIPTION ? Topics.STREAMS : Topics.rawTopic(kind);
    }
}
