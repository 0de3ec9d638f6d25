package io.mindstream.cli.options;

import io.mindstream.contracts.Topics;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.runtime.DataDirs;
import io.mindstream.runtime.Durations;
import io.mindstream.runtime.kafka.KafkaAdminException;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicAdmin;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a command finds its cluster: external, an embedded broker already running, or one it starts itself. */
class BrokerOptionsTest {

    @TempDir
    static Path tmp;

    static Path freshDir(String name) throws java.io.IOException {
        return Files.createTempDirectory(tmp, name + "-");
    }

    private static EmbeddedKafka shared;

    @BeforeAll
    static void startShared() throws Exception {
        shared = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(freshDir("shared")));
    }

    @AfterAll
    static void stopShared() {
        shared.close();
    }

    private static Set<String> topicNames(String bootstrap) {
        try (var admin = TopicAdmin.connect(bootstrap)) {
            return new TopicAdmin(admin).listTopics();
        }
    }

    private static Set<String> pipelineTopics() {
        return Topics.defaults().stream().map(Topics.Spec::name).collect(Collectors.toSet());
    }

    @Test
    void externalClusterIsUsedAsIsAndTopicsOnlyOnRequest() throws Exception {
        try (EmbeddedKafka ext = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(freshDir("ext")))) {
            try (KafkaTarget t = BrokerOptions.of(ext.bootstrapServers(), null, false).open()) {
                assertEquals(KafkaTarget.Kind.EXTERNAL, t.kind());
                assertEquals(ext.bootstrapServers(), t.bootstrapServers());
                assertTrue(t.inProcessBroker().isEmpty());
                assertEquals(Set.of(), topicNames(ext.bootstrapServers()));
            }
            try (KafkaTarget t = BrokerOptions.of(ext.bootstrapServers(), null, true).open()) {
                assertEquals(pipelineTopics(), topicNames(t.bootstrapServers()));
            }
            // closing an external target leaves the cluster running
            assertTrue(BrokerOptions.listening(EmbeddedKafka.HOST, ext.port()));
        }
    }

    @Test
    void unreachableExternalClusterFailsWithTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedKafka.HOST))) {
            port = s.getLocalPort();
        }
        String addr = EmbeddedKafka.HOST + ":" + port;
        KafkaAdminException e = assertThrows(KafkaAdminException.class,
                () -> BrokerOptions.of(addr, null, false).open());
        assertTrue(e.getMessage().contains(addr), e.getMessage());
    }

    @Test
    void brokerAlreadyListeningAtTheEmbeddedAddressIsShared() throws Exception {
        Path unusedDir = freshDir("unused");
        BrokerOptions o = BrokerOptions.of(null, unusedDir, false).embeddedPorts(shared.port(), 0);
        try (KafkaTarget t = o.open()) {
            assertEquals(KafkaTarget.Kind.SHARED_EMBEDDED, t.kind());
            assertEquals(shared.bootstrapServers(), t.bootstrapServers());
            assertTrue(t.inProcessBroker().isEmpty());
            assertTrue(topicNames(shared.bootstrapServers()).containsAll(pipelineTopics()));
        }
        assertTrue(BrokerOptions.listening(EmbeddedKafka.HOST, shared.port()), "shared broker must keep running");
        assertFalse(Files.exists(unusedDir.resolve("log")), "no broker may have been started on the data dir");
    }

    @Test
    void withNothingListeningABrokerIsStartedInProcessAndStoppedOnClose() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedKafka.HOST))) {
            port = s.getLocalPort();
        }
        Path dir = freshDir("inproc");
        KafkaTarget t = BrokerOptions.of(null, dir, false).embeddedPorts(port, 0).open();
        try {
            assertEquals(KafkaTarget.Kind.IN_PROCESS, t.kind());
            assertEquals(EmbeddedKafka.HOST + ":" + port, t.bootstrapServers());
            assertEquals(dir.toAbsolutePath().normalize(), t.inProcessBroker().orElseThrow().dataDir());
            assertEquals(pipelineTopics(), topicNames(t.bootstrapServers()));
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                    KafkaClients.producer(t.bootstrapServers(), "broker-options-test"), new StringSerializer(),
                    new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(Topics.RESULTS, "s", "r".getBytes(StandardCharsets.UTF_8))).get();
            }
        } finally {
            t.close();
        }
        assertFalse(BrokerOptions.listening(EmbeddedKafka.HOST, port), "in-process broker must stop on close");
        assertTrue(Files.exists(dir.resolve("log").resolve("meta.properties")));
    }

    /**
     * A producer registered with closeFirst is closed (and so flushed) before the in-process broker stops: a record
     * still waiting in the producer's buffer when the command ends is not lost.
     */
    @Test
    void registeredClientsAreClosedBeforeTheInProcessBrokerStops() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedKafka.HOST))) {
            port = s.getLocalPort();
        }
        Path dir = freshDir("closefirst");
        String value = "flushed on close";
        try (KafkaTarget t = BrokerOptions.of(null, dir, false).embeddedPorts(port, 0).open()) {
            java.util.Map<String, Object> cfg = new java.util.HashMap<>(KafkaClients.producer(t.bootstrapServers(), "broker-options-test"));
            cfg.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 600_000); // held until flush/close
            cfg.put(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
            KafkaProducer<String, byte[]> p = t.closeFirst(new KafkaProducer<>(cfg, new StringSerializer(),
                    new ByteArraySerializer()));
            java.util.concurrent.Future<?> sent = p.send(new ProducerRecord<>(Topics.RESULTS, "s",
                    value.getBytes(StandardCharsets.UTF_8)));
            assertFalse(sent.isDone(), "the record must still be buffered when the target closes");
        }
        try (EmbeddedKafka again = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir))) {
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> got = new java.util.ArrayList<>();
            new TopicReader(again.bootstrapServers(), "broker-options-test").readAll(List.of(Topics.RESULTS), null,
                    got::add);
            assertEquals(1, got.size());
            assertEquals(value, new String(got.get(0).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void optionsParseAndRejectBadBootstrapServers() {
        @CommandLine.Command(name = "probe")
        class Probe implements Runnable {
            @CommandLine.Mixin
            BrokerOptions kafka;

            @Override
            public void run() {
            }
        }
        Probe ok = new Probe();
        new CommandLine(ok).parseArgs("--bootstrap-servers", " a:1 , b:9092", "--create-topics",
                "--kafka-data-dir", "x/y");
        assertEquals("a:1,b:9092", ok.kafka.bootstrapServersOption());
        assertTrue(ok.kafka.createTopics);
        assertEquals(Path.of("x/y"), ok.kafka.kafkaDataDir);

        for (String bad : List.of("localhost", "host:", ":9092", "h:port", "h:70000", "a:1,,b:2")) {
            assertThrows(CommandLine.ParameterException.class,
                    () -> new CommandLine(new Probe()).parseArgs("--bootstrap-servers", bad), bad);
        }
    }

    @Test
    void durationsParseAndFormat() {
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofHours(36), Durations.parse("36h"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1500ms"));
        assertEquals(Duration.ofHours(36), Durations.parse("PT36H"));
        assertEquals("7d", Durations.format(Duration.ofDays(7)));
        assertEquals("36h", Durations.format(Duration.ofHours(36)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("seven days"));
        assertThrows(CommandLine.TypeConversionException.class, () -> new io.mindstream.cli.options.OptionConverters.PositiveDuration().convert("0s"));
    }

    @Test
    void dataRootFollowsTheEnvironment() {
        assertEquals(Path.of("/data/ms").toAbsolutePath(),
                DataDirs.root(java.util.Map.of("MINDSTREAM_DATA_DIR", "/data/ms", "XDG_DATA_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/x/mindstream"), DataDirs.root(java.util.Map.of("XDG_DATA_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/home/u/.local/share/mindstream"),
                DataDirs.root(java.util.Map.of("XDG_DATA_HOME", "relative"), "/home/u"));
        assertEquals(Path.of("/home/u/.local/share/mindstream"), DataDirs.root(java.util.Map.of(), "/home/u"));
    }
}
