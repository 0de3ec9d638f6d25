package io.mindstream.cli;

import io.mindstream.contracts.Topics;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.runtime.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kafka} and {@code topics} against real brokers. */
class KafkaCommandsTest {

    static Path freshDir(String name) throws Exception {
        Path base = Path.of("target", "cli-test-data");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, name + "-");
    }

    @Test
    void topicsShowsPartitionsEndOffsetsAndCounts() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(freshDir("topics")))) {
            kafka.createTopics(Topics.defaults());
            kafka.createTopics(List.of(new Topics.Spec("extra.topic", 1, Duration.ofHours(12))));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 5; i++) {
                    p.send(new ProducerRecord<>("raw.meg", 1, "s", new byte[]{1}));
                }
                for (int i = 0; i < 2; i++) {
                    p.send(new ProducerRecord<>("results", 0, "s", new byte[]{2}));
                }
                p.flush();
            }
            MindstreamCliTest.Run r = MindstreamCliTest.run("topics", "--bootstrap-servers", kafka.bootstrapServers());
            assertEquals(0, r.exit(), r.err());
            Map<String, String[]> rows = r.out().lines().map(l -> l.trim().split("\\s+"))
                    .collect(Collectors.toMap(a -> a[0], a -> a, (a, b) -> a));
            assertEquals(List.of("raw.meg", "3", "7d", "5", "0,5,0"), List.of(rows.get("raw.meg")));
            assertEquals(List.of("results", "3", "7d", "2", "2,0,0"), List.of(rows.get("results")));
            assertEquals(List.of("raw.fmri", "3", "7d", "0", "0,0,0"), List.of(rows.get("raw.fmri")));
            assertEquals("7", rows.get("total")[1]);
            assertTrue(!rows.containsKey("extra.topic"), "only pipeline topics without --all");

            MindstreamCliTest.Run all = MindstreamCliTest.run("topics", "--all", "--bootstrap-servers",
                    kafka.bootstrapServers());
            assertTrue(all.out().lines().anyMatch(l -> l.matches("extra\\.topic\\s+1\\s+12h\\s+0\\s+0")), all.out());
        }
    }

    @Test
    void topicsReportsMissingTopicsOnAnExternalClusterWithoutCreatingThem() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(freshDir("bare")))) {
            MindstreamCliTest.Run r = MindstreamCliTest.run("topics", "--bootstrap-servers", kafka.bootstrapServers());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("raw\\.meg\\s+missing")), r.out());
            MindstreamCliTest.Run created = MindstreamCliTest.run("topics", "--create-topics", "--bootstrap-servers",
                    kafka.bootstrapServers());
            assertTrue(created.out().lines().anyMatch(l -> l.matches("raw\\.meg\\s+3\\s+7d\\s+0\\s+0,0,0")),
                    created.out());
        }
    }

    /**
     * The {@code kafka} command in its own JVM, as a user runs it: it prints its address, serves clients, and on
     * SIGTERM (what Ctrl-C's SIGINT also triggers: the shutdown hooks) stops cleanly.
     */
    @Test
    void kafkaCommandServesUntilSignalledThenStopsCleanly() throws Exception {
        Path dir = freshDir("kafka-cmd");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Mindstream.class.getName(), "kafka", "--port", "0", "--controller-port", "0",
                "--data-dir", dir.toString(), "--partitions", "2", "--retention", "36h");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = br.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            Pattern ready = Pattern.compile("Kafka broker running at (127\\.0\\.0\\.1:\\d+)");
            String bootstrap = null;
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (bootstrap == null && System.nanoTime() < deadline) {
                String l = lines.poll(1, TimeUnit.SECONDS);
                if (l != null) {
                    seen.add(l);
                    Matcher m = ready.matcher(l);
                    if (m.find()) {
                        bootstrap = m.group(1);
                    }
                }
                assertTrue(p.isAlive() || !lines.isEmpty(), "kafka command died:\n" + String.join("\n", seen));
            }
            assertNotNull(bootstrap, "no address printed:\n" + String.join("\n", seen));

            try (Admin admin = TopicAdmin.connect(bootstrap)) {
                TopicAdmin t = new TopicAdmin(admin);
                Set<String> names = t.listTopics();
                assertTrue(names.containsAll(Topics.defaults().stream().map(Topics.Spec::name).toList()), names.toString());
                TopicAdmin.TopicStats meg = t.describe(List.of("raw.meg")).get(0);
                assertEquals(2, meg.partitions().size());
                assertEquals(Duration.ofHours(36), meg.retention().orElseThrow());
            }

            // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe.
            assertTrue(p.toHandle().destroy());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kafka command did not stop on SIGTERM");
            reader.join(5000);
            String rest = String.join("\n", lines);
            assertTrue(rest.contains("Kafka broker stopped cleanly"), "exit " + p.exitValue() + ":\n" + rest);
            // a clean stop is a quiet one: no warning, no stack trace
            assertTrue(rest.lines().noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ")
                    || l.contains("Exception")), "the stop printed warnings:\n" + rest);
            assertTrue(Files.exists(dir.resolve("log").resolve("meta.properties")));
        } finally {
            p.destroyForcibly();
        }
    }
}
