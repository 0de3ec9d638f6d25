package io.mindstream.processor.step;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * When a stream snapshots its steps, and which snapshots it still needs: one every {@code interval} samples (or
 * volumes), and a rebuild must start from the newest snapshot at or before the oldest sample still buffered, so
 * every snapshot before that one can go. Shared by every stream kind.
 */
public final class SnapshotSchedule {

    private final long interval;
    private final ArrayDeque<Long> taken = new ArrayDeque<>();

    public SnapshotSchedule(long interval) {
        this.interval = Math.max(1, interval);
    }

    /** True when a snapshot is due just before sample {@code sequence}; it is then recorded as taken. */
    public boolean due(long sequence) {
        if (taken.isEmpty() || sequence - taken.peekLast() >= interval) {
            taken.addLast(sequence);
            return true;
        }
        return false;
    }

    /**
     * Drops every snapshot that a newer one at or before {@code oldestBuffered} supersedes.
     *
     * @return the sequence of the snapshot now first, if any was dropped (what was journaled before it can be
     *         evicted), else {@link Long#MIN_VALUE}
     */
    public long prune(long oldestBuffered) {
        long keep = Long.MIN_VALUE;
        while (taken.size() > 1) {
            Iterator<Long> it = taken.iterator();
            it.next();
            long second = it.next();
            if (second <= oldestBuffered) {
                taken.pollFirst();
                keep = taken.peekFirst();
            } else {
                break;
            }
        }
        return keep;
    }

    /** Starts over from a restored snapshot taken at {@code sequence}. */
    public void restoredAt(long sequence) {
        taken.clear();
        taken.addLast(sequence);
    }

    public void clear() {
        taken.clear();
    }
}
