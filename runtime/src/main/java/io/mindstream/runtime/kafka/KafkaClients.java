package io.mindstream.runtime.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every Kafka client setting of the pipeline, in one place, one method per role, each setting with its reason
 * (architecture.md §5: low latency is configured, not hoped for; docs/reliability.md for durability). Stages take the
 * map of their role and add only their serializers; nothing else in the code base sets a client property.
 *
 * <p>Across roles: {@code linger.ms=0} on every producer (Kafka 4.x defaults to 5 ms, Streams to 100 ms: each record
 * would wait for it); consumers long-poll with {@code fetch.min.bytes=1} (the broker answers as soon as one record is
 * there, so {@code fetch.max.wait.ms} costs no latency; a short one only makes the broker answer empty fetches).
 */
public final class KafkaClients {

    /**
     * How long a group waits for a member that stopped heartbeating (a killed or hung processor or decoder) before
     * its partitions go to the other members: 6 s, the smallest a stock broker accepts
     * ({@code group.min.session.timeout.ms}). Every second of it is a second that each session of a dead instance
     * gets no epoch or result (the decode-away drill with 10 s: the first epoch cut after the kill waited 13.4 s for
     * the surviving decoder, docs/reliability.md). A shorter timeout costs little: heartbeats come from the client's own thread, so a
     * long decode or a Streams restore does not delay them (that is {@code max.poll.interval.ms}'s business), and a
     * member wrongly expired by a stalled JVM costs one rebalance, with nothing lost or repeated (offsets are committed
     * after the output is written; the decoder skips results it finds delivered). The longer timeout's one gain, a
     * restarted instance (same {@code group.instance.id}) back within it without any rebalance, needs a restart in
     * under 10 s: a decoder restarted at once in the drill took about 20 s to rejoin (JVM, model, bank), so it did
     * not have that gain either.
     */
    public static final int SESSION_TIMEOUT_MS = 6_000;

    /** Heartbeats a sixth of the session timeout apart: a member survives a few lost or late ones. */
    public static final int HEARTBEAT_INTERVAL_MS = SESSION_TIMEOUT_MS / 6;

    /**
     * The forwarder's producer batch: 1 MiB, about 80 MEG chunks of a 272-channel system (10 ms each). Small batches
     * cap the MEG at one chunk per request, and the markers, on their own partition, overtake it (see
     * {@link #journalForwarder}).
     */
    public static final int FORWARDER_BATCH_BYTES = 1024 * 1024;

    /** The largest record the processor writes (an fMRI window of a whole-brain volume); topics take as much. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private KafkaClients() {
    }

    /**
     * Ingest's forwarder: the journal → raw topics. Durability first: idempotent, {@code acks=all}, at most 5 in
     * flight (what keeps one producer's records in order), retrying forever with the same producer id through a
     * broker outage of any length instead of failing batches; a send the producer cannot even take (no metadata
     * while a broker restarts) fails after 5 s and is offered again. Large records: a 400 kB fMRI volume part.
     *
     * @param overrides user settings; they win, except the four delivery depends on
     */
    public static Map<String, Object> journalForwarder(String bootstrap, String clientId,
                                                       Map<String, Object> overrides) {
        Map<String, Object> p = common(bootstrap, clientId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // linger 0 sends a live record at once; a backlog (after a broker outage, or a journal forwarded late) fills
        // batches up to 1 MiB instead of the default 16 KiB, which holds a single MEG chunk: one record per request
        // forwarded a 20-s backlog at only 2x real time.
        // It also keeps markers from overtaking the MEG (issue 16: markers 7-10 s ahead of their data at the
        // processor under load). One producer sends every topic, and each produce request takes at most one batch
        // per partition: with 16 KiB that is one 10-ms MEG chunk per request, 5 in flight, so at ~50 ms per request
        // (a loaded machine) the MEG barely keeps real time and piles up in the producer while each marker leaves in
        // the next request (measured, demo under load: records per request 1.01, record-queue-time-max 1.76 s, markers
        // up to 1.7 s ahead at the broker and the processor, 0.33 s at PRODUCED; with 1 MiB, same load: 1.8
        // records per request, queue time <= 0.12 s, markers <= 0.11 s ahead; docs/stream-processor.md)
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, FORWARDER_BATCH_BYTES);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        p.putAll(overrides);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * A stage's output producer (the decoder's results; the benchmarks' feeds): each record worth nothing late
     * ({@code linger.ms=0}); idempotent with {@code acks=all} so a broker failover neither loses nor repeats one.
     * Serializers are the caller's.
     */
    public static Map<String, Object> producer(String bootstrap, String clientId) {
        Map<String, Object> p = common(bootstrap, clientId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /**
     * A stage's member of a consumer group (the decoder): offsets committed by the stage after its output is
     * written (at-least-once), few records per poll (epochs are few and each is latency-critical), long polling.
     *
     * <p>Partitions are assigned cooperatively and sticky ({@code CooperativeStickyAssignor}), not by the default
     * eager range assignment: when a member dies or joins, only the partitions that change hands pause; the others
     * go on being decoded through the rebalance, and a member that returns gets a fair share back, not necessarily the
     * partitions it had (with eager range, every member stops all its partitions at each rebalance, and a returning
     * member takes back exactly what it had: a dead member's sessions pause twice, once when it dies and once when it
     * returns). All members of a group must list the same assignor: decoders of an earlier version (eager range) and
     * of this one do not share a group; stop the old ones before starting the new.
     *
     * @param instanceId static membership ({@code group.instance.id}): the same id after a restart within the
     *                   session timeout takes the partitions back without a rebalance; null for a dynamic member
     */
    public static Map<String, Object> groupMember(String bootstrap, String group, String instanceId, String clientId,
                                                  boolean fromBeginning) {
        Map<String, Object> p = common(bootstrap, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        if (instanceId != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return p;
    }

    /**
     * A reader outside any group (partitions assigned by hand): offline recomputation, audits, replay, read-backs,
     * the display's feed. Nothing committed; records as written (the raw topics are not transactional). Byte-array
     * serdes: the caller decodes, so one bad record is skipped, not fatal.
     */
    public static Map<String, Object> reader(String bootstrap, String clientId) {
        Map<String, Object> p = common(bootstrap, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        // fail fast on loopback: a blocking call (offsets, metadata) gives up after 10 s, not Kafka's minute
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /**
     * A reader that sees only committed transactions ({@code read_committed}): what a consumer of an exactly-once
     * stage's output sees.
     */
    public static Map<String, Object> committedReader(String bootstrap, String clientId) {
        Map<String, Object> p = reader(bootstrap, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /** A reader that follows topics live from their end (the display's feed, which replays a little history itself). */
    public static Map<String, Object> liveReader(String bootstrap, String clientId) {
        Map<String, Object> p = reader(bootstrap, clientId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return p;
    }

    /**
     * A reader that takes seconds of one partition at once (a processor rebuilding a stream from the raw topic): big
     * fetches, few round trips.
     */
    public static Map<String, Object> bulkReader(String bootstrap, String clientId) {
        Map<String, Object> p = reader(bootstrap, clientId);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        return p;
    }

    /**
     * The stream processor (Kafka Streams).
     *
     * @param instanceId  static membership: restarted with the same id, the processor takes its tasks back at once,
     *                    without a rebalance (Streams appends the thread index); null for a dynamic member
     * @param exactlyOnce {@code exactly_once_v2} instead of at-least-once (whose copies after a crash carry the same
     *                    deterministic epoch id)
     */
    public static Properties streams(String bootstrap, String applicationId, String instanceId, Path stateDir,
                                     boolean exactlyOnce, int threads) {
        return streams(bootstrap, applicationId, instanceId, stateDir, exactlyOnce, threads, 0);
    }

    /**
     * The stream processor, with {@code standbyReplicas} warm copies of each task's state on other instances: when
     * an instance dies, the instance that takes its sessions over already holds their (small) state and resumes
     * without restoring it from the changelogs first.
     */
    public static Properties streams(String bootstrap, String applicationId, String instanceId, Path stateDir,
                                     boolean exactlyOnce, int threads, int standbyReplicas) {
        Properties p = new Properties();
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        // Streams' producers default to linger.ms=100: every epoch would wait for it
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        // no record cache: nothing is held back until commit
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // at-least-once commits every 100 ms as exactly-once does: a crash replays at most ~100 ms of input
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // markers and samples come from different topics; the epocher reconciles them by sequence and event time
        // itself (a marker waits for its data and vice versa), so a task never idles waiting for an empty partition
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        if (instanceId != null) {
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
        }
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), HEARTBEAT_INTERVAL_MS);
        // an epoch of a whole-brain fMRI volume can be large
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_RECORD_BYTES);
        // ... and the internal topics Streams creates take it too: a stream's snapshot on the changelog holds per-voxel
        // state (a 64 × 64 × 36 volume's is several MB)
        p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(MAX_RECORD_BYTES));
        return p;
    }

    /** Admin: fail fast on loopback instead of Kafka's one-minute defaults. */
    public static Map<String, Object> admin(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "mindstream-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return p;
    }

    private static Map<String, Object> common(String bootstrap, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (clientId != null) {
            p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        }
        return p;
    }

    /** The exception's message followed by its causes' messages, without repeats: for one-line errors. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder();
        while (t != null) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString();
    }
}
