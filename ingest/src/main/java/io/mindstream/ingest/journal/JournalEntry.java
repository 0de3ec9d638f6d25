package io.mindstream.ingest.journal;

import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;

import java.util.Objects;

/**
 * One journaled record: the encoded contracts record (the exact bytes that go to Kafka) plus the few fields the
 * forwarder and the restart logic need without decoding it.
 *
 * @param type          what the payload is
 * @param kind          the stream kind; decides the Kafka topic ({@link Topics#rawTopic})
 * @param flags         {@link io.mindstream.contracts.QualityFlags} bits raised by the per-stream checks for this record
 * @param session       the session (the Kafka key)
 * @param streamId      the source stream
 * @param sequence      first sample sequence of a chunk, or the marker sequence
 * @param sampleCount   samples in a chunk (1 for a marker); 0 for all but the first slice of a split volume
 * @param lastTimestamp LSL timestamp (ingest host clock) of the last sample held
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

    /** The Kafka topic this entry is forwarded to. */
    /**
     * True for an end of a stream's data (a chunk with no samples, see docs/contracts.md). Continuation slices of a
     * split sample also count 0 samples, but carry their sample's stamp; an end's stamp is NaN.
     */
    public boolean isEnd() {
        return type == EntryType.SAMPLE_CHUNK && sampleCount == 0 && Double.isNaN(lastTimestamp);
    }

    public String topic() {
        return Topics.rawTopic(kind);
    }
}
