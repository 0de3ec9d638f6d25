package io.mindstream.processor.epoch;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Which journaled snapshots a stream still needs: a replay must start from the newest snapshot at or before the oldest
 * sample (or volume) still buffered, so every snapshot before that one can go. Shared by every stream kind.
 */
public final class SnapshotRetention {

    private SnapshotRetention() {
    }

    /**
     * Drops from {@code snapshots} (sequence numbers, oldest first) every snapshot that a newer one at or before
     * {@code oldestBuffered} supersedes.
     *
     * @return the sequence of the snapshot now first, if any was dropped (journal entries before it can be evicted),
     *         else {@link Long#MIN_VALUE}
     */
    public static long prune(ArrayDeque<Long> snapshots, long oldestBuffered) {
        long keep = Long.MIN_VALUE;
        while (snapshots.size() > 1) {
            Iterator<Long> it = snapshots.iterator();
            it.next();
            long second = it.next();
            if (second <= oldestBuffered) {
                snapshots.pollFirst();
                keep = snapshots.peekFirst();
            } else {
                break;
            }
        }
        return keep;
    }
}
