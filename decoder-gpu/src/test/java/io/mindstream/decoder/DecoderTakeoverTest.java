package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.output.KafkaResultSink;
import io.mindstream.decoder.ridge.RidgeModel;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two decoders in one group on a real broker, sessions on every partition of the epochs topic. Decoder {@code a}
 * dies without leaving the group (a static member, {@code group.instance.id}, sends no LeaveGroup when it closes:
 * for the group this is a crash, noticed only when its session times out, as after a SIGKILL); every epoch produced
 * while it is down, its own sessions' included, is then decoded by {@code b}, which ends up holding every partition.
 * Then {@code a} returns under the same instance id and takes a share back. Every epoch sent is on the results topic
 * exactly once (read from the topic, compared with what was sent). The SIGKILLed process itself is the cluster
 * drill's part ({@code ./mindstream drill --cluster --drill decode-away}).
 */
class DecoderTakeoverTest {

    private static final String GROUP = "takeover-test";

    @Test
    void aDeadDecodersSessionsAreDecodedByTheOtherAndEveryEpochOnce(@TempDir Path dir) throws Exception {
        Random r = new Random(7);
        LinearBrain brain = new LinearBrain(r);
        RidgeModel model = brain.fit(r);
        List<String> sessions = sessionsOnEveryPartition(2);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")));
             Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers()))) {
            kafka.createTopics(Topics.defaults());
            String bootstrap = kafka.bootstrapServers();
            try (KafkaProducer<String, Epoch> producer = new KafkaProducer<>(
                    KafkaClients.producer(bootstrap, "takeover-test"),
                    ContractSerdes.sessionKey().serializer(), ContractSerdes.epoch().serializer())) {
                List<String> sent = new ArrayList<>();
                Decoder a = new Decoder("a", bootstrap, brain, model).start();
                Decoder b = new Decoder("b", bootstrap, brain, model).start();
                Map<String, Set<Integer>> shared = awaitAssignment(admin,
                        m -> m.size() == 2 && m.values().stream().noneMatch(Set::isEmpty));
                Set<Integer> aPartitions = shared.get("a");

                sent.addAll(send(producer, sessions, 0, 3, brain, r));
                awaitResults(bootstrap, sent.size());

                a.kill();
                // a did not leave: the group still counts it, with its partitions, until its session times out
                assertEquals(aPartitions, awaitAssignment(admin, m -> true).get("a"));
                long bDecodedBefore = b.decoded();
                List<String> whileDown = send(producer, sessions, 3, 6, brain, r);
                assertTrue(whileDown.stream().anyMatch(id -> aPartitions.contains(partitionOf(session(id)))),
                        "the test must send epochs of the dead decoder's sessions");
                sent.addAll(whileDown);
                awaitResults(bootstrap, sent.size());
                assertEquals(whileDown.size(), b.decoded() - bDecodedBefore,
                        "every epoch sent while a was down, a's sessions' included, is decoded by b");
                assertEquals(Map.of("b", Set.of(0, 1, 2)),
                        awaitAssignment(admin, m -> m.size() == 1 && m.containsKey("b")));

                Decoder back = new Decoder("a", bootstrap, brain, model).start();
                awaitAssignment(admin, m -> m.size() == 2 && m.values().stream().noneMatch(Set::isEmpty));
                sent.addAll(send(producer, sessions, 6, 9, brain, r));
                awaitResults(bootstrap, sent.size());
                back.kill();
                b.kill();
                assertEquals(0, b.loop.stats().rejected.sum() + back.loop.stats().rejected.sum());
            }
            // after every decoder has flushed and stopped: each epoch sent is on the results topic, once
            List<String> results = results(bootstrap);
            assertEquals(results.size(), new TreeSet<>(results).size(), "no result twice: " + results);
            assertEquals(new TreeSet<>(sentIds(sessions, 9)), new TreeSet<>(results));
        }
    }

    /** One decode loop on its own thread, as {@link DecoderService} runs it, with static membership. */
    private static final class Decoder {
        final DecodeLoop loop;
        final EpochDecoder decoder;
        final KafkaResultSink sink;
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        Decoder(String instance, String bootstrap, LinearBrain brain, RidgeModel model) {
            decoder = new EpochDecoder(model, brain.index(), null, 3, new RetrievalTracker(10), 4, 1000);
            sink = new KafkaResultSink(bootstrap);
            loop = new DecodeLoop(bootstrap, List.of(Topics.EPOCHS), GROUP, instance, true, e -> true, decoder,
                    List.of(sink));
            thread = new Thread(() -> loop.run(stop, 0, 0), "decoder-" + instance);
            thread.setDaemon(true);
        }

        Decoder start() {
            thread.start();
            return this;
        }

        long decoded() {
            return loop.stats().decoded.sum();
        }

        /** Stops the loop; its consumer closes without leaving the group (static member). */
        void kill() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
            assertFalse(thread.isAlive(), "decoder loop did not stop");
            sink.close();
            decoder.close();
        }
    }

    /** Trials {@code from … to-1} of every session, in order; returns their epoch ids. */
    private static List<String> send(KafkaProducer<String, Epoch> producer, List<String> sessions, int from, int to,
                                     LinearBrain brain, Random r) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int k = from; k < to; k++) {
            for (String s : sessions) {
                Epoch e = LinearBrain.epoch(s, k, LinearBrain.CH, brain.data(k, r, 0.05f));
                producer.send(new ProducerRecord<>(Topics.EPOCHS, s, e)).get(10, TimeUnit.SECONDS);
                ids.add(e.epochId());
            }
        }
        return ids;
    }

    private static List<String> sentIds(List<String> sessions, int trials) {
        List<String> ids = new ArrayList<>();
        for (String s : sessions) {
            for (int k = 0; k < trials; k++) {
                ids.add(s + "/e" + k);
            }
        }
        return ids;
    }

    /** Session names whose records land on every partition of the epochs topic, {@code perPartition} on each. */
    private static List<String> sessionsOnEveryPartition(int perPartition) {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.values().stream().mapToInt(List::size).sum() < perPartition
                * Topics.DEFAULT_PARTITIONS; i++) {
            String s = "session-" + i;
            List<String> here = byPartition.computeIfAbsent(partitionOf(s), p -> new ArrayList<>());
            if (here.size() < perPartition) {
                here.add(s);
            }
        }
        return byPartition.values().stream().flatMap(List::stream).toList();
    }

    private static int partitionOf(String session) {
        return TopicReader.partitionForKey(session.getBytes(StandardCharsets.UTF_8), Topics.DEFAULT_PARTITIONS);
    }

    private static String session(String epochId) {
        return epochId.substring(0, epochId.indexOf('/'));
    }

    /** The epoch ids of every result on the topic, in topic order per partition. */
    private static List<String> results(String bootstrap) {
        List<String> ids = new ArrayList<>();
        var values = ContractSerdes.decodeResult().deserializer();
        new TopicReader(bootstrap, "takeover-test-results").readAll(List.of(Topics.RESULTS), null, rec -> {
            DecodeResult d = values.deserialize(rec.topic(), rec.value());
            ids.add(d.epochId());
        });
        return ids;
    }

    /** Waits until the results topic holds {@code count} results (a deadline for a stuck group, not a measurement). */
    private static void awaitResults(String bootstrap, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<String> got = List.of();
        while (System.nanoTime() < deadline) {
            got = results(bootstrap);
            if (got.size() >= count) {
                return;
            }
            Thread.sleep(200);
        }
        fail("results: " + got.size() + " of " + count + " epochs decoded: " + got);
    }

    /** The group's members (by instance id) and the epochs partitions each holds, once {@code done} holds. */
    private static Map<String, Set<Integer>> awaitAssignment(Admin admin, Predicate<Map<String, Set<Integer>>> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Map<String, Set<Integer>> members = Map.of();
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(10, TimeUnit.SECONDS).get(GROUP);
            members = new TreeMap<>();
            for (MemberDescription m : d.members()) {
                members.put(m.groupInstanceId().orElse(m.consumerId()), m.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.EPOCHS)).map(TopicPartition::partition)
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
            if (done.test(members)) {
                return members;
            }
            Thread.sleep(200);
        }
        fail("the group never got there; members and partitions: " + members);
        return members;
    }
}
