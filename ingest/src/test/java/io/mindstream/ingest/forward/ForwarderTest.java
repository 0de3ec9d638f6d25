package io.mindstream.ingest.forward;

import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.journal.EntryType;
import io.mindstream.ingest.journal.Journal;
import io.mindstream.ingest.journal.JournalConfig;
import io.mindstream.ingest.journal.JournalEntry;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.ingest.testutil.TopicReader;
import io.mindstream.kafka.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Journal → Kafka against a real embedded broker: every entry exactly once, through restarts and outages. */
class ForwarderTest {

    @TempDir
    Path tmp;
    /** The module's shared broker (each test reads only its own journal's records); outage tests start their own. */
    private EmbeddedKafka kafka = SharedBroker.get();

    private static final StreamKind[] KINDS = {StreamKind.MEG, StreamKind.MARKER, StreamKind.FMRI};

    /** Entry i: stream "s<i%3>", sequence i, payload = the 8 bytes of i. */
    private static long appendRange(Journal j, String session, long from, long to) {
        long last = -1;
        for (long i = from; i < to; i++) {
            StreamKind k = KINDS[(int) (i % 3)];
            last = j.append(new JournalEntry(k == StreamKind.MARKER ? EntryType.MARKER : EntryType.SAMPLE_CHUNK, k,
                    0, session, "s" + (i % 3), i, 1, i, 0.0, ByteBuffer.allocate(8).putLong(i).array()));
        }
        return last;
    }

    private ForwarderConfig config() {
        return ForwarderConfig.defaults(kafka.bootstrapServers());
    }

    /** The payload values of this journal's records in the topics; fails on any duplicate. */
    private static Set<Long> deliveredOnce(String bootstrap, java.util.UUID journalId) {
        Set<Long> seen = new HashSet<>();
        Map<String, Long> lastPerPartition = new HashMap<>();
        byte[] jid = RecordHeaders.uuid(journalId);
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap)) {
            if (RecordHeaders.journalIndex(r.headers(), jid) < 0) {
                continue;
            }
            long v = ByteBuffer.wrap(r.value()).getLong();
            assertTrue(seen.add(v), "entry " + v + " delivered twice");
            String tp = r.topic() + "-" + r.partition();
            Long prev = lastPerPartition.put(tp, v);
            assertTrue(prev == null || prev < v, "journal order kept within " + tp);
            assertEquals("sess", new String(r.key(), StandardCharsets.UTF_8));
        }
        return seen;
    }

    private static Set<Long> range(long from, long to) {
        Set<Long> s = new HashSet<>();
        for (long i = from; i < to; i++) {
            s.add(i);
        }
        return s;
    }

    @Test
    void everyEntryReachesItsTopicOnceWithItsJournalHeaders() throws Exception {
        IngestStats stats = new IngestStats();
        try (Journal j = Journal.open(JournalConfig.defaults(tmp.resolve("journal")));
             Forwarder f = new Forwarder(j, config(), stats, null).start()) {
            long last = appendRange(j, "sess", 0, 600);
            assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
            assertEquals(last, f.lastAckedIndex());
            byte[] jid = RecordHeaders.uuid(j.id());
            List<ConsumerRecord<byte[], byte[]>> all = TopicReader.readAll(kafka.bootstrapServers()).stream()
                    .filter(r -> RecordHeaders.journalIndex(r.headers(), jid) >= 0).toList();
            assertEquals(600, all.size());
            for (ConsumerRecord<byte[], byte[]> r : all) {
                long v = ByteBuffer.wrap(r.value()).getLong();
                assertEquals(io.mindstream.contracts.Topics.rawTopic(KINDS[(int) (v % 3)]), r.topic());
                assertTrue(RecordHeaders.journalIndex(r.headers(), jid) >= 0);
                assertEquals("s" + (v % 3), new String(r.headers().lastHeader(RecordHeaders.STREAM).value(),
                        StandardCharsets.UTF_8));
            }
            assertEquals(range(0, 600), deliveredOnce(kafka.bootstrapServers(), j.id()));
            assertEquals(200, stats.stream("s0").produced());
        }
    }

    /**
     * The crash window: records sent and acknowledged, checkpoint not yet written. Simulated exactly by putting
     * back an older checkpoint; the restarted forwarder must find what is already in Kafka and not send it again.
     */
    @Test
    void aRestartBetweenSendAndCheckpointSendsNothingTwice() throws Exception {
        Path jdir = tmp.resolve("journal");
        Path cp = jdir.resolve("forwarder.checkpoint");
        Path old = tmp.resolve("old.checkpoint");
        java.util.UUID id;
        try (Journal j = Journal.open(JournalConfig.defaults(jdir))) {
            id = j.id();
            try (Forwarder f = new Forwarder(j, config(), new IngestStats(), null).start()) {
                appendRange(j, "sess", 0, 100);
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
            }
            Files.copy(cp, old);
            try (Forwarder f = new Forwarder(j, config(), new IngestStats(), null).start()) {
                appendRange(j, "sess", 100, 400);
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
            }
            // crash "after send, before checkpoint": Kafka has 0..399, the checkpoint says 0..99
            Files.copy(old, cp, StandardCopyOption.REPLACE_EXISTING);
            appendRange(j, "sess", 400, 500);
            try (Forwarder f = new Forwarder(j, config(), new IngestStats(), null).start()) {
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
                assertEquals(300, f.recoveredDuplicatesSkipped(), "entries 100..399 found in Kafka, not resent");
            }
        }
        assertEquals(range(0, 500), deliveredOnce(kafka.bootstrapServers(), id));
    }

    /** A deleted checkpoint: the forwarder reads the topics from their start and still sends nothing twice. */
    @Test
    void aLostCheckpointFileIsRecoveredFromKafka() throws Exception {
        Path jdir = tmp.resolve("journal");
        java.util.UUID id;
        try (Journal j = Journal.open(JournalConfig.defaults(jdir))) {
            id = j.id();
            try (Forwarder f = new Forwarder(j, config(), new IngestStats(), null).start()) {
                appendRange(j, "sess", 0, 50);
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
            }
            Files.delete(jdir.resolve("forwarder.checkpoint"));
            try (Forwarder f = new Forwarder(j, config(), new IngestStats(), null).start()) {
                appendRange(j, "sess", 50, 80);
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
                assertEquals(50, f.recoveredDuplicatesSkipped());
            }
        }
        assertEquals(range(0, 80), deliveredOnce(kafka.bootstrapServers(), id));
    }

    @Test
    void aShortBrokerOutageLosesAndDuplicatesNothing() throws Exception {
        brokerOutage(Duration.ofSeconds(3));
    }

    @Test
    @Tag("slow")
    void aTwentySecondBrokerOutageLosesAndDuplicatesNothing() throws Exception {
        brokerOutage(Duration.ofSeconds(20));
    }

    private void brokerOutage(Duration outage) throws Exception {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(tmp.resolve("kafka")));
        try {
            brokerOutageOn(outage);
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private void brokerOutageOn(Duration outage) throws Exception {
        Path kdir = kafka.dataDir();
        int port = kafka.port();
        int cport = kafka.controllerPort();
        try (Journal j = Journal.open(JournalConfig.defaults(tmp.resolve("journal")));
             Forwarder f = new Forwarder(j, config(), new IngestStats(), null).start()) {
            appendRange(j, "sess", 0, 200);
            assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
            kafka.close();
            kafka = null;
            // ingest keeps journaling while the broker is away
            long t0 = System.nanoTime();
            long i = 200;
            while (System.nanoTime() - t0 < outage.toNanos()) {
                appendRange(j, "sess", i, i + 10);
                i += 10;
                Thread.sleep(50);
            }
            assertFalse(f.awaitCaughtUp(Duration.ZERO));
            kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(kdir, port, cport));
            appendRange(j, "sess", i, i + 100);
            i += 100;
            assertTrue(f.awaitCaughtUp(Duration.ofSeconds(90)), "forwarder caught up after the outage");
            assertEquals(range(0, i), deliveredOnce(kafka.bootstrapServers(), j.id()));
        }
    }
}
