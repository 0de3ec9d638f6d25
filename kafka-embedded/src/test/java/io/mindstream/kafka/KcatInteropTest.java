package io.mindstream.kafka;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.contracts.codec.SampleChunkCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded broker speaks Kafka to a client that is not ours: kcat (librdkafka). Runs only where kcat is
 * installed ({@code apt-get install kcat}); skipped with a message otherwise. The manual version is in
 * docs/kafka.md.
 */
class KcatInteropTest {

    private static EmbeddedKafka kafka;

    static boolean kcatInstalled() {
        try {
            Process p = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(kcatInstalled(), "kcat is not installed (apt-get install kcat): kcat interop checks skipped");
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(EmbeddedKafkaTest.freshDir("kcat")));
        kafka.createTopics(Topics.defaults());
        kafka.createTopics(List.of(new Topics.Spec("kcat.in", 1, Duration.ofDays(1)),
                new Topics.Spec("kcat.out", 1, Duration.ofDays(1))));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Runs kcat and returns its stdout bytes; fails with its stderr if it exits non-zero. */
    static byte[] kcat(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kcat", "-b", kafka.bootstrapServers()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[][] err = new byte[1][];
        Thread t = new Thread(() -> {
            try (InputStream e = p.getErrorStream()) {
                err[0] = e.readAllBytes();
            } catch (IOException ignored) {
                err[0] = new byte[0];
            }
        });
        t.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kcat did not finish: " + cmd);
        t.join();
        assertEquals(0, p.exitValue(), "kcat failed: " + cmd + "\n" + new String(err[0]));
        return out.toByteArray();
    }

    /** Bytes that break any text handling: zeros, newlines, high bytes. */
    static byte[] awkwardBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = 0;
        b[1] = '\n';
        b[n - 1] = (byte) 0xff;
        return b;
    }

    @Test
    void kcatListsTheBrokerAndThePipelineTopics() throws Exception {
        String meta = new String(kcat("-L"));
        assertTrue(meta.contains("1 brokers:"), meta);
        assertTrue(meta.contains("broker 1 at " + kafka.bootstrapServers()), meta);
        for (Topics.Spec s : Topics.defaults()) {
            assertTrue(meta.contains("topic \"" + s.name() + "\" with " + s.partitions() + " partitions"), meta);
        }
    }

    @Test
    void javaProducedBytesReadByKcatAreIdentical() throws Exception {
        byte[] value = awkwardBytes(4096, 7);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(EmbeddedKafkaTest.producerConfig(
                kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>("kcat.out", "session-1", value)).get();
        }
        byte[] got = kcat("-C", "-t", "kcat.out", "-o", "beginning", "-e", "-q", "-f", "%s");
        assertArrayEquals(value, got);
    }

    /**
     * The contracts module's committed sample-chunk vector, produced through our serde, is what a non-Java consumer
     * reads: the wire format on Kafka is exactly the documented one.
     */
    @Test
    void committedSampleChunkVectorProducedWithOurSerdeIsReadByKcatByteForByte() throws Exception {
        Path vectorFile = Path.of("..", "contracts", "src", "test", "resources", "vectors", "sample-chunk.bin");
        assertTrue(Files.exists(vectorFile), "test vector missing: " + vectorFile.toAbsolutePath());
        byte[] vector = Files.readAllBytes(vectorFile);
        SampleChunk chunk = new SampleChunkCodec().decode(vector);
        RecordMetadata m;
        try (KafkaProducer<String, SampleChunk> p = new KafkaProducer<>(EmbeddedKafkaTest.producerConfig(
                kafka.bootstrapServers()), ContractSerdes.sessionKey().serializer(),
                ContractSerdes.sampleChunk().serializer())) {
            m = p.send(new ProducerRecord<>(Topics.rawTopic(chunk.kind()), chunk.session(), chunk)).get();
        }
        byte[] got = kcat("-C", "-t", m.topic(), "-p", Integer.toString(m.partition()), "-o", Long.toString(m.offset()),
                "-c", "1", "-e", "-q", "-f", "%s");
        assertArrayEquals(vector, got);
        assertEquals(chunk.session(), new String(kcat("-C", "-t", m.topic(), "-p", Integer.toString(m.partition()),
                "-o", Long.toString(m.offset()), "-c", "1", "-e", "-q", "-f", "%k")));
    }

    @Test
    void kcatProducedFileReadByJavaIsIdentical() throws Exception {
        byte[] value = awkwardBytes(3000, 11);
        Path file = EmbeddedKafkaTest.freshDir("kcat-file").resolve("value.bin");
        Files.write(file, value);
        // kcat -P with a file argument sends the whole file as one message.
        kcat("-P", "-t", "kcat.in", "-k", "session-2", file.toString());
        List<ConsumerRecord<String, byte[]>> got = EmbeddedKafkaTest.consumeAll(kafka.bootstrapServers(), "kcat.in", 1);
        assertEquals(1, got.size());
        assertEquals("session-2", got.get(0).key());
        assertArrayEquals(value, got.get(0).value());
    }
}
