package io.mindstream.display.feed;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.Topics;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.contracts.codec.DecodeResultCodec;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.RecordFormatException;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.contracts.codec.StreamDescriptionCodec;
import io.mindstream.display.DisplayHub;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds the {@link DisplayHub} from Kafka, on two threads of its own so no event loop ever waits for Kafka:
 * <ul>
 *   <li><b>results</b>: {@code results}, every partition (no consumer group: every display sees everything),
 *       starting a few records back so the page opens on recent results (those are marked as replayed and are not
 *       timed); then each result is pushed the moment it arrives.</li>
 *   <li><b>raw</b>: the raw topics from their end, for stream health and the MEG butterfly plot. Kept apart so that
 *       megabytes of MEG per second never sit in front of a result.</li>
 * </ul>
 * Topics that do not exist yet are waited for. A record that does not decode is logged, counted and skipped.
 */
public final class KafkaFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaFeed.class);
    private static final List<String> RAW_TOPICS = Topics.rawTopics();

    private final String bootstrapServers;
    private final DisplayHub hub;
    private final String sessionFilter;
    private final int replayResults;
    private final boolean consumeRaw;
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicLong badRecords = new AtomicLong();
    private volatile String lastError;

    /**
     * @param sessionFilter only this session's records, or null for all
     * @param replayResults results to re-read per partition at start (recent history for the page)
     * @param consumeRaw    also consume the raw topics (health, butterfly)
     */
    public KafkaFeed(String bootstrapServers, DisplayHub hub, String sessionFilter, int replayResults,
                     boolean consumeRaw) {
        this.bootstrapServers = bootstrapServers;
        this.hub = hub;
        this.sessionFilter = sessionFilter;
        this.replayResults = replayResults;
        this.consumeRaw = consumeRaw;
    }

    public KafkaFeed start() {
        workers.add(new Worker("display-results", List.of(Topics.RESULTS), replayResults, this::onResult));
        if (consumeRaw) {
            workers.add(new Worker("display-raw", RAW_TOPICS, 0, this::onRaw));
            // descriptions are written once per stream and ingest run: read back what the topic holds
            workers.add(new Worker("display-streams", List.of(Topics.STREAMS), DESCRIPTIONS_REREAD,
                    this::onDescription));
        }
        hub.setFeedStatus("kafka " + bootstrapServers, false, null);
        workers.forEach(Thread::start);
        return this;
    }

    /** Records that could not be decoded (skipped). */
    public long badRecords() {
        return badRecords.get();
    }

    private final DecodeResultCodec resultCodec = new DecodeResultCodec();
    private final SampleChunkCodec chunkCodec = new SampleChunkCodec();
    private final MarkerCodec markerCodec = new MarkerCodec();
    private final StreamDescriptionCodec descriptionCodec = new StreamDescriptionCodec();
    /** Descriptions re-read per partition of raw.streams at start (one per stream and ingest run). */
    private static final int DESCRIPTIONS_REREAD = 1000;

    private void onDescription(ConsumerRecord<String, byte[]> rec, boolean live) {
        StreamDescription d = descriptionCodec.decode(rec.value());
        if (sessionFilter == null || sessionFilter.equals(d.session())) {
            hub.acceptDescription(d);
        }
    }

    private void onResult(ConsumerRecord<String, byte[]> rec, boolean live) {
        DecodeResult r = resultCodec.decode(rec.value());
        if (sessionFilter == null || sessionFilter.equals(r.session())) {
            hub.publishResult(r, live);
        }
    }

    private void onRaw(ConsumerRecord<String, byte[]> rec, boolean live) {
        if (rec.topic().equals(Topics.MARKERS)) {
            Marker m = markerCodec.decode(rec.value());
            if (sessionFilter == null || sessionFilter.equals(m.session())) {
                hub.acceptMarker(m);
            }
        } else {
            SampleChunk c = chunkCodec.decode(rec.value());
            if (sessionFilter == null || sessionFilter.equals(c.session())) {
                hub.acceptChunk(c);
            }
        }
    }

    @FunctionalInterface
    private interface Handler {
        void handle(ConsumerRecord<String, byte[]> rec, boolean live);
    }

    /** One consumer on one thread. */
    private final class Worker extends Thread {
        private final List<String> topics;
        private final int replay;
        private final Handler handler;
        private final KafkaConsumer<String, byte[]> consumer;
        private volatile boolean running = true;
        /** Offsets below which records are replayed history, per partition. */
        private Map<TopicPartition, Long> liveFrom = Map.of();

        Worker(String name, List<String> topics, int replay, Handler handler) {
            super(name);
            setDaemon(true);
            this.topics = topics;
            this.replay = replay;
            this.handler = handler;
            consumer = new KafkaConsumer<>(KafkaClients.liveReader(bootstrapServers, "mindstream-" + name),
                    new StringDeserializer(), new ByteArrayDeserializer());
        }

        void shutdown() {
            running = false;
            consumer.wakeup();
        }

        @Override
        public void run() {
            try {
                if (!assign()) {
                    return;
                }
                hub.setFeedStatus("kafka " + bootstrapServers, true, lastError);
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, byte[]> rec : records) {
                        Long from = liveFrom.get(new TopicPartition(rec.topic(), rec.partition()));
                        boolean live = from == null || rec.offset() >= from;
                        try {
                            handler.handle(rec, live);
                        } catch (RecordFormatException | IllegalArgumentException e) {
                            badRecords.incrementAndGet();
                            lastError = "bad record " + rec.topic() + "-" + rec.partition() + "@" + rec.offset()
                                    + ": " + e.getMessage();
                            log.warn("skipping undecodable record {}-{} offset {}: {}", rec.topic(),
                                    rec.partition(), rec.offset(), e.getMessage());
                            hub.setFeedStatus("kafka " + bootstrapServers, true, lastError);
                        }
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            } catch (RuntimeException e) {
                lastError = e.toString();
                hub.setFeedStatus("kafka " + bootstrapServers, false, lastError);
                log.error("{} consumer stopped: {}", getName(), e.toString(), e);
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        /** Waits until the topics exist, assigns all their partitions and positions the consumer. */
        private boolean assign() {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : topics) {
                boolean warned = false;
                while (running) {
                    List<PartitionInfo> infos;
                    try {
                        infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        infos = List.of();
                    }
                    if (infos != null && !infos.isEmpty()) {
                        infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                        break;
                    }
                    if (!warned) {
                        log.info("waiting for topic {} on {}", topic, bootstrapServers);
                        warned = true;
                    }
                    sleepQuietly(1000);
                }
            }
            if (!running) {
                return false;
            }
            consumer.assign(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(parts);
            for (TopicPartition tp : parts) {
                long start = Math.max(begins.get(tp), ends.get(tp) - replay);
                consumer.seek(tp, start);
            }
            liveFrom = Map.copyOf(ends);
            log.info("{} consuming {} ({} partitions){}", getName(), topics, parts.size(),
                    replay > 0 ? ", replaying up to " + replay + " recent records per partition" : "");
            return true;
        }

        private void sleepQuietly(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public void close() {
        workers.forEach(Worker::shutdown);
        for (Worker w : workers) {
            try {
                w.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hub.setFeedStatus("kafka " + bootstrapServers, false, "stopped");
    }
}
