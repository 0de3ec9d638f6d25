package io.mindstream.ingest.forward;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.ingest.journal.JournalEntry;

import java.util.function.Function;

/**
 * Adds the {@link Stage#PRODUCED} trace stamp to a journaled record just before it is handed to the producer
 * (decode, stamp, encode: the record's data bytes are unchanged). Used by the forwarder on the forwarder thread.
 */
public final class ProducedStamp implements Function<JournalEntry, byte[]> {

    private final SampleChunkCodec chunks = new SampleChunkCodec();
    private final MarkerCodec markers = new MarkerCodec();

    @Override
    public byte[] apply(JournalEntry e) {
        return switch (e.type()) {
            case SAMPLE_CHUNK -> {
                SampleChunk c = chunks.decode(e.payload());
                yield chunks.encode(c.withTrace(c.trace().withNow(Stage.PRODUCED)));
            }
            case MARKER -> {
                Marker m = markers.decode(e.payload());
                yield markers.encode(new Marker(m.session(), m.streamId(), m.sequence(), m.timestamp(), m.label(),
                        m.code(), m.imageId(), m.trace().withNow(Stage.PRODUCED)));
            }
        };
    }
}
