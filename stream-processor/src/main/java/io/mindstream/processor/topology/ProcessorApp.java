package io.mindstream.processor.topology;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.nio.file.Path;
import java.util.Properties;

/** Kafka Streams settings of the processor (architecture.md §5: low latency is configured, not hoped for). */
public final class ProcessorApp {

    public static final String DEFAULT_APPLICATION_ID = "mindstream-processor";

    private ProcessorApp() {
    }

    /**
     * @param exactlyOnce {@code exactly_once_v2} instead of the default at-least-once (whose duplicates, after a
     *                    crash, carry the same deterministic epoch id)
     */
    public static Properties streamsProperties(String bootstrapServers, String applicationId, Path stateDir,
                                               boolean exactlyOnce, int threads) {
        return streamsProperties(bootstrapServers, applicationId, null, stateDir, exactlyOnce, threads);
    }

    /**
     * @param instanceId this processor's stable identity in the group (static membership: restarted with the same id
     *                   it takes its tasks back at once, without a rebalance; Streams appends the thread index);
     *                   null for a dynamic member
     */
    public static Properties streamsProperties(String bootstrapServers, String applicationId, String instanceId,
                                               Path stateDir, boolean exactlyOnce, int threads) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
        // markers and samples come from different topics; the epocher reconciles them by event time itself (a
        // marker waits for its data and vice versa), so a task never idles waiting for an empty partition
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Fast takeover after a crash: a static member restarted with the same instance id gets its tasks back at
        // once (no rebalance, no wait). A member that does not come back (or a dynamic one) is replaced when its
        // session expires: 45 s by default, 10 s here bounds that outage.
        if (instanceId != null) {
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
        }
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 16 * 1024 * 1024);
        return p;
    }
}
