package io.mindstream.ingest.forward;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;

/**
 * Per partition the forwarder writes to, {@code scanFrom}: the offset from which records of journal entries after
 * the acknowledged prefix ({@code lastAckedIndex}) can appear. The invariant a restart relies on: <em>every record
 * of this journal in the partition whose index is above {@code lastAckedIndex} lies at or after
 * {@code scanFrom}</em>, so reading from there to the end finds every entry that is already delivered.
 *
 * <p>How it moves, and why that keeps the invariant:
 * <ul>
 *   <li>Within one producer session records land in send order, which is journal order. So when an entry this
 *       session sent is acknowledged at offset {@code o} and becomes part of the acknowledged prefix, every record of
 *       a later entry in that partition lies after {@code o}: {@code scanFrom} may move to {@code o + 1}.</li>
 *   <li>After a recovery scan that is no longer true: the partition may hold entries 15–20 (found by the scan, not
 *       resent) while 10–14 are resent and land after them. Moving {@code scanFrom} past a resent 10 would leave
 *       15–20, still above the prefix, behind it. So a partition where the scan found entries is <em>held</em>:
 *       {@code scanFrom} stays put until the acknowledged prefix reaches the highest index found there. An entry
 *       skipped as already delivered never moves it either (its offset is not known to be below every later
 *       entry's).</li>
 *   <li>A partition never written to gets its end offset, measured before the first send to it.</li>
 * </ul>
 * {@code scanFrom} only ever increases, so an older saved copy stays valid: it just makes the next scan longer.
 *
 * <p>Forwarder thread only.
 */
final class ScanWindow {

    private final Map<TopicPartition, Long> scanFrom = new HashMap<>();
    /** Partitions held by a recovery scan → the highest index found there. */
    private final Map<TopicPartition, Long> heldUntil = new HashMap<>();

    ScanWindow(Map<TopicPartition, Long> initial) {
        scanFrom.putAll(initial);
    }

    /** A copy of the current offsets (what the checkpoint saves). */
    Map<TopicPartition, Long> offsets() {
        return new HashMap<>(scanFrom);
    }

    boolean knows(TopicPartition tp) {
        return scanFrom.containsKey(tp);
    }

    int size() {
        return scanFrom.size();
    }

    /** A partition about to get its first record: records of ours can only appear from its current end. */
    void firstWrite(TopicPartition tp, long endOffset) {
        scanFrom.putIfAbsent(tp, endOffset);
    }

    /** A lost checkpoint: the partition is read from {@code offset} (its start) by the recovery scan. */
    void scanFromStart(TopicPartition tp, long offset) {
        scanFrom.merge(tp, offset, Math::min);
    }

    /** After a recovery scan: hold each partition where entries after {@code lastAcked} were found. */
    void hold(Map<TopicPartition, Long> highestFound, long lastAcked) {
        heldUntil.clear();
        highestFound.forEach((tp, highest) -> {
            if (highest > lastAcked) {
                heldUntil.put(tp, highest);
            }
        });
    }

    boolean held(TopicPartition tp) {
        return heldUntil.containsKey(tp);
    }

    /**
     * An entry this session sent was acknowledged at {@code offset} in {@code tp} and is about to join the
     * acknowledged prefix (call before {@link #acknowledgedThrough}).
     */
    void sentAndAcknowledged(TopicPartition tp, long offset) {
        if (offset >= 0 && !heldUntil.containsKey(tp)) {
            scanFrom.merge(tp, offset + 1, Math::max);
        }
    }

    /** The acknowledged prefix now reaches {@code lastAcked}: partitions whose found entries it covers are released. */
    void acknowledgedThrough(long lastAcked) {
        if (!heldUntil.isEmpty()) {
            heldUntil.values().removeIf(highest -> highest <= lastAcked);
        }
    }
}
