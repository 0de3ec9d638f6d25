package io.mindstream.kafka;

import io.mindstream.runtime.kafka.TopicAdmin;
import io.mindstream.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Record counts are end minus beginning offsets, per partition, so deleted records are not counted. */
class TopicAdminTest {

    @Test
    void describeCountsRetainedRecordsPerPartition() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(EmbeddedKafkaTest.freshDir("count")));
             Admin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
            TopicAdmin topics = new TopicAdmin(admin);
            topics.ensure(List.of(new Topics.Spec("counted", 3, Duration.ofDays(1))));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                    EmbeddedKafkaTest.producerConfig(kafka.bootstrapServers()), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    p.send(new ProducerRecord<>("counted", 0, "k", new byte[]{(byte) i}));
                }
                for (int i = 0; i < 7; i++) {
                    p.send(new ProducerRecord<>("counted", 2, "k", new byte[]{(byte) i}));
                }
                p.flush();
            }
            // Drop the first 4 records of partition 0: its beginning offset moves to 4.
            admin.deleteRecords(Map.of(new TopicPartition("counted", 0), RecordsToDelete.beforeOffset(4)))
                    .all().get(30, TimeUnit.SECONDS);

            List<TopicAdmin.TopicStats> stats = topics.describe(List.of("counted", "absent"));
            TopicAdmin.TopicStats counted = stats.get(0);
            assertTrue(counted.exists());
            assertEquals(List.of(new TopicAdmin.PartitionOffsets(0, 4, 10), new TopicAdmin.PartitionOffsets(1, 0, 0),
                    new TopicAdmin.PartitionOffsets(2, 0, 7)), counted.partitions());
            assertEquals(6 + 7, counted.records());
            assertEquals(Duration.ofDays(1), counted.retention().orElseThrow());
            assertFalse(stats.get(1).exists());
            assertEquals(0, stats.get(1).records());
        }
    }
}
