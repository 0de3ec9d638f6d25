package io.mindstream.ingest.forward;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.ingest.journal.JournalingSink;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.ingest.stats.StreamStats;
import io.mindstream.ingest.testutil.BrokerProcess;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.ingest.testutil.TopicReader;
import io.mindstream.journal.EntryType;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalEntry;
import io.mindstream.kafka.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
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
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/** Journal → Kafka against a real embedded broker: every entry exactly once, through restarts and outages. */
class ForwarderTest {

    @TempDir
    Path tmp;
    /** The module's shared broker (each test reads only its own journal's records); crash tests start their own. */
    private final EmbeddedKafka kafka = SharedBroker.get();

    /** Every fourth entry is a stream description: the delivery proof covers raw.streams as it covers the rest. */
    private static final int TYPES = 4;

    /**
     * Entry i: stream "s<i%4>", sequence i, payload = the 8 bytes of i; a MEG chunk, a marker, an fMRI chunk or a
     * stream description (0 samples).
     */
    private static JournalEntry entry(String session, long i) {
        byte[] payload = ByteBuffer.allocate(8).putLong(i).array();
        String stream = "s" + (i % TYPES);
        return switch ((int) (i % TYPES)) {
            case 0 -> new JournalEntry(EntryType.SAMPLE_CHUNK, StreamKind.MEG, 0, session, stream, i, 1, i, 0.0,
                    payload);
            case 1 -> new JournalEntry(EntryType.MARKER, StreamKind.MARKER, 0, session, stream, i, 1, i, 0.0, payload);
            case 2 -> new JournalEntry(EntryType.SAMPLE_CHUNK, StreamKind.FMRI, 0, session, stream, i, 1, i, 0.0,
                    payload);
            default -> new JournalEntry(EntryType.STREAM_DESCRIPTION, StreamKind.MEG, 0, session, stream, i, 0,
                    Double.NaN, 0.0, payload);
        };
    }

    private static long appendRange(Journal j, String session, long from, long to) {
        long last = -1;
        for (long i = from; i < to; i++) {
            last = j.append(entry(session, i));
        }
        return last;
    }

    private ForwarderConfig config() {
        return ForwarderConfig.defaults(kafka.bootstrapServers());
    }

    /** The payload values of this journal's records in the topics; fails on any duplicate. */
    private static Set<Long> deliveredOnce(String bootstrap, java.util.UUID journalId) {
        return deliveredOnce(bootstrap, journalId, true);
    }

    /** @param inJournalOrder also check each partition holds them in journal order (not after a hole was filled) */
    private static Set<Long> deliveredOnce(String bootstrap, java.util.UUID journalId, boolean inJournalOrder) {
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
            assertTrue(!inJournalOrder || prev == null || prev < v, "journal order kept within " + tp);
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
                assertEquals(entry("sess", v).topic(), r.topic());
                assertTrue(RecordHeaders.journalIndex(r.headers(), jid) >= 0);
                assertEquals("s" + (v % TYPES), new String(r.headers().lastHeader(RecordHeaders.STREAM).value(),
                        StandardCharsets.UTF_8));
            }
            assertEquals(range(0, 600), deliveredOnce(kafka.bootstrapServers(), j.id()));
            assertEquals(150, stats.stream("s0").produced());
            assertEquals(150, all.stream().filter(r -> r.topic().equals(io.mindstream.contracts.Topics.STREAMS))
                    .count(), "the descriptions, on raw.streams");
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

    /**
     * The hole the issue found: the partition holds entries 0–9 and 15–20 of a journal holding 0–20 (a send failed
     * while later ones succeeded), the checkpoint says nothing is acknowledged. Exactly 10–14 must be sent, once.
     * Then the crash window inside that recovery: the checkpoint as it was on disk when 13 was about to be sent
     * (12 acknowledged, 15–20 found but not yet passed by the prefix) must still let a restart find 15–20.
     */
    @Test
    void entriesMissingBetweenDeliveredOnesAreSentAndNothingElse() throws Exception {
        Path jdir = tmp.resolve("journal");
        Path cp = jdir.resolve("forwarder.checkpoint");
        Path atThirteen = tmp.resolve("at-13.checkpoint");
        try (Journal j = Journal.open(JournalConfig.defaults(jdir))) {
            long[] idx = new long[21];
            for (int i = 0; i < 21; i++) {
                idx[i] = appendRange(j, "sess", i, i + 1);
            }
            byte[] jid = RecordHeaders.uuid(j.id());
            Map<TopicPartition, Long> before = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> p = plainProducer()) {
                kafka.createTopics(io.mindstream.contracts.Topics.defaults().stream()
                        .filter(t -> t.name().startsWith("raw.")).toList());
                TopicPartition[] tps = new TopicPartition[21];
                for (int i = 0; i < 21; i++) {
                    String topic = entry("sess", i).topic();
                    int n = p.partitionsFor(topic).size();
                    tps[i] = new TopicPartition(topic, Utils.toPositive(Utils.murmur2("sess".getBytes(StandardCharsets.UTF_8))) % n);
                }
                before.putAll(endOffsets(new HashSet<>(List.of(tps))));
                for (int i = 0; i < 21; i++) {
                    if (i >= 10 && i <= 14) {
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(tps[i].topic(), tps[i].partition(),
                            "sess".getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(i).array());
                    r.headers().add(RecordHeaders.JOURNAL, jid);
                    r.headers().add(RecordHeaders.INDEX, RecordHeaders.longBytes(idx[i]));
                    p.send(r).get();
                }
            }
            // nothing acknowledged; the records of this journal can only lie after the offsets measured above
            new Checkpoint.Store(cp).save(new Checkpoint(j.id(), -1, before));

            List<Long> sent = new ArrayList<>();
            // one entry in flight at a time and a checkpoint after every acknowledgement, so the file on disk when
            // entry 13 is prepared is exactly "12 acknowledged"
            ForwarderConfig stepwise = new ForwarderConfig(kafka.bootstrapServers(), Map.of(), Duration.ZERO, 1,
                    Duration.ofMillis(500), true, io.mindstream.contracts.Topics.DEFAULT_PARTITIONS,
                    Duration.ofMinutes(1));
            IngestStats stats = new IngestStats();
            RecordPreparer recording = e -> {
                long v = ByteBuffer.wrap(e.payload()).getLong();
                sent.add(v);
                if (v == 13) {
                    try {
                        Files.copy(cp, atThirteen);
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                }
                return RecordPreparer.AS_IS.prepare(e);
            };
            try (Forwarder f = new Forwarder(j, stepwise, stats, recording).start()) {
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
                assertEquals(16, f.recoveredDuplicatesSkipped(), "0–9 and 15–20 found in Kafka");
            }
            assertEquals(List.of(10L, 11L, 12L, 13L, 14L), sent, "exactly the missing entries were sent, in order");
            assertEquals(range(0, 21), deliveredOnce(kafka.bootstrapServers(), j.id(), false));
            assertEquals(21 - 5, stats.all().stream().mapToLong(StreamStats::produced).sum(),
                    "each entry's samples produced once (the 5 descriptions have none)");
            assertEquals(idx[20], new Checkpoint.Store(cp).load(j.id()).lastAckedIndex());

            // a crash right after 12 was acknowledged: the restart must still find 13–20
            Checkpoint mid = new Checkpoint.Store(atThirteen).load(j.id());
            assertEquals(idx[12], mid.lastAckedIndex());
            Files.copy(atThirteen, cp, StandardCopyOption.REPLACE_EXISTING);
            sent.clear();
            try (Forwarder f = new Forwarder(j, stepwise, new IngestStats(), recording).start()) {
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
                assertEquals(8, f.recoveredDuplicatesSkipped(), "13–20 found in Kafka");
            }
            assertEquals(List.of(), sent, "nothing sent twice");
            assertEquals(range(0, 21), deliveredOnce(kafka.bootstrapServers(), j.id(), false));
        }
    }

    /** Records carry their event time as Kafka timestamp, so a late backlog keeps its time order across topics. */
    @Test
    void recordsAreTimestampedWithTheirAcquisitionTimeNotTheirSendTime() throws Exception {
        IngestStats stats = new IngestStats();
        long now = TraceStamps.nowMicros();
        long acquired = now - 300_000_000L; // five minutes ago: a backlog
        try (Journal j = Journal.open(JournalConfig.defaults(tmp.resolve("journal")))) {
            JournalingSink sink = new JournalingSink(j, stats);
            TraceStamps trace = TraceStamps.empty().with(Stage.ACQUIRED, acquired).with(Stage.INGESTED, acquired);
            sink.chunk(SampleChunk.ofFloats("ts-sess", "ts-meg", StreamKind.MEG, 1, 100, 0, new double[]{1.0},
                    new float[]{1f}, trace), 1, 0, 0.0);
            sink.marker(new Marker("ts-sess", "ts-mk", 0, 1.0, "onset", null, null, trace), 0, 0.0);
            // a source stamping in another clock domain maps to a far-future ACQUIRED: the journaling time is used
            TraceStamps foreign = TraceStamps.empty().with(Stage.ACQUIRED, now + 86_400_000_000L * 365 * 50);
            sink.chunk(SampleChunk.ofFloats("ts-sess", "ts-meg", StreamKind.MEG, 1, 100, 1, new double[]{2.0},
                    new float[]{2f}, foreign), 1, 0, 0.0);
            try (Forwarder f = new Forwarder(j, config(), stats, new ProducedStamp()).start()) {
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
            }
            byte[] jid = RecordHeaders.uuid(j.id());
            List<ConsumerRecord<byte[], byte[]>> mine = TopicReader.readAll(kafka.bootstrapServers()).stream()
                    .filter(r -> RecordHeaders.journalIndex(r.headers(), jid) >= 0)
                    .sorted(java.util.Comparator.comparingLong(r -> RecordHeaders.journalIndex(r.headers(), jid)))
                    .toList();
            assertEquals(3, mine.size());
            assertEquals(acquired / 1000, mine.get(0).timestamp(), "chunk: ACQUIRED, not the send time");
            assertEquals(acquired / 1000, mine.get(1).timestamp(), "marker: ACQUIRED, not the send time");
            long journaled = new SampleChunkCodec().decode(mine.get(2).value()).trace().get(Stage.JOURNALED);
            assertEquals(journaled / 1000, mine.get(2).timestamp(), "implausible ACQUIRED: JOURNALED instead");
        }
    }

    @Test
    void aShortBrokerCrashLosesAndDuplicatesNothing() throws Exception {
        brokerCrash(Duration.ofSeconds(4));
    }

    @Test
    @Tag("slow")
    void aTwentySecondBrokerCrashLosesAndDuplicatesNothing() throws Exception {
        brokerCrash(Duration.ofSeconds(20));
    }

    /**
     * The setting: the broker is a separate process, SIGKILLed mid-stream while the journal grows at MEG rate
     * (≈100 entries/s of 272 ch × 12 samples = 13 KB), down for {@code outage}, then started again on the same data
     * and ports. Afterwards every journal entry is in Kafka exactly once and the forwarder's produced count equals
     * the journaled count.
     */
    private void brokerCrash(Duration outage) throws Exception {
        IngestStats stats = new IngestStats();
        String stream = "crash-meg";
        try (BrokerProcess broker = new BrokerProcess(tmp.resolve("kafka"), tmp.resolve("logs")).start();
             Journal j = Journal.open(JournalConfig.defaults(tmp.resolve("journal")))) {
            JournalingSink sink = new JournalingSink(j, stats);
            sink.description(new io.mindstream.contracts.StreamDescription("crash-sess", stream, StreamKind.MEG, 0,
                    "<info><name>" + stream + "</name></info>", TraceStamps.empty()));
            AtomicLong chunks = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                int ch = 272;
                float[] v = new float[12 * ch];
                long next = System.nanoTime();
                while (!stop.get()) {
                    long n = chunks.get();
                    double[] ts = new double[12];
                    for (int s = 0; s < 12; s++) {
                        ts[s] = (n * 12 + s) / 1200.0;
                    }
                    java.util.Arrays.fill(v, n);
                    sink.chunk(SampleChunk.ofFloats("crash-sess", stream, StreamKind.MEG, ch, 1200, n * 12, ts, v,
                            TraceStamps.empty().withNow(Stage.ACQUIRED)), 12, 0, 0.0);
                    chunks.incrementAndGet();
                    next += 10_000_000L;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }, "test-journal-writer");
            try (Forwarder f = new Forwarder(j, ForwarderConfig.defaults(broker.bootstrapServers()), stats,
                    new ProducedStamp()).start()) {
                writer.start();
                waitUntil(() -> chunks.get() >= 300 && f.lastAckedIndex() >= 0, "3 s forwarded before the crash");
                broker.kill();
                long atKill = chunks.get();
                Thread.sleep(outage.toMillis());
                broker.start();
                long atRestart = chunks.get();
                waitUntil(() -> chunks.get() >= atRestart + 300, "3 s more after the restart");
                stop.set(true);
                writer.join();
                assertTrue(chunks.get() - atKill >= outage.toMillis() / 10 / 2, "the journal grew during the outage");
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(120)), "caught up after the crash: "
                        + stats.summaryLine());
            }
            // every journal entry in Kafka exactly once
            Set<Long> journaled = new HashSet<>();
            try (Journal.Reader r = j.reader()) {
                while (r.next() != null) {
                    journaled.add(r.lastIndex());
                }
            }
            assertEquals(chunks.get() + 1, journaled.size(), "the chunks and the stream's description");
            byte[] jid = RecordHeaders.uuid(j.id());
            Set<Long> inKafka = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers())) {
                long idx = RecordHeaders.journalIndex(r.headers(), jid);
                if (idx >= 0) {
                    assertTrue(inKafka.add(idx), "journal entry " + Long.toHexString(idx) + " in Kafka twice");
                }
            }
            Set<Long> missing = new java.util.TreeSet<>(journaled);
            missing.removeAll(inKafka);
            Set<Long> extra = new java.util.TreeSet<>(inKafka);
            extra.removeAll(journaled);
            assertTrue(missing.isEmpty() && extra.isEmpty(), "every journal entry in Kafka, nothing else: "
                    + missing.size() + " missing (first " + missing.stream().limit(5).map(Long::toHexString).toList()
                    + "), " + extra.size() + " not in the journal");
            StreamStats st = stats.stream(stream);
            assertEquals(st.journaled(), st.produced(), "produced counts each entry once: " + stats.summaryLine());
            assertEquals(chunks.get() * 12, st.produced());
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private KafkaProducer<byte[], byte[]> plainProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(p);
    }

    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> tps) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            return c.endOffsets(tps, Duration.ofSeconds(10));
        }
    }
}
