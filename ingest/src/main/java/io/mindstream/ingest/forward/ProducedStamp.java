package io.mindstream.ingest.forward;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.RecordFormatException;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.contracts.codec.StreamDescriptionCodec;
import io.mindstream.journal.JournalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What production ingest sends for a journal entry: the record with the {@link Stage#PRODUCED} trace stamp added
 * (decode, stamp, encode: the record's data bytes are unchanged), timestamped in Kafka with its event time
 * ({@link #eventTimeMillis}) rather than the moment it is sent. Used by the forwarder on the forwarder thread.
 *
 * <p>Why the event time: a backlog (after a broker outage or an ingest restart) is sent minutes late, and Kafka
 * Streams chooses between its input partitions by record timestamp. With send times, a late MEG backlog would sort
 * after markers that were sent on time, and the processor would pair them in the wrong order.
 */
public final class ProducedStamp implements RecordPreparer {

    private static final Logger LOG = LoggerFactory.getLogger(ProducedStamp.class);

    /**
     * How far before its {@link Stage#JOURNALED} stamp an {@link Stage#ACQUIRED} stamp may lie and still be taken as
     * the event time. An inlet buffers at most {@code --max-buffer} seconds (360 by default), so anything older is a
     * source stamping in another clock domain (flagged CLOCK by the checks); such a stamp would put the record
     * outside the topic's retention, or make the broker reject it, so the journaling time is used instead.
     */
    static final long MAX_ACQUIRED_AGE_MICROS = 3_600_000_000L;
    /** How far after JOURNALED an ACQUIRED stamp may lie: clock-sync noise of the LSL → wall clock mapping. */
    static final long MAX_ACQUIRED_LEAD_MICROS = 1_000_000L;

    private final SampleChunkCodec chunks = new SampleChunkCodec();
    private final MarkerCodec markers = new MarkerCodec();
    private final StreamDescriptionCodec descriptions = new StreamDescriptionCodec();

    @Override
    public Outgoing prepare(JournalEntry e) {
        return switch (e.type()) {
            case SAMPLE_CHUNK -> {
                SampleChunk c = chunks.decode(e.payload());
                yield new Outgoing(chunks.encode(c.withTrace(c.trace().withNow(Stage.PRODUCED))),
                        eventTimeMillis(c.trace()));
            }
            case MARKER -> {
                Marker m = markers.decode(e.payload());
                yield new Outgoing(markers.encode(new Marker(m.session(), m.streamId(), m.sequence(), m.timestamp(),
                        m.label(), m.code(), m.imageId(), m.trace().withNow(Stage.PRODUCED))), eventTimeMillis(m.trace()));
            }
            case STREAM_DESCRIPTION -> {
                StreamDescription d;
                try {
                    d = descriptions.decode(e.payload());
                } catch (RecordFormatException bad) {
                    // nothing depends on a description to be delivered: pass the bytes on as journaled (readers of
                    // raw.streams name it and go on) rather than stop the stream of everything after it
                    LOG.error("stream {}: a journaled stream description cannot be read ({}); forwarded as it is",
                            e.streamId(), bad.getMessage());
                    yield new Outgoing(e.payload(), Outgoing.NO_TIMESTAMP);
                }
                yield new Outgoing(descriptions.encode(d.withTrace(d.trace().withNow(Stage.PRODUCED))),
                        eventTimeMillis(d.trace()));
            }
        };
    }

    /**
     * The record's event time in ms: its {@link Stage#ACQUIRED} stamp (when its last sample left the source) when
     * that is plausible next to {@link Stage#JOURNALED}, else JOURNALED (records with no sample, such as the
     * end-of-stream chunk, have no ACQUIRED stamp), else {@link Outgoing#NO_TIMESTAMP}.
     */
    public static long eventTimeMillis(TraceStamps trace) {
        long acquired = trace.get(Stage.ACQUIRED);
        long journaled = trace.get(Stage.JOURNALED);
        // records from ingest always carry JOURNALED; for any other, now is the reference
        long reference = journaled > 0 ? journaled : TraceStamps.nowMicros();
        if (acquired > 0 && acquired >= reference - MAX_ACQUIRED_AGE_MICROS
                && acquired <= reference + MAX_ACQUIRED_LEAD_MICROS) {
            return acquired / 1000;
        }
        return journaled > 0 ? journaled / 1000 : Outgoing.NO_TIMESTAMP;
    }
}
