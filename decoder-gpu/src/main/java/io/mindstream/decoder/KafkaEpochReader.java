package io.mindstream.decoder;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.codec.ContractSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads a topic of epochs from its beginning to the end offsets it had when reading started (no consumer group). */
public final class KafkaEpochReader {

    private static final Logger log = LoggerFactory.getLogger(KafkaEpochReader.class);

    private KafkaEpochReader() {
    }

    /** Reads the whole topic and keeps the epochs of one session, in topic order. */
    public static List<Epoch> readSession(String bootstrapServers, String topic, String session) {
        List<Epoch> epochs = new ArrayList<>();
        readToEnd(bootstrapServers, topic, e -> {
            if (e.session().equals(session)) {
                epochs.add(e);
            }
        });
        return epochs;
    }

    /** @return how many undecodable records were skipped */
    public static long readToEnd(String bootstrapServers, String topic, Consumer<Epoch> sink) {
        long skipped = 0;
        try (KafkaConsumer<String, Epoch> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200),
                ContractSerdes.sessionKey().deserializer(), ContractSerdes.epoch().deserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                try {
                    for (ConsumerRecord<String, Epoch> r : c.poll(Duration.ofMillis(500))) {
                        sink.accept(r.value());
                    }
                } catch (RecordDeserializationException e) {
                    skipped++;
                    log.error("{}: skipping undecodable record at {} offset {}: {}", topic, e.topicPartition(),
                            e.offset(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                    c.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        return skipped;
    }
}
