package io.mindstream.ingest.forward;

import io.mindstream.contracts.Topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the forwarder talks to Kafka.
 *
 * @param bootstrapServers   Kafka bootstrap servers
 * @param producerOverrides  extra producer properties (win over ours, except the ones safety depends on:
 *                           idempotence, acks=all, in-flight ≤ 5 are enforced)
 * @param checkpointInterval how often, at most, the checkpoint is rewritten while acknowledgements arrive
 * @param maxInFlight        journal entries sent but not yet acknowledged before the forwarder waits
 * @param retryBackoff       wait between attempts while Kafka cannot be reached
 * @param createTopics       create the raw topics and raw.streams (with {@code partitions}) when missing
 * @param partitions         partitions of topics it creates
 * @param retentionInterval  how often journal retention runs
 */
public record ForwarderConfig(String bootstrapServers, Map<String, Object> producerOverrides,
                              Duration checkpointInterval, int maxInFlight, Duration retryBackoff,
                              boolean createTopics, int partitions, Duration retentionInterval) {

    public ForwarderConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        producerOverrides = Map.copyOf(producerOverrides);
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1");
        }
    }

    public static ForwarderConfig defaults(String bootstrapServers) {
        return new ForwarderConfig(bootstrapServers, Map.of(), Duration.ofMillis(100), 10_000,
                Duration.ofMillis(500), true, Topics.DEFAULT_PARTITIONS, Duration.ofMinutes(1));
    }

    public ForwarderConfig withProducerOverrides(Map<String, Object> overrides) {
        return new ForwarderConfig(bootstrapServers, overrides, checkpointInterval, maxInFlight, retryBackoff,
                createTopics, partitions, retentionInterval);
    }
}
