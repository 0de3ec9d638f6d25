package io.mindstream.processor.offline;

import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalRecording;
import io.mindstream.journal.ReplayItem;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The raw records of an ingest journal, for {@code epochs --offline --from journal}: sample chunks (split fMRI
 * volumes reassembled) and markers, per session in time order as {@link JournalRecording} restores it from arrival
 * order — the order {@code replay --from journal} re-publishes them in.
 */
public final class JournalSource {

    private JournalSource() {
    }

    /** Feeds every record of {@code sessions} (empty = all) to {@code sink}; returns how many. */
    public static long replay(Journal journal, List<String> sessions, Consumer<Object> sink) {
        long n = 0;
        for (String session : sessions.isEmpty() ? Collections.<String>singletonList(null) : sessions) {
            try (JournalRecording recording = new JournalRecording(journal, session, Set.of())) {
                for (ReplayItem item = recording.next(); item != null; item = recording.next()) {
                    sink.accept(item.chunk() != null ? item.chunk() : item.marker());
                    n++;
                }
            }
        }
        return n;
    }
}
