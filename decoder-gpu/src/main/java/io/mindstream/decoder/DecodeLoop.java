package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.decoder.output.ResultSink;
import io.mindstream.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The decoder's loop: consume epochs (and windows), decode each poll's records as micro-batches, hand every result to
 * the sinks (results topic, LSL outlet) in input order, then commit the consumed offsets. Input is at-least-once;
 * results are written once per epoch id: epochs whose result is already on the results topic (read back when
 * partitions are assigned, see {@link DeliveredResults}) are skipped.
 *
 * <p>Takeover: the decoders of one group share the epochs topic's partitions (sessions). When one dies, the group
 * notices after the session timeout ({@value KafkaClients#SESSION_TIMEOUT_MS} ms) and hands its partitions to the
 * others (cooperative, sticky assignment: the others' own partitions go on being decoded meanwhile); they resume at
 * the dead one's last committed offsets, reading back what it delivered after them. With an instance id the consumer
 * is a static member ({@code group.instance.id}): a decoder restarted within the session timeout gets its partitions
 * back without any rebalance.
 *
 * <p>Bad input never stops the loop: an undecodable record is skipped with its offset logged, and an epoch the model
 * cannot take (shape, NaN) is logged with its session and id and counted; other epochs and sessions go on.
 */
public final class DecodeLoop {

    private static final Logger log = LoggerFactory.getLogger(DecodeLoop.class);

    /** Counters, readable while running. */
    public static final class Stats {
        public final LongAdder consumed = new LongAdder();
        public final LongAdder decoded = new LongAdder();
        public final LongAdder rejected = new LongAdder();
        public final LongAdder undecodableRecords = new LongAdder();
        /** Epochs of other sessions or stream kinds than this decoder's. */
        public final LongAdder skipped = new LongAdder();
        /** Epochs whose result was already delivered (a replay after a crash, or an epoch written twice). */
        public final LongAdder alreadyDelivered = new LongAdder();
    }

    private final String bootstrapServers;
    private final List<String> topics;
    private final String groupId;
    private final String instanceId;
    private final boolean fromBeginning;
    private final Predicate<Epoch> wanted;
    private final RecordDecoder decoder;
    private final List<ResultSink> sinks;
    private final Stats stats = new Stats();
    private final Map<String, Long> rejectedPerSession = new ConcurrentHashMap<>();

    private final DeliveredResults delivered;

    /**
     * @param instanceId this decoder's stable identity in the group (static membership: the same id after a restart
     *                   takes the partitions back at once); null for a dynamic member
     * @param wanted     which epochs this decoder takes (its session, its stream kinds); the others are skipped
     */
    public DecodeLoop(String bootstrapServers, List<String> topics, String groupId, String instanceId,
                         boolean fromBeginning, Predicate<Epoch> wanted, RecordDecoder decoder,
                         List<ResultSink> sinks) {
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.delivered = new DeliveredResults(bootstrapServers, 1_000, 200_000);
        this.fromBeginning = fromBeginning;
        this.wanted = wanted;
        this.decoder = decoder;
        this.sinks = List.copyOf(sinks);
    }

    public Stats stats() {
        return stats;
    }

    /**
     * Runs until {@code stop} is set, {@code maxEpochs} epochs were handled (0 = no limit), or nothing arrived for
     * {@code idleExitMillis} after the first epoch (0 = never).
     */
    public void run(AtomicBoolean stop, long maxEpochs, long idleExitMillis) {
        Map<String, Object> props = KafkaClients.groupMember(bootstrapServers, groupId, instanceId,
                "mindstream-decoder", fromBeginning);
        try (KafkaConsumer<String, Epoch> consumer = new KafkaConsumer<>(props,
                ContractSerdes.sessionKey().deserializer(), ContractSerdes.epoch().deserializer())) {
            consumer.subscribe(topics, new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> tps) {
                    // nothing to hand over: each poll's results are flushed and its offsets committed before the
                    // next poll, and this runs inside poll
                    if (!tps.isEmpty()) {
                        log.info("partitions {} revoked (a rebalance in group {}, or this decoder stopping)", tps,
                                groupId);
                    }
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> tps) {
                    delivered.readBack(tps);
                }
            });
            log.info("decoding {} from {} (group {}, {})", topics, bootstrapServers, groupId,
                    fromBeginning ? "from the beginning" : "new epochs only");
            long lastData = System.currentTimeMillis();
            boolean seenAny = false;
            while (!stop.get() && (maxEpochs <= 0 || stats.consumed.sum() < maxEpochs)) {
                ConsumerRecords<String, Epoch> records;
                try {
                    records = consumer.poll(Duration.ofMillis(100));
                } catch (RecordDeserializationException e) {
                    stats.undecodableRecords.increment();
                    log.error("skipping undecodable record on {} at offset {}: {}", e.topicPartition(), e.offset(),
                            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                if (records.isEmpty()) {
                    if (seenAny && idleExitMillis > 0 && System.currentTimeMillis() - lastData > idleExitMillis) {
                        log.info("no epochs for {} ms: stopping", idleExitMillis);
                        break;
                    }
                    continue;
                }
                seenAny = true;
                lastData = System.currentTimeMillis();
                handle(records);
                for (ResultSink s : sinks) {
                    s.flush();
                }
                consumer.commitSync();
            }
        }
    }

    private void handle(ConsumerRecords<String, Epoch> records) {
        List<Epoch> epochs = new ArrayList<>(records.count());
        for (ConsumerRecord<String, Epoch> r : records) {
            stats.consumed.increment();
            if (!wanted.test(r.value())) {
                stats.skipped.increment();
            } else if (delivered.contains(r.value().epochId())) {
                stats.alreadyDelivered.increment();
                log.info("{}: result already delivered (a replay after a restart): not written again",
                        r.value().epochId());
            } else {
                delivered.add(r.value().epochId()); // also drops a second copy within this poll
                epochs.add(r.value());
            }
        }
        List<CompletableFuture<DecodeResult>> futures = decoder.decodeAll(epochs);
        for (int i = 0; i < futures.size(); i++) {
            Epoch e = epochs.get(i);
            try {
                DecodeResult result = futures.get(i).get();
                for (ResultSink s : sinks) {
                    try {
                        s.accept(result);
                    } catch (RuntimeException ex) {
                        log.error("sink {} failed on {}: {}", s.getClass().getSimpleName(), e.epochId(), ex.toString());
                    }
                }
                stats.decoded.increment();
            } catch (ExecutionException ex) {
                reject(e, ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void reject(Epoch e, Throwable cause) {
        stats.rejected.increment();
        long n = rejectedPerSession.merge(e.session(), 1L, Long::sum);
        if (n <= 10 || Long.bitCount(n) == 1) { // the first ten per session, then at powers of two
            log.error("rejected ({} so far in session {}): {}", n, e.session(),
                    cause instanceof EpochRejectedException ? cause.getMessage() : e.epochId() + ": " + cause);
        }
    }
}
