package io.mindstream.journal;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.SampleChunkCodec;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A session read from the ingest journal. Journal order is arrival order, which can differ from time order across
 * streams by a pull or two; a small reorder window (by first stamp) puts items back in time order. Stream
 * descriptions are collected as they are read ({@link #descriptions()}); one that cannot be read (damaged, or an
 * entry type of a newer build) is passed over and named in {@link #problems()}: the data does not depend on it.
 */
public final class JournalRecording implements Recording {

    /** Stream time items are held back to be sorted across streams. */
    static final double REORDER_WINDOW_SECONDS = 1.0;

    private final Journal.Reader reader;
    private final String session;
    private final Set<String> streams;
    private final SampleChunkCodec chunks = new SampleChunkCodec();
    private final MarkerCodec markers = new MarkerCodec();
    private final DescriptionLog descriptions;
    private final VolumeAssembler volumes = new VolumeAssembler();
    private final PriorityQueue<ReplayItem> window =
            new PriorityQueue<>(Comparator.comparingDouble(ReplayItem::firstTimestamp));
    private double newest = Double.NEGATIVE_INFINITY;
    private boolean exhausted;

    /**
     * @param session the session to read; null = every session in the journal
     * @param streams stream ids to include; empty = all of the session
     */
    public JournalRecording(Journal journal, String session, Set<String> streams) {
        this.reader = journal.reader();
        this.session = session;
        this.streams = Set.copyOf(streams);
        this.descriptions = new DescriptionLog(streams);
    }

    @Override
    public ReplayItem next() {
        while (!exhausted && (window.isEmpty() || newest - window.peek().firstTimestamp() < REORDER_WINDOW_SECONDS)) {
            JournalEntry e;
            try {
                e = reader.next();
            } catch (Journal.UnreadableEntryException unknown) {
                descriptions.passedOver(unknown.getMessage());
                continue;
            }
            if (e == null) {
                exhausted = true;
                break;
            }
            if ((session != null && !e.session().equals(session))
                    || (!streams.isEmpty() && !streams.contains(e.streamId()))) {
                continue;
            }
            ReplayItem item;
            if (e.type() == EntryType.STREAM_DESCRIPTION) {
                descriptions.read(e.payload(), reader.describe() + ": the description of stream " + e.streamId());
                continue;
            }
            if (e.type() == EntryType.MARKER) {
                item = ReplayItem.of(markers.decode(e.payload()));
            } else {
                SampleChunk whole = volumes.accept(chunks.decode(e.payload())).orElse(null);
                if (whole == null) {
                    continue;
                }
                item = ReplayItem.of(whole);
            }
            newest = Math.max(newest, item.firstTimestamp());
            window.add(item);
        }
        return window.poll();
    }

    @Override
    public List<StreamDescription> descriptions() {
        return descriptions.descriptions();
    }

    @Override
    public List<String> problems() {
        return descriptions.problems();
    }

    @Override
    public void close() {
        reader.close();
    }
}
