package io.mindstream.ingest.journal;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.contracts.codec.StreamDescriptionCodec;
import io.mindstream.ingest.chunk.RecordSink;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalEntry;

/**
 * The production {@link RecordSink}: stamps {@link Stage#JOURNALED}, encodes the record with the contracts codec
 * and appends it to the journal. Once this returns, the record survives a crash.
 */
public final class JournalingSink implements RecordSink {

    private final Journal journal;
    private final IngestStats stats;
    private final SampleChunkCodec chunkCodec = new SampleChunkCodec();
    private final MarkerCodec markerCodec = new MarkerCodec();
    private final StreamDescriptionCodec descriptionCodec = new StreamDescriptionCodec();

    public JournalingSink(Journal journal, IngestStats stats) {
        this.journal = journal;
        this.stats = stats;
    }

    @Override
    public void chunk(SampleChunk c, int samples, int flags, double clockOffset) {
        SampleChunk stamped = c.withTrace(c.trace().withNow(Stage.JOURNALED));
        journal.append(JournalEntry.ofChunk(stamped, samples, flags, clockOffset, chunkCodec.encode(stamped)));
        stats.stream(c.streamId()).addJournaled(samples);
    }

    @Override
    public void marker(Marker m, int flags, double clockOffset) {
        Marker stamped = new Marker(m.session(), m.streamId(), m.sequence(), m.timestamp(), m.label(), m.code(),
                m.imageId(), m.trace().withNow(Stage.JOURNALED));
        journal.append(JournalEntry.ofMarker(stamped, flags, clockOffset, markerCodec.encode(stamped)));
        stats.stream(m.streamId()).addJournaled(1);
    }

    @Override
    public void description(StreamDescription d) {
        StreamDescription stamped = d.withTrace(d.trace().withNow(Stage.JOURNALED));
        journal.append(JournalEntry.ofDescription(stamped, descriptionCodec.encode(stamped)));
    }
}
