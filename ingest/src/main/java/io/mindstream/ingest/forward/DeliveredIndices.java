package io.mindstream.ingest.forward;

import org.apache.kafka.common.TopicPartition;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The journal indices a recovery scan found in Kafka: which entries after the acknowledged prefix are there already
 * (so they are not sent again) and, per partition, the highest such index (until the acknowledged prefix passes it,
 * the partition's {@code scanFrom} must stay where it is: see {@link Forwarder}).
 *
 * <p>A sorted {@code long[]} rather than a set of boxed longs: after a lost checkpoint the scan reads whole topics,
 * millions of entries. Filled by {@link #add}, then {@link #seal}ed once and only read. Forwarder thread only.
 */
final class DeliveredIndices {

    private long[] indices = new long[64];
    private int size;
    private boolean sealed;
    private final Map<TopicPartition, Long> highestPerPartition = new HashMap<>();
    private final Map<TopicPartition, Long> countPerPartition = new HashMap<>();

    void add(TopicPartition tp, long index) {
        if (sealed) {
            throw new IllegalStateException("sealed");
        }
        if (size == indices.length) {
            indices = Arrays.copyOf(indices, size * 2);
        }
        indices[size++] = index;
        highestPerPartition.merge(tp, index, Math::max);
        countPerPartition.merge(tp, 1L, Long::sum);
    }

    /** Sorts and removes repeats (a record found twice is one delivered entry); no {@link #add} after this. */
    DeliveredIndices seal() {
        Arrays.sort(indices, 0, size);
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (n == 0 || indices[i] != indices[n - 1]) {
                indices[n++] = indices[i];
            }
        }
        size = n;
        sealed = true;
        return this;
    }

    boolean contains(long index) {
        return Arrays.binarySearch(indices, 0, size, index) >= 0;
    }

    /** Distinct indices found. */
    int size() {
        return size;
    }

    /** Per partition, the highest index found there. */
    Map<TopicPartition, Long> highestPerPartition() {
        return highestPerPartition;
    }

    /** Per partition, how many records of this journal (after the acknowledged prefix) were found there. */
    Map<TopicPartition, Long> countPerPartition() {
        return countPerPartition;
    }
}
