package io.mindstream.kafka;

import io.mindstream.runtime.kafka.TopicAdmin;
import io.mindstream.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real KRaft broker on free ports with its data under target/: round trips, topic settings, restarts. */
class EmbeddedKafkaTest {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaTest.class);

    static Path freshDir(String name) throws Exception {
        Path base = Path.of("target", "kafka-test-data");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, name + "-");
    }

    static Map<String, Object> producerConfig(String bootstrap) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0);
    }

    static Map<String, Object> consumerConfig(String bootstrap) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    /** Reads everything from the beginning of {@code topic} until {@code expected} records arrived or 30 s passed. */
    static List<ConsumerRecord<String, byte[]>> consumeAll(String bootstrap, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig(bootstrap), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        return got;
    }

    @Test
    void produceConsumeRoundTripOnPipelineTopic() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(freshDir("roundtrip")))) {
            assertTrue(kafka.freshStorage());
            assertNotEquals(0, kafka.port());
            kafka.createTopics(Topics.defaults());
            int n = 500;
            List<byte[]> sent = new ArrayList<>();
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerConfig(kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < n; i++) {
                    byte[] value = ("chunk-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
                    sent.add(value);
                    p.send(new ProducerRecord<>("raw.meg", "session-" + (i % 4), value));
                }
                p.flush();
            }
            List<ConsumerRecord<String, byte[]>> got = consumeAll(kafka.bootstrapServers(), "raw.meg", n);
            assertEquals(n, got.size());
            // Each key lands on one partition and stays in order there.
            for (int s = 0; s < 4; s++) {
                String key = "session-" + s;
                List<ConsumerRecord<String, byte[]>> forKey = got.stream().filter(r -> r.key().equals(key)).toList();
                assertEquals(1, forKey.stream().map(ConsumerRecord::partition).distinct().count());
                List<byte[]> expected = new ArrayList<>();
                for (int i = s; i < n; i += 4) {
                    expected.add(sent.get(i));
                }
                assertEquals(expected.size(), forKey.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), forKey.get(i).value());
                }
            }
        }
    }

    @Test
    void createsTopicsWithPartitionsAndRetentionIdempotently() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(freshDir("topics")))) {
            List<Topics.Spec> specs = List.of(new Topics.Spec("t.five", 5, Duration.ofHours(36)),
                    new Topics.Spec("t.one", 1, Duration.ofMinutes(15)));
            List<TopicAdmin.Outcome> first = kafka.createTopics(specs);
            assertTrue(first.stream().allMatch(o -> o.status() == TopicAdmin.Status.CREATED));
            List<TopicAdmin.Outcome> second = kafka.createTopics(specs);
            assertTrue(second.stream().allMatch(o -> o.status() == TopicAdmin.Status.EXISTS), second.toString());
            List<TopicAdmin.Outcome> other = kafka.createTopics(List.of(new Topics.Spec("t.five", 2, Duration.ofDays(1))));
            assertEquals(TopicAdmin.Status.EXISTS_DIFFERENT, other.get(0).status());
            assertEquals(5, other.get(0).actualPartitions());

            try (Admin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
                Map<String, TopicDescription> d = admin.describeTopics(List.of("t.five", "t.one")).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                assertEquals(5, d.get("t.five").partitions().size());
                assertEquals(1, d.get("t.one").partitions().size());
                Map<ConfigResource, Config> cfg = admin.describeConfigs(List.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, "t.five"),
                        new ConfigResource(ConfigResource.Type.TOPIC, "t.one"))).all().get(30, TimeUnit.SECONDS);
                assertEquals(Long.toString(Duration.ofHours(36).toMillis()),
                        cfg.get(new ConfigResource(ConfigResource.Type.TOPIC, "t.five")).get("retention.ms").value());
                assertEquals(Long.toString(Duration.ofMinutes(15).toMillis()),
                        cfg.get(new ConfigResource(ConfigResource.Type.TOPIC, "t.one")).get("retention.ms").value());

                TopicAdmin topics = new TopicAdmin(admin);
                topics.setRetention(List.of("t.one"), Duration.ofDays(2));
                assertEquals(Duration.ofDays(2), topics.describe(List.of("t.one")).get(0).retention().orElseThrow());
            }
        }
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsAndRecords() throws Exception {
        Path dir = freshDir("restart");
        String value = "survives a restart " + UUID.randomUUID();
        long t0 = System.nanoTime();
        int firstPort;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir))) {
            long tStarted = System.nanoTime();
            firstPort = kafka.port();
            assertTrue(kafka.freshStorage());
            kafka.createTopics(List.of(new Topics.Spec("kept", 2, Duration.ofDays(7))));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerConfig(kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>("kept", "k", value.getBytes(StandardCharsets.UTF_8))).get();
            }
            log.info("first start (formats storage) took {} ms", TimeUnit.NANOSECONDS.toMillis(tStarted - t0));
        }
        long tStopped = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir))) {
            log.info("restart on existing storage took {} ms (port {} → {})",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - tStopped), firstPort, kafka.port());
            assertFalse(kafka.freshStorage());
            List<TopicAdmin.Outcome> o = kafka.createTopics(List.of(new Topics.Spec("kept", 2, Duration.ofDays(7))));
            assertEquals(TopicAdmin.Status.EXISTS, o.get(0).status());
            List<ConsumerRecord<String, byte[]>> got = consumeAll(kafka.bootstrapServers(), "kept", 1);
            assertEquals(1, got.size());
            assertEquals(value, new String(got.get(0).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void secondBrokerOnTheSameDirectoryFailsWithAClearMessage() throws Exception {
        Path dir = freshDir("locked");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir))) {
            EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class,
                    () -> EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir)));
            assertTrue(e.getMessage().contains("in use by another broker"), e.getMessage());
            // and the first one is unharmed
            try (Admin admin = TopicAdmin.connect(kafka.bootstrapServers())) {
                assertEquals(java.util.Set.of(), new TopicAdmin(admin).listTopics());
            }
        }
    }

    @Test
    void busyPortFailsWithAClearMessage() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName(EmbeddedKafka.HOST))) {
            EmbeddedKafkaException e = assertThrows(EmbeddedKafkaException.class, () -> EmbeddedKafka.start(
                    new EmbeddedKafka.Settings(freshDir("busy"), busy.getLocalPort(), 0)));
            assertTrue(e.getMessage().contains(EmbeddedKafka.HOST + ":" + busy.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        }
    }
}
