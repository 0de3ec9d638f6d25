package io.mindstream.ingest.forward;

import io.mindstream.journal.JournalEntry;

/**
 * Turns a journal entry into what the forwarder sends for it: the record value and the record's Kafka timestamp.
 * One call per send, on the forwarder thread, so whatever has to look inside the payload (for the PRODUCED stamp
 * and for the event time) decodes it once.
 */
@FunctionalInterface
public interface RecordPreparer {

    /** The payload as journaled, with no explicit timestamp: for payloads that are not contracts records (tests). */
    RecordPreparer AS_IS = e -> new Outgoing(e.payload(), Outgoing.NO_TIMESTAMP);

    Outgoing prepare(JournalEntry entry);

    /**
     * One record's value and Kafka timestamp.
     *
     * @param value           the record value
     * @param timestampMillis the record's Kafka timestamp (ms since the Unix epoch), or {@link #NO_TIMESTAMP} to let
     *                        the producer stamp its send time
     */
    record Outgoing(byte[] value, long timestampMillis) {
        public static final long NO_TIMESTAMP = -1;

        /** The timestamp as the producer API takes it (null = the producer's clock). */
        public Long timestampOrNull() {
            return timestampMillis == NO_TIMESTAMP ? null : timestampMillis;
        }
    }
}
