package io.mindstream.ingest.forward;

import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.contracts.Topics;
import io.mindstream.ingest.journal.Journal;
import io.mindstream.ingest.journal.JournalEntry;
import io.mindstream.ingest.stats.IngestStats;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Tails the journal into Kafka, exactly once per journal entry (docs/ingest.md, "de-duplication").
 *
 * <p>How: an idempotent producer (acks=all, linger 0, ≤5 in flight, retrying forever) keeps each partition's
 * records in journal order without duplicates for as long as this producer lives, including across broker
 * outages and restarts. A {@link Checkpoint} written after acknowledgements says which prefix of the journal is in
 * Kafka for certain. After a restart the entries past the checkpoint may or may not have reached Kafka; every
 * record carries its journal id and index in headers, so the forwarder reads each partition from the
 * checkpoint's offset to its end, learns the highest index already there, and skips entries up to it. Because
 * an idempotent producer writes a partition's records as a prefix of what it sent there, everything above that
 * index is missing and is sent again: nothing lost, nothing twice.
 */
public final class Forwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final Journal journal;
    private final ForwarderConfig config;
    private final IngestStats stats;
    private final Function<JournalEntry, byte[]> valueOf;
    private final Checkpoint.Store store;
    private final byte[] journalIdBytes;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile long lastAckedIndex;
    private volatile long lastReadIndex = -1;
    private volatile boolean connected;
    private volatile long recoveredDuplicatesSkipped;

    /**
     * @param valueOf turns an entry into the record value (e.g. adds the PRODUCED trace stamp); the payload as is
     *                when null
     */
    public Forwarder(Journal journal, ForwarderConfig config, IngestStats stats,
                     Function<JournalEntry, byte[]> valueOf) {
        this.journal = journal;
        this.config = config;
        this.stats = stats;
        this.valueOf = valueOf == null ? JournalEntry::payload : valueOf;
        this.store = new Checkpoint.Store(journal.config().directory().resolve("forwarder.checkpoint"));
        this.journalIdBytes = RecordHeaders.uuid(journal.id());
        if (!java.nio.file.Files.exists(store.file()) && journal.lastIndex() < 0) {
            // a new journal: nothing can have been sent yet. Saying so on disk tells a later start that a missing
            // checkpoint means a lost one (and a full topic scan), not a fresh journal.
            store.save(Checkpoint.empty(journal.id()));
        }
        this.lastAckedIndex = store.load(journal.id()).lastAckedIndex();
        this.thread = new Thread(this::run, "journal-forwarder");
        this.thread.setDaemon(true);
    }

    public Forwarder start() {
        thread.start();
        return this;
    }

    /** Every journal entry up to this index is acknowledged by Kafka. */
    public long lastAckedIndex() {
        return lastAckedIndex;
    }

    /** Entries found already in Kafka on (re)start and therefore not sent again. */
    public long recoveredDuplicatesSkipped() {
        return recoveredDuplicatesSkipped;
    }

    public boolean connected() {
        return connected;
    }

    /** Waits until everything journaled so far is acknowledged by Kafka; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long target = journal.lastIndex();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastAckedIndex < target) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Stops after flushing what is in flight (bounded by {@code drain}); the checkpoint is written last. */
    public void close(Duration drain) {
        try {
            if (drain.toMillis() > 0) {
                awaitCaughtUp(drain);
            }
            running = false;
            // the loop notices within a park; interrupt only a thread stuck in a blocking Kafka call
            if (!stopped.await(6, TimeUnit.SECONDS)) {
                thread.interrupt();
                stopped.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void run() {
        try {
            while (running) {
                try (Session s = new Session()) {
                    s.recover();
                    connected = true;
                    s.pump();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    connected = false;
                    if (!running) {
                        break;
                    }
                    LOG.warn("forwarder: Kafka at {} not usable ({}); journal keeps every record, retrying in {} ms",
                            config.bootstrapServers(), rootMessage(e), config.retryBackoff().toMillis());
                    try {
                        Thread.sleep(config.retryBackoff().toMillis());
                    } catch (InterruptedException ie) {
                        break;
                    }
                }
            }
        } finally {
            connected = false;
            stopped.countDown();
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    /** One sent, not yet settled entry. Written by the producer's I/O thread, read by the forwarder thread. */
    private static final class InFlight {
        final long index;
        final String streamId;
        final int samples;
        final TopicPartition tp;
        volatile boolean done;
        volatile long offset = -1;
        volatile Exception error;

        InFlight(long index, String streamId, int samples, TopicPartition tp) {
            this.index = index;
            this.streamId = streamId;
            this.samples = samples;
            this.tp = tp;
        }
    }

    /** One producer's life: recovery scan, then the send loop until stop or a fatal producer error. */
    private final class Session implements AutoCloseable {
        private KafkaProducer<byte[], byte[]> producer;
        private KafkaConsumer<byte[], byte[]> consumer;
        private Journal.Reader reader;
        private Checkpoint checkpoint;
        private final Map<TopicPartition, Long> scanFrom = new HashMap<>();
        private final Map<TopicPartition, Long> alreadyDelivered = new HashMap<>();
        private final Map<String, Integer> partitionCounts = new HashMap<>();
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        private JournalEntry pending;
        private long pendingIndex;
        private long lastSavedIndex;
        private long lastSaveNanos;
        private long lastRetentionNanos = System.nanoTime();

        void recover() {
            checkpoint = store.load(journal.id());
            scanFrom.putAll(checkpoint.scanFrom());
            lastAckedIndex = checkpoint.lastAckedIndex();
            lastSavedIndex = lastAckedIndex;
            if (config.createTopics()) {
                createTopics();
            }
            producer = new KafkaProducer<>(producerProps());
            consumer = new KafkaConsumer<>(consumerProps());
            if (!java.nio.file.Files.exists(store.file()) && journal.lastIndex() >= 0) {
                // no checkpoint but a journal: it was lost or deleted. Anything may have been sent, so every raw
                // partition is read from its start (slow on big topics, but nothing is sent twice)
                LOG.warn("forwarder: no checkpoint at {} for a non-empty journal: reading the raw topics from their "
                        + "start to find what is already there", store.file());
                for (io.mindstream.contracts.StreamKind k : io.mindstream.contracts.StreamKind.values()) {
                    String topic = Topics.rawTopic(k);
                    var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    if (infos == null || infos.isEmpty()) {
                        continue;
                    }
                    List<TopicPartition> tps = infos.stream()
                            .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
                    consumer.beginningOffsets(tps, Duration.ofSeconds(10)).forEach(scanFrom::put);
                }
            }
            scanDelivered();
            reader = journal.reader();
            if (lastAckedIndex >= 0) {
                if (!reader.seekAfter(lastAckedIndex)) {
                    throw new IllegalStateException("checkpoint index " + Long.toHexString(lastAckedIndex)
                            + " is not in the journal " + journal.config().directory());
                }
            } else {
                reader.toStart();
            }
            LOG.info("forwarder connected to {}: resuming after journal index {} ({} partitions checked for records "
                            + "delivered after the checkpoint)", config.bootstrapServers(),
                    lastAckedIndex < 0 ? "start" : Long.toHexString(lastAckedIndex), scanFrom.size());
        }

        private void createTopics() {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            try (Admin admin = Admin.create(p)) {
                Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<NewTopic> missing = new ArrayList<>();
                for (Topics.Spec s : Topics.defaults()) {
                    if (s.name().startsWith("raw.") && !existing.contains(s.name())) {
                        missing.add(new NewTopic(s.name(), config.partitions(), (short) 1)
                                .configs(Map.of("retention.ms", Long.toString(s.retention().toMillis()))));
                    }
                }
                if (!missing.isEmpty()) {
                    try {
                        admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
                        LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while creating topics", e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new KafkaException("cannot create topics", e);
            }
        }

        private Properties producerProps() {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
            p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "mindstream-forwarder-" + journal.id());
            p.putAll(config.producerOverrides());
            // what exactly-once rests on: not overridable
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
            // keep retrying through a broker outage of any length with the same producer id and sequence numbers
            // (the broker de-duplicates those retries), instead of failing batches and re-scanning
            p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            return p;
        }

        private Properties consumerProps() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            return p;
        }

        /** Reads every partition we wrote to from its checkpointed offset to its end: what is already there? */
        private void scanDelivered() {
            if (scanFrom.isEmpty()) {
                return;
            }
            Set<TopicPartition> tps = new HashSet<>(scanFrom.keySet());
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(10));
            consumer.assign(tps);
            Set<TopicPartition> open = new HashSet<>();
            for (TopicPartition tp : tps) {
                long from = scanFrom.get(tp);
                if (end.get(tp) > from) {
                    consumer.seek(tp, from);
                    open.add(tp);
                }
            }
            consumer.pause(new HashSet<>(tps));
            consumer.resume(open);
            long scanned = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("recovery scan did not reach the end of " + open + " in 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    scanned++;
                    long idx = RecordHeaders.journalIndex(r.headers(), journalIdBytes);
                    if (idx >= 0) {
                        alreadyDelivered.merge(new TopicPartition(r.topic(), r.partition()), idx, Math::max);
                    }
                }
                open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                consumer.pause(new HashSet<>(tps));
                consumer.resume(open);
            }
            consumer.unsubscribe();
            if (!alreadyDelivered.isEmpty()) {
                LOG.info("forwarder recovery: {} records scanned after the checkpoint; journal entries already in "
                        + "Kafka per partition (highest index): {}", scanned, hex(alreadyDelivered));
            }
        }

        private static Map<String, String> hex(Map<TopicPartition, Long> m) {
            Map<String, String> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put(k.toString(), Long.toHexString(v)));
            return out;
        }

        void pump() throws InterruptedException {
            while (running) {
                settleAcks();
                maybeCheckpoint(false);
                if (inFlight.size() >= config.maxInFlight()) {
                    LockSupport.parkNanos(200_000);
                    continue;
                }
                if (pending == null) {
                    pending = reader.next();
                    if (pending == null) {
                        if (inFlight.isEmpty()) {
                            maybeCheckpoint(true);
                        }
                        LockSupport.parkNanos(500_000);
                        if (Thread.interrupted() && !running) {
                            break;
                        }
                        continue;
                    }
                    pendingIndex = reader.lastIndex();
                    lastReadIndex = pendingIndex;
                }
                if (send(pending, pendingIndex)) {
                    pending = null;
                }
            }
            // graceful stop: give in-flight records a moment, then record what is certain
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                settleAcks();
                LockSupport.parkNanos(1_000_000);
            }
            maybeCheckpoint(true);
        }

        /** Sends one entry; false when the producer could not take it yet (it will be offered again). */
        private boolean send(JournalEntry e, long index) {
            String topic = e.topic();
            byte[] key = e.session().getBytes(StandardCharsets.UTF_8);
            TopicPartition tp;
            try {
                tp = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions(topic));
            } catch (org.apache.kafka.common.errors.TimeoutException te) {
                stalled("no metadata for topic " + topic + " (does it exist?): " + te.getMessage());
                return false;
            }
            if (!scanFrom.containsKey(tp)) {
                // first record ever to this partition: remember where our records can start before sending, so a
                // restart knows where to look
                long endOffset = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
                scanFrom.put(tp, endOffset);
                saveCheckpoint();
            }
            Long delivered = alreadyDelivered.get(tp);
            InFlight f = new InFlight(index, e.streamId(), e.sampleCount(), tp);
            if (delivered != null && index <= delivered) {
                // sent by the previous run after its last checkpoint and acknowledged by Kafka: do not send twice
                f.done = true;
                recoveredDuplicatesSkipped++;
                inFlight.add(f);
                return true;
            }
            ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, tp.partition(), key, valueOf.apply(e));
            rec.headers().add(new RecordHeader(RecordHeaders.JOURNAL, journalIdBytes));
            rec.headers().add(new RecordHeader(RecordHeaders.INDEX, RecordHeaders.longBytes(index)));
            rec.headers().add(new RecordHeader(RecordHeaders.FLAGS, RecordHeaders.intBytes(e.flags())));
            rec.headers().add(new RecordHeader(RecordHeaders.STREAM, e.streamId().getBytes(StandardCharsets.UTF_8)));
            try {
                producer.send(rec, (RecordMetadata md, Exception ex) -> {
                    if (ex != null) {
                        f.error = ex;
                    } else {
                        f.offset = md.offset();
                    }
                    f.done = true;
                });
            } catch (org.apache.kafka.common.errors.TimeoutException te) {
                // the producer could not even accept it (metadata or buffer): not sent, offer it again
                stalled("producer did not accept journal entry " + Long.toHexString(index) + ": " + te.getMessage());
                return false;
            }
            inFlight.add(f);
            stalledSince = 0;
            return true;
        }

        private long stalledSince;

        /** Logs (once per 30 s) that sending is stuck; the entry is offered again, never skipped. */
        private void stalled(String why) {
            long now = System.nanoTime();
            if (stalledSince == 0) {
                stalledSince = now;
            } else if (now - stalledSince > 30_000_000_000L) {
                LOG.warn("forwarder stuck for 30 s: {}; retrying (journal keeps every record)", why);
                stalledSince = now;
            }
        }

        private int partitions(String topic) {
            Integer n = partitionCounts.get(topic);
            if (n == null) {
                n = producer.partitionsFor(topic).size();
                partitionCounts.put(topic, n);
            }
            return n;
        }

        /** Pops settled entries in journal order, advancing the acknowledged prefix. */
        private void settleAcks() {
            InFlight f;
            while ((f = inFlight.peek()) != null && f.done) {
                inFlight.poll();
                if (f.error != null) {
                    if (f.error instanceof RecordTooLargeException) {
                        // can never be delivered: say so loudly and move on rather than block every stream
                        LOG.error("stream {}: journal entry {} rejected by Kafka and dropped: {}", f.streamId,
                                Long.toHexString(f.index), f.error.getMessage());
                        stats.stream(f.streamId).addDropped(f.samples);
                    } else {
                        throw new KafkaException("send of journal entry " + Long.toHexString(f.index) + " failed",
                                f.error);
                    }
                } else {
                    stats.stream(f.streamId).addProduced(f.samples);
                    if (f.offset >= 0) {
                        scanFrom.put(f.tp, f.offset + 1);
                    }
                }
                lastAckedIndex = f.index;
            }
        }

        private void maybeCheckpoint(boolean force) {
            if (lastAckedIndex == lastSavedIndex) {
                return;
            }
            long now = System.nanoTime();
            if (force || now - lastSaveNanos >= config.checkpointInterval().toNanos()) {
                saveCheckpoint();
                if (now - lastRetentionNanos >= config.retentionInterval().toNanos()) {
                    lastRetentionNanos = now;
                    journal.applyRetention(lastAckedIndex);
                }
            }
        }

        private void saveCheckpoint() {
            store.save(new Checkpoint(journal.id(), lastAckedIndex, scanFrom));
            lastSavedIndex = lastAckedIndex;
            lastSaveNanos = System.nanoTime();
        }

        @Override
        public void close() {
            if (producer != null) {
                producer.close(Duration.ofSeconds(running ? 0 : 2));
            }
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(1));
            }
            if (reader != null) {
                reader.close();
            }
        }
    }
}
