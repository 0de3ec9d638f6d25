package io.mindstream.ingest.forward;

import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalEntry;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicAdmin;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tails the journal into Kafka, exactly once per journal entry (docs/ingest.md, "Forwarder and exactly-once
 * delivery").
 *
 * <p>How: an idempotent producer (acks=all, linger 0, ≤5 in flight, retrying forever) writes each entry to the
 * partition the forwarder computes itself; every record carries its journal id and index in headers. The forwarder
 * keeps the <em>acknowledged prefix</em> ({@code lastAckedIndex}: every entry up to it is in Kafka) and, per
 * partition, a {@link ScanWindow} offset before which no record of a later entry can lie; both are saved in a
 * {@link Checkpoint}. A producer's life is a {@link Session}. When one starts (process start, or after the previous
 * one failed) the entries after the prefix may or may not be in Kafka, in any combination: a failed send can be
 * followed by later ones that succeeded, and a dead producer's in-flight batches can land after newer ones, so a
 * partition does not hold a prefix of what was sent. The session therefore reads every partition from its
 * {@code scanFrom} to its end, collects the exact set of this journal's indices found there, and then resends every
 * entry after the prefix that is not in that set, skipping those that are: nothing lost, nothing twice.
 *
 * <p>Within a process the state passes from one session to the next in memory (the file can be up to a checkpoint
 * interval older), so an entry is settled, and counted as produced, once per process.
 */
public final class Forwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    /** A recovery scan that reads nothing new for this long gives up (the session is retried). */
    private static final long SCAN_STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Journal journal;
    private final ForwarderConfig config;
    private final IngestStats stats;
    private final RecordPreparer preparer;
    private final Checkpoint.Store store;
    private final byte[] journalIdBytes;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    /** Every entry up to here is acknowledged. Written by the forwarder thread only. */
    private volatile long lastAckedIndex;
    private volatile boolean connected;
    private volatile long recoveredDuplicatesSkipped;
    private volatile long sessionsStarted;
    /** The acknowledged state's partition offsets; carried from session to session. Forwarder thread only. */
    private final ScanWindow window;
    /** The checkpoint was lost: the next recovery reads every raw partition from its start. */
    private boolean fullScan;
    private long lastSavedIndex;
    private long lastSaveNanos;
    private long lastRetentionNanos = System.nanoTime();

    /**
     * @param preparer turns an entry into the record value and Kafka timestamp (production: {@link ProducedStamp});
     *                 {@link RecordPreparer#AS_IS} when null
     */
    public Forwarder(Journal journal, ForwarderConfig config, IngestStats stats, RecordPreparer preparer) {
        this.journal = journal;
        this.config = config;
        this.stats = stats;
        this.preparer = preparer == null ? RecordPreparer.AS_IS : preparer;
        this.store = new Checkpoint.Store(journal.config().directory().resolve("forwarder.checkpoint"));
        this.journalIdBytes = RecordHeaders.uuid(journal.id());
        if (!java.nio.file.Files.exists(store.file()) && journal.lastIndex() < 0) {
            // a new journal: nothing can have been sent yet. Saying so on disk tells a later start that a missing
            // checkpoint means a lost one (and a full topic scan), not a fresh journal.
            store.save(Checkpoint.empty(journal.id()));
        }
        this.fullScan = !java.nio.file.Files.exists(store.file());
        Checkpoint cp = store.load(journal.id());
        this.lastAckedIndex = cp.lastAckedIndex();
        this.lastSavedIndex = cp.lastAckedIndex();
        this.window = new ScanWindow(cp.scanFrom());
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

    /** Producer sessions started so far (1 unless Kafka failed a send or was unreachable at start). */
    public long sessionsStarted() {
        return sessionsStarted;
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
            if (!stopped.await(12, TimeUnit.SECONDS)) {
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
                    sessionsStarted++;
                    s.recover();
                    connected = true;
                    s.pump();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    connected = false;
                    // the next session continues from the acknowledged state in memory; the file gets it too, so a
                    // crash during the back-off does not rescan more than needed
                    saveQuietly();
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

    private void saveCheckpoint() {
        store.save(new Checkpoint(journal.id(), lastAckedIndex, window.offsets()));
        lastSavedIndex = lastAckedIndex;
        lastSaveNanos = System.nanoTime();
    }

    private void saveQuietly() {
        try {
            saveCheckpoint();
        } catch (RuntimeException e) {
            LOG.warn("forwarder: cannot write the checkpoint {} ({}); the acknowledged state is kept in memory",
                    store.file(), e.toString());
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

    /** One sent (or skipped), not yet settled entry. Completed by the producer's I/O thread. */
    private static final class InFlight {
        final long index;
        final String streamId;
        final int samples;
        final TopicPartition tp;
        /** Found in Kafka by the recovery scan: not sent by this session. */
        final boolean skipped;
        volatile boolean done;
        volatile long offset = -1;
        volatile Exception error;

        InFlight(long index, String streamId, int samples, TopicPartition tp, boolean skipped) {
            this.index = index;
            this.streamId = streamId;
            this.samples = samples;
            this.tp = tp;
            this.skipped = skipped;
        }
    }

    /** One producer's life: recovery scan, then the send loop until stop or a failed send. */
    private final class Session implements AutoCloseable {
        private KafkaProducer<byte[], byte[]> producer;
        private KafkaConsumer<byte[], byte[]> consumer;
        private Journal.Reader reader;
        private DeliveredIndices delivered = new DeliveredIndices().seal();
        private final Map<String, Integer> partitionCounts = new HashMap<>();
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        private JournalEntry pending;
        private long pendingIndex;
        private RecordPreparer.Outgoing pendingRecord;
        private long stalledSince;
        private boolean failed = true;

        void recover() {
            if (config.createTopics()) {
                createTopics();
            }
            producer = new KafkaProducer<>(KafkaClients.journalForwarder(config.bootstrapServers(),
                    "mindstream-forwarder-" + journal.id(), config.producerOverrides()));
            consumer = new KafkaConsumer<>(KafkaClients.reader(config.bootstrapServers(),
                    "mindstream-forwarder-scan-" + journal.id()));
            if (fullScan && journal.lastIndex() >= 0) {
                // no checkpoint but a journal: it was lost or deleted. Anything may have been sent, so every raw
                // partition is read from its start (slow on big topics, but nothing is sent twice)
                LOG.warn("forwarder: no checkpoint at {} for a non-empty journal: reading the raw topics from their "
                        + "start to find what is already there", store.file());
                for (String topic : Topics.forwardedTopics()) {
                    var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    if (infos == null || infos.isEmpty()) {
                        continue;
                    }
                    List<TopicPartition> tps = infos.stream()
                            .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
                    consumer.beginningOffsets(tps, Duration.ofSeconds(10)).forEach(window::scanFromStart);
                }
            }
            delivered = scanDelivered();
            window.hold(delivered.highestPerPartition(), lastAckedIndex);
            if (fullScan) {
                // the window now covers every partition from its start: saved, a crash from here on rescans only that
                saveCheckpoint();
                fullScan = false;
            }
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
                            + "delivered after it, {} found)", config.bootstrapServers(),
                    lastAckedIndex < 0 ? "start" : Long.toHexString(lastAckedIndex), window.size(), delivered.size());
        }

        /**
         * The topics ingest writes (raw and raw.streams), created if missing (the other pipeline topics are not
         * ingest's business).
         */
        private void createTopics() {
            List<Topics.Spec> raw = Topics.defaults().stream().filter(t -> Topics.forwardedTopics().contains(t.name()))
                    .map(t -> new Topics.Spec(t.name(), config.partitions(), t.retention())).toList();
            try (Admin admin = TopicAdmin.connect(config.bootstrapServers())) {
                new TopicAdmin(admin).ensure(raw);
            } catch (io.mindstream.runtime.kafka.KafkaAdminException e) {
                throw new KafkaException("cannot create the raw topics", e);
            }
        }

        /**
         * Reads every partition we wrote to from its {@code scanFrom} to its end and collects the exact set of this
         * journal's indices after the acknowledged prefix that are there. A set, not the highest index: a partition
         * can hold entry 20 without entry 14 (a send that failed while later ones succeeded, or a dead producer's
         * batch landing late), and 14 must then be sent again.
         */
        private DeliveredIndices scanDelivered() {
            DeliveredIndices found = new DeliveredIndices();
            Map<TopicPartition, Long> from = window.offsets();
            if (from.isEmpty()) {
                return found.seal();
            }
            Set<TopicPartition> tps = new HashSet<>(from.keySet());
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(10));
            consumer.assign(tps);
            Set<TopicPartition> open = new HashSet<>();
            for (TopicPartition tp : tps) {
                long f = from.get(tp);
                if (end.get(tp) > f) {
                    consumer.seek(tp, f);
                    open.add(tp);
                }
            }
            consumer.pause(new HashSet<>(tps));
            consumer.resume(open);
            long scanned = 0;
            long lastProgress = System.nanoTime();
            while (!open.isEmpty()) {
                if (System.nanoTime() - lastProgress > SCAN_STALL_NANOS) {
                    throw new KafkaException("recovery scan made no progress on " + open + " for 60 s");
                }
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    scanned++;
                    long idx = RecordHeaders.journalIndex(r.headers(), journalIdBytes);
                    if (idx > lastAckedIndex) {
                        found.add(new TopicPartition(r.topic(), r.partition()), idx);
                    }
                }
                open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                consumer.pause(new HashSet<>(tps));
                consumer.resume(open);
            }
            consumer.unsubscribe();
            found.seal();
            if (found.size() > 0) {
                LOG.info("forwarder recovery: {} records read after the checkpoint; {} journal entries after index {} "
                                + "are already in Kafka (per partition {}, highest {}) and are not sent again; the "
                                + "others are", scanned, found.size(), lastAckedIndex < 0 ? "start"
                                : Long.toHexString(lastAckedIndex), new java.util.TreeMap<>(names(found.countPerPartition())),
                        hex(found.highestPerPartition()));
            }
            return found;
        }

        private static Map<String, Long> names(Map<TopicPartition, Long> m) {
            Map<String, Long> out = new java.util.TreeMap<>();
            m.forEach((k, v) -> out.put(k.toString(), v));
            return out;
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
                    pendingRecord = null;
                }
                if (send(pending, pendingIndex)) {
                    pending = null;
                    pendingRecord = null;
                }
            }
            // graceful stop: give in-flight records a moment, then record what is certain
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                settleAcks();
                LockSupport.parkNanos(1_000_000);
            }
            maybeCheckpoint(true);
            failed = false;
        }

        /** Sends one entry; false when the producer did not take it (it is offered again, never skipped). */
        private boolean send(JournalEntry e, long index) {
            String topic = e.topic();
            byte[] key = e.session().getBytes(StandardCharsets.UTF_8);
            TopicPartition tp;
            try {
                tp = new TopicPartition(topic, TopicReader.partitionForKey(key, partitions(topic)));
            } catch (org.apache.kafka.common.errors.TimeoutException te) {
                stalled("no metadata for topic " + topic + " (does it exist?): " + te.getMessage());
                return false;
            }
            if (!window.knows(tp)) {
                // first record ever to this partition: remember where our records can start before sending, so a
                // restart knows where to look
                long endOffset = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
                window.firstWrite(tp, endOffset);
                saveCheckpoint();
            }
            if (delivered.contains(index)) {
                // in Kafka already (sent by an earlier session, found by the recovery scan): do not send twice
                InFlight f = new InFlight(index, e.streamId(), e.sampleCount(), tp, true);
                f.done = true;
                recoveredDuplicatesSkipped++;
                inFlight.add(f);
                return true;
            }
            if (pendingRecord == null) {
                pendingRecord = preparer.prepare(e);
            }
            ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, tp.partition(),
                    pendingRecord.timestampOrNull(), key, pendingRecord.value());
            rec.headers().add(new RecordHeader(RecordHeaders.JOURNAL, journalIdBytes));
            rec.headers().add(new RecordHeader(RecordHeaders.INDEX, RecordHeaders.longBytes(index)));
            rec.headers().add(new RecordHeader(RecordHeaders.FLAGS, RecordHeaders.intBytes(e.flags())));
            rec.headers().add(new RecordHeader(RecordHeaders.STREAM, e.streamId().getBytes(StandardCharsets.UTF_8)));
            InFlight f = new InFlight(index, e.streamId(), e.sampleCount(), tp, false);
            Thread self = Thread.currentThread();
            Exception[] refused = new Exception[1];
            try {
                producer.send(rec, (RecordMetadata md, Exception ex) -> {
                    if (ex != null && Thread.currentThread() == self) {
                        // called back inside send() on this thread: the producer refused the record before it
                        // entered a batch (e.g. no metadata within max.block.ms while a broker restarts). It was
                        // not written; it must not count as a failed send, which would let later entries pass it.
                        refused[0] = ex;
                        return;
                    }
                    if (ex != null) {
                        f.error = ex;
                    } else {
                        f.offset = md.offset();
                    }
                    f.done = true;
                });
            } catch (org.apache.kafka.common.errors.ApiException ex) {
                refused[0] = ex;
            }
            if (refused[0] != null) {
                if (refused[0] instanceof RecordTooLargeException) {
                    f.error = refused[0];
                    f.done = true;
                    inFlight.add(f);
                    return true;
                }
                stalled("producer did not accept journal entry " + Long.toHexString(index) + ": " + refused[0]);
                if (!(refused[0] instanceof RetriableException)) {
                    // a refusal that comes at once would spin this loop
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                return false;
            }
            inFlight.add(f);
            stalledSince = 0;
            return true;
        }

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

        /**
         * Pops settled entries in journal order, advancing the acknowledged prefix. A failed send ends the session
         * here, before the prefix passes it: the next session resends it (and whatever else the scan does not find).
         */
        private void settleAcks() {
            InFlight f;
            while ((f = inFlight.peek()) != null && f.done) {
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
                    // counted here, once per process: the prefix only grows, and a new session starts after it
                    stats.stream(f.streamId).addProduced(f.samples);
                    if (!f.skipped) {
                        window.sentAndAcknowledged(f.tp, f.offset);
                    }
                }
                inFlight.poll();
                lastAckedIndex = f.index;
                window.acknowledgedThrough(f.index);
            }
        }

        @Override
        public void close() {
            if (producer != null) {
                // after a failure, wait a little for the batches still in flight: the next session's scan must
                // not run while one of them can still land (it would be sent again). A graceful stop drains them
                // in pump() already.
                producer.close(Duration.ofSeconds(failed ? 5 : 2));
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
