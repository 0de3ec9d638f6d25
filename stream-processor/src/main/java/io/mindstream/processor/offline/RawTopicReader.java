package io.mindstream.processor.offline;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Replays the recorded raw topics (every {@link Topics#rawTopics()}) from their beginning to the offsets
 * they had when the replay started, merging all partitions by record timestamp (ties: topic order, then offset) the
 * way a Kafka Streams task picks its next record, and hands each decoded record ({@link SampleChunk} or
 * {@link Marker}) to a consumer. Records that do not decode are logged, counted and skipped.
 */
public final class RawTopicReader {

    private static final Logger LOG = LoggerFactory.getLogger(RawTopicReader.class);
    /** Every raw topic, in the order ties are broken (one per stream kind: {@link Topics#rawTopics()}). */
    public static final List<String> TOPICS = Topics.rawTopics();

    private final String bootstrapServers;
    private final Set<String> sessions;
    private long undecodable;
    private long records;

    /** @param sessions sessions to replay (empty: all) */
    public RawTopicReader(String bootstrapServers, Set<String> sessions) {
        this.bootstrapServers = bootstrapServers;
        this.sessions = sessions;
    }

    public long undecodable() {
        return undecodable;
    }

    public long records() {
        return records;
    }

    public void replay(Consumer<Object> sink, Consumer<String> progress) {
        Deserializer<SampleChunk> chunks = ContractSerdes.sampleChunk().deserializer();
        Deserializer<Marker> markers = ContractSerdes.marker().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.reader(bootstrapServers,
                "mindstream-epochs-offline"))) {
            List<TopicPartition> parts = TopicReader.partitions(consumer, TOPICS);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
            long total = 0;
            Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues = new HashMap<>();
            List<TopicPartition> open = new ArrayList<>();
            for (TopicPartition tp : parts) {
                total += end.get(tp) - begin.get(tp);
                if (end.get(tp) > begin.get(tp)) {
                    open.add(tp);
                    queues.put(tp, new ArrayDeque<>());
                }
            }
            progress.accept("replaying " + total + " records from " + open.size() + " partitions of "
                    + String.join(", ", TOPICS) + " at " + bootstrapServers);
            long lastReport = System.nanoTime();
            while (!open.isEmpty()) {
                boolean starving = open.stream().anyMatch(tp -> queues.get(tp).isEmpty());
                if (starving) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() < end.get(tp)) {
                            queues.get(tp).add(r);
                        }
                    }
                    // a partition whose queue is still empty but which has been read to its end is finished
                    open.removeIf(tp -> queues.get(tp).isEmpty() && consumer.position(tp) >= end.get(tp));
                    if (open.stream().anyMatch(tp -> queues.get(tp).isEmpty())) {
                        continue;
                    }
                }
                TopicPartition next = null;
                ConsumerRecord<byte[], byte[]> best = null;
                for (TopicPartition tp : open) {
                    ConsumerRecord<byte[], byte[]> h = queues.get(tp).peek();
                    if (h != null && (best == null || h.timestamp() < best.timestamp()
                            || (h.timestamp() == best.timestamp() && TOPICS.indexOf(h.topic())
                            < TOPICS.indexOf(best.topic())))) {
                        best = h;
                        next = tp;
                    }
                }
                if (next == null) {
                    continue;
                }
                queues.get(next).poll();
                if (queues.get(next).isEmpty() && best.offset() + 1 >= end.get(next)) {
                    open.remove(next);
                }
                records++;
                deliver(best, chunks, markers, sink);
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format("%,d / %,d records replayed", records, total));
                }
            }
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> r, Deserializer<SampleChunk> chunks,
                         Deserializer<Marker> markers, Consumer<Object> sink) {
        Object v;
        try {
            v = r.topic().equals(Topics.MARKERS) ? markers.deserialize(r.topic(), r.value())
                    : chunks.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            undecodable++;
            LOG.warn("{}-{}@{}: cannot decode: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        if (v == null) {
            return;
        }
        String session = v instanceof Marker m ? m.session() : ((SampleChunk) v).session();
        if (sessions.isEmpty() || sessions.contains(session)) {
            sink.accept(v);
        }
    }
}
