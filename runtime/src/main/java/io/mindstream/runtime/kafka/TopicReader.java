package io.mindstream.runtime.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reading topics to their end: what the offline recomputation, the audits, the read-backs and the rebuilds all do.
 * "The end" is each partition's end offset when reading starts, so records written meanwhile are not waited for.
 * Records come as bytes, partition by partition in offset order; the caller decodes (and skips what does not).
 */
public final class TopicReader {

    private static final Duration STALL = Duration.ofMinutes(2);

    private final Map<String, Object> settings;

    /** Reads with {@link KafkaClients#reader} settings. */
    public TopicReader(String bootstrapServers, String clientId) {
        this(KafkaClients.reader(bootstrapServers, clientId));
    }

    /** Reads with the given consumer settings (e.g. {@link KafkaClients#bulkReader}). */
    public TopicReader(Map<String, Object> settings) {
        this.settings = Map.copyOf(settings);
    }

    /**
     * Every record of {@code topics} (missing topics have none) from the start to the end, optionally only those
     * keyed {@code key}; then only the partition that key maps to is read (every producer here uses the default
     * partitioner or {@link #partitionForKey}), so auditing one of many sessions does not read all of them.
     */
    public void readAll(Collection<String> topics, byte[] key, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(settings)) {
            List<TopicPartition> tps = partitions(c, topics);
            if (key != null) {
                Map<String, Integer> counts = new HashMap<>();
                tps.forEach(tp -> counts.merge(tp.topic(), 1, Integer::sum));
                tps.removeIf(tp -> tp.partition() != partitionForKey(key, counts.get(tp.topic())));
            }
            Map<TopicPartition, Long> from = c.beginningOffsets(tps, Duration.ofSeconds(10));
            read(c, from, null, key, sink);
        }
    }

    /** The records of {@code tp} at offsets {@code from … through} (inclusive). */
    public void readRange(TopicPartition tp, long from, long through, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        if (through < from) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(settings)) {
            read(c, Map.of(tp, from), Map.of(tp, through + 1), null, sink);
        }
    }

    /** The last {@code count} records (at most) of each of {@code partitions}. */
    public void readTail(Collection<TopicPartition> partitions, int count,
                         Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(settings)) {
            List<TopicPartition> tps = new ArrayList<>(partitions);
            Map<TopicPartition, Long> begin = c.beginningOffsets(tps, Duration.ofSeconds(10));
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(10));
            Map<TopicPartition, Long> from = new HashMap<>();
            tps.forEach(tp -> from.put(tp, Math.max(begin.get(tp), end.get(tp) - count)));
            read(c, from, end, null, sink);
        }
    }

    /**
     * The partition Kafka's default partitioner puts a record keyed {@code key} in (murmur2 of the key bytes), for
     * code that must know it before sending (the forwarder) or read only it (audits, recordings).
     */
    public static int partitionForKey(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** The partitions of the topics that exist. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, Collection<String> topics) {
        List<TopicPartition> tps = new ArrayList<>();
        for (String t : topics) {
            List<PartitionInfo> infos = c.partitionsFor(t, Duration.ofSeconds(10));
            if (infos != null) {
                infos.forEach(i -> tps.add(new TopicPartition(t, i.partition())));
            }
        }
        return tps;
    }

    private static void read(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> from,
                             Map<TopicPartition, Long> until, byte[] key,
                             Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Map<TopicPartition, Long> end = until != null ? until : c.endOffsets(from.keySet(), Duration.ofSeconds(10));
        Set<TopicPartition> open = new HashSet<>();
        c.assign(from.keySet());
        from.forEach((tp, offset) -> {
            if (offset < end.get(tp)) {
                c.seek(tp, offset);
                open.add(tp);
            }
        });
        c.pause(from.keySet());
        c.resume(open);
        long lastProgress = System.nanoTime();
        while (!open.isEmpty()) {
            var records = c.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException("reading " + open + " made no progress for " + STALL.toMinutes()
                        + " minutes (is the cluster reachable?)");
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() >= end.get(tp)) {
                    continue;
                }
                if (key == null || Arrays.equals(key, r.key())) {
                    sink.accept(r);
                }
            }
            open.removeIf(tp -> c.position(tp) >= end.get(tp));
            c.pause(from.keySet());
            c.resume(open);
        }
    }
}
