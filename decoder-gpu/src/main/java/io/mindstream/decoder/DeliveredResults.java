package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The epoch ids whose results are already on the {@code results} topic, so the decoder never writes a result twice
 * (docs/reliability.md). A decoder that is killed between writing results and committing its input offsets reads
 * those epochs again after its restart; an at-least-once processor can, rarely, write an epoch twice. Both carry the
 * same deterministic epoch id. When the decoder is given partitions it reads the tail of the matching
 * {@code results} partitions (the topics are co-partitioned by session) and remembers what is there; it also
 * remembers what it writes itself. Reading back what was delivered, not trusting a local counter, is what makes this
 * hold across a crash.
 *
 * <p>Not thread-safe: used by the decoder's poll loop (and its rebalance callbacks, which run inside poll).
 */
final class DeliveredResults {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredResults.class);

    private final String bootstrapServers;
    private final int tailRecords;
    private final int capacity;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    /**
     * @param tailRecords results read back per partition on assignment (covers the epochs a killed decoder may have
     *                    answered but not committed: at most one poll)
     * @param capacity    ids remembered in all (oldest forgotten first)
     */
    DeliveredResults(String bootstrapServers, int tailRecords, int capacity) {
        this.bootstrapServers = bootstrapServers;
        this.tailRecords = tailRecords;
        this.capacity = capacity;
    }

    boolean contains(String epochId) {
        return ids.contains(epochId);
    }

    void add(String epochId) {
        ids.remove(epochId);
        ids.add(epochId);
        if (ids.size() > capacity) {
            Iterator<String> it = ids.iterator();
            it.next();
            it.remove();
        }
    }

    int size() {
        return ids.size();
    }

    /** Reads the last {@code tailRecords} results of each partition number among {@code assigned}. */
    void readBack(Collection<TopicPartition> assigned) {
        Set<Integer> partitions = new HashSet<>();
        assigned.forEach(tp -> partitions.add(tp.partition()));
        if (partitions.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        int[] found = {0};
        var values = ContractSerdes.decodeResult().deserializer();
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(Topics.RESULTS, p)).toList();
        new TopicReader(bootstrapServers, "mindstream-decoder-readback").readTail(tps, tailRecords, r -> {
            try {
                DecodeResult d = values.deserialize(r.topic(), r.value());
                if (d != null) {
                    add(d.epochId());
                    found[0]++;
                }
            } catch (RuntimeException ex) {
                LOG.warn("results-{}@{}: cannot decode while reading back: {}", r.partition(), r.offset(),
                        ex.getMessage());
            }
        });
        LOG.info("{} results already delivered for partitions {} (read back in {} ms)", found[0], partitions,
                (System.nanoTime() - t0) / 1_000_000);
    }
}
