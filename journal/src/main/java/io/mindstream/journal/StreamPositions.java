package io.mindstream.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Where every stream stood when the journal was last written: recovered at start-up, so a restarted ingest
 * continues each stream's sequence numbers and sees the samples it missed while down as one gap.
 */
public final class StreamPositions {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPositions.class);

    /** A stream's next sequence number and the stamp of its last journaled sample in the source's own clock. */
    public record Position(long nextSequence, double lastSourceTimestamp) {
    }

    private StreamPositions() {
    }

    /** Reads every entry header of the journal (payloads are not decoded). Keyed by session + '/' + stream id. */
    public static Map<String, Position> recover(Journal journal) {
        Map<String, Position> out = new HashMap<>();
        long n = 0;
        long t0 = System.nanoTime();
        try (Journal.Reader r = journal.reader()) {
            while (true) {
                JournalEntry e;
                try {
                    e = r.next();
                } catch (Journal.UnreadableEntryException unknown) {
                    // a newer build's entry type: it holds no chunk or marker this build could continue from
                    LOG.warn("{}", unknown.getMessage());
                    continue;
                }
                if (e == null) {
                    break;
                }
                n++;
                if (e.isEnd() || !e.isData()) {
                    // an end sits at the next sequence already, and has no stamp to continue the checks from; a
                    // description holds no record of the stream
                    continue;
                }
                long next = e.sequence() + Math.max(1, e.sampleCount());
                String key = key(e.session(), e.streamId());
                Position prev = out.get(key);
                if (prev == null || next >= prev.nextSequence()) {
                    out.put(key, new Position(next, e.lastTimestamp() - e.clockOffset()));
                }
            }
        }
        if (n > 0) {
            LOG.info("journal: {} entries read in {} ms; {} streams resume where they stopped", n,
                    (System.nanoTime() - t0) / 1_000_000, out.size());
        }
        return out;
    }

    public static String key(String session, String streamId) {
        return session + "/" + streamId;
    }
}
