package io.mindstream.runtime.kafka;

import io.mindstream.contracts.Topics;
import io.mindstream.runtime.Durations;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Creates and inspects the pipeline's topics on any cluster (embedded or external) through an {@link Admin} client.
 * It does not own the client it is given.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final long TIMEOUT_S = 30;

    /** What {@link #ensure} found or did for one topic. */
    public record Outcome(Topics.Spec spec, Status status, int actualPartitions, Optional<Duration> actualRetention) {
        /** A readable one-liner for logs. */
        public String describe() {
            return switch (status) {
                case CREATED -> spec.name() + ": created (" + spec.partitions() + " partitions, retention "
                        + Durations.format(spec.retention()) + ")";
                case EXISTS -> spec.name() + ": exists (" + actualPartitions + " partitions, retention "
                        + actualRetention.map(Durations::format).orElse("unknown") + ")";
                case EXISTS_DIFFERENT -> spec.name() + ": exists with " + actualPartitions + " partitions and retention "
                        + actualRetention.map(Durations::format).orElse("unknown") + " (asked for "
                        + spec.partitions() + " partitions, retention " + Durations.format(spec.retention())
                        + "); left unchanged";
            };
        }
    }

    public enum Status { CREATED, EXISTS, EXISTS_DIFFERENT }

    /** One partition's offsets: {@code end − beginning} records are currently retained. */
    public record PartitionOffsets(int partition, long beginning, long end) {
        public long records() {
            return end - beginning;
        }
    }

    /** A topic's current shape and content; {@code partitions} is empty and {@code exists} false if it is absent. */
    public record TopicStats(String name, boolean exists, List<PartitionOffsets> partitions,
                             Optional<Duration> retention) {
        /** Records retained: the sum over partitions of end minus beginning offset. */
        public long records() {
            return partitions.stream().mapToLong(PartitionOffsets::records).sum();
        }
    }

    private final Admin admin;

    public TopicAdmin(Admin admin) {
        this.admin = admin;
    }

    /** An {@link Admin} for {@code bootstrap} with short loopback-friendly timeouts; the caller closes it. */
    public static Admin connect(String bootstrap) {
        return Admin.create(KafkaClients.admin(bootstrap));
    }

    /**
     * Creates the topics that are missing with the given partitions and {@code retention.ms}. Topics that exist are
     * left untouched, whatever their settings: changing partitions would move keys between partitions and break
     * co-partitioning, and retention may have been chosen on purpose (see {@link #setRetention}).
     * Safe to call concurrently from several processes.
     */
    public List<Outcome> ensure(List<Topics.Spec> specs) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topics.Spec s : specs) {
            if (s.partitions() < 1) {
                throw new IllegalArgumentException(s.name() + ": partitions must be at least 1, got " + s.partitions());
            }
            // Replication factor left to the cluster's default.replication.factor (1 on the embedded broker).
            // max.message.bytes: a per-TR window of a whole-brain fMRI volume (147,456 voxels × 3 volumes, float32:
            // 1.8 MB) is over the broker's 1 MB default; the processor's producer may send up to 16 MB
            wanted.add(new NewTopic(s.name(), Optional.of(s.partitions()), Optional.empty())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(s.retention().toMillis()),
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(KafkaClients.MAX_RECORD_BYTES))));
        }
        CreateTopicsResult created = admin.createTopics(wanted);
        Map<String, Boolean> createdNow = new HashMap<>();
        for (Topics.Spec s : specs) {
            try {
                created.values().get(s.name()).get(TIMEOUT_S, TimeUnit.SECONDS);
                createdNow.put(s.name(), true);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    createdNow.put(s.name(), false);
                } else {
                    throw new KafkaAdminException("cannot create topic " + s.name() + ": "
                            + KafkaClients.rootMessage(e.getCause()), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaAdminException("creating topic " + s.name() + " timed out after " + TIMEOUT_S + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaAdminException("interrupted while creating topic " + s.name(), e);
            }
        }
        awaitVisible(specs.stream().map(Topics.Spec::name).filter(createdNow::get).toList());
        List<String> existing = specs.stream().map(Topics.Spec::name).filter(n -> !createdNow.get(n)).toList();
        Map<String, Integer> partitions = partitionCounts(existing);
        Map<String, Optional<Duration>> retention = retentions(existing);
        List<Outcome> outcomes = new ArrayList<>();
        for (Topics.Spec s : specs) {
            Outcome o;
            if (createdNow.get(s.name())) {
                o = new Outcome(s, Status.CREATED, s.partitions(), Optional.of(s.retention()));
            } else {
                int p = partitions.getOrDefault(s.name(), -1);
                Optional<Duration> r = retention.getOrDefault(s.name(), Optional.empty());
                boolean same = p == s.partitions() && r.equals(Optional.of(s.retention()));
                o = new Outcome(s, same ? Status.EXISTS : Status.EXISTS_DIFFERENT, p, r);
            }
            log.debug("{}", o.describe());
            outcomes.add(o);
        }
        long n = outcomes.stream().filter(o -> o.status() == Status.CREATED).count();
        if (n > 0) {
            log.info("Created {} of {} topics: {}", n, specs.size(), outcomes.stream()
                    .filter(o -> o.status() == Status.CREATED).map(o -> o.spec().name()).collect(Collectors.joining(", ")));
        }
        return outcomes;
    }

    /**
     * A created topic is committed by the controller before every broker's metadata cache has it; waiting here means a
     * caller may describe it or produce to it at once.
     */
    private void awaitVisible(List<String> created) {
        if (created.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!listTopics().containsAll(created)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaAdminException("topics " + created + " were created but are not visible after "
                        + TIMEOUT_S + " s", null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaAdminException("interrupted while waiting for topics " + created, e);
            }
        }
    }

    /** Sets {@code retention.ms} of existing topics (used when the user asks for a retention explicitly). */
    public void setRetention(Collection<String> topics, Duration retention) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (String t : topics) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, t), List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())),
                    AlterConfigOp.OpType.SET)));
        }
        await(admin.incrementalAlterConfigs(ops).all(), "setting retention.ms of " + topics);
    }

    /** Names of all topics on the cluster, internal ones ({@code __consumer_offsets}, …) excluded. */
    public Set<String> listTopics() {
        return await(admin.listTopics().names(), "listing topics");
    }

    /**
     * Partitions, beginning and end offsets and retention of each named topic, in the given order. Missing topics are
     * reported with {@code exists == false} rather than failing the whole call.
     */
    public List<TopicStats> describe(List<String> topics) {
        Set<String> present = listTopics();
        List<String> existing = topics.stream().filter(present::contains).toList();
        Map<String, TopicDescription> descriptions = existing.isEmpty() ? Map.of()
                : await(admin.describeTopics(existing).allTopicNames(), "describing topics " + existing);
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        descriptions.forEach((name, d) -> d.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(name, p.partition());
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
        }));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> begin = earliest.isEmpty() ? Map.of()
                : await(admin.listOffsets(earliest).all(), "reading beginning offsets");
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = latest.isEmpty() ? Map.of()
                : await(admin.listOffsets(latest).all(), "reading end offsets");
        Map<String, Optional<Duration>> retention = retentions(existing);
        List<TopicStats> out = new ArrayList<>();
        for (String t : topics) {
            TopicDescription d = descriptions.get(t);
            if (d == null) {
                out.add(new TopicStats(t, false, List.of(), Optional.empty()));
                continue;
            }
            List<PartitionOffsets> parts = d.partitions().stream().map(p -> {
                TopicPartition tp = new TopicPartition(t, p.partition());
                return new PartitionOffsets(p.partition(), begin.get(tp).offset(), end.get(tp).offset());
            }).sorted(java.util.Comparator.comparingInt(PartitionOffsets::partition)).toList();
            out.add(new TopicStats(t, true, parts, retention.getOrDefault(t, Optional.empty())));
        }
        return out;
    }

    private Map<String, Integer> partitionCounts(List<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> d = await(admin.describeTopics(topics).allTopicNames(), "describing " + topics);
        Map<String, Integer> out = new HashMap<>();
        d.forEach((k, v) -> out.put(k, v.partitions().size()));
        return out;
    }

    private Map<String, Optional<Duration>> retentions(List<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> res = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> cfg = await(admin.describeConfigs(res).all(), "reading configs of " + topics);
        Map<String, Optional<Duration>> out = new HashMap<>();
        cfg.forEach((r, c) -> {
            ConfigEntry e = c.get(TopicConfig.RETENTION_MS_CONFIG);
            Optional<Duration> d = Optional.empty();
            if (e != null && e.value() != null) {
                long msValue = Long.parseLong(e.value());
                d = msValue < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(msValue));
            }
            out.put(r.name(), d);
        });
        return out;
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> f, String what) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new KafkaAdminException(what + ": topic does not exist", e.getCause());
            }
            throw new KafkaAdminException(what + " failed: " + KafkaClients.rootMessage(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException(what + " timed out after " + TIMEOUT_S + " s (is the cluster reachable?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while " + what, e);
        }
    }
}
