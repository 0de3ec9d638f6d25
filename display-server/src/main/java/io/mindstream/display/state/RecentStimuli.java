package io.mindstream.display.state;

import io.mindstream.contracts.Marker;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The last stimulus onsets per session (markers that name an image), to answer "what was on the screen one
 * haemodynamic delay before this fMRI volume?". A volume shows the response to what was seen some seconds earlier,
 * so an fMRI result for a volume is shown beside the stimulus of {@code volume time − delay}, not the current one.
 */
public final class RecentStimuli {

    /** One onset: its time on the ingest host's clock, the image and the marker's label. */
    public record Onset(String session, double time, String imageId, String label) {
    }

    private final int capacity;
    private final ArrayDeque<Onset> onsets = new ArrayDeque<>();

    public RecentStimuli(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Remembers a marker that names an image; others are ignored. */
    public synchronized void add(Marker m) {
        if (m.imageId() == null || m.imageId().isEmpty()) {
            return;
        }
        onsets.addLast(new Onset(m.session(), m.timestamp(), m.imageId(), m.label()));
        while (onsets.size() > capacity) {
            onsets.pollFirst();
        }
    }

    /** The session's latest onset at or before {@code time}, or null when none is remembered. */
    public synchronized Onset shownAt(String session, double time) {
        Onset best = null;
        for (Iterator<Onset> it = onsets.descendingIterator(); it.hasNext(); ) {
            Onset o = it.next();
            if (o.session().equals(session) && o.time() <= time && (best == null || o.time() > best.time())) {
                best = o;
            }
        }
        return best;
    }
}
