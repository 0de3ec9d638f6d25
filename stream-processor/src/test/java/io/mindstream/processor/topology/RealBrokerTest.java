package io.mindstream.processor.topology;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.offline.EpochComparison;
import io.mindstream.processor.offline.EpochExport;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.processor.offline.RawTopicReader;
import io.mindstream.simulator.MarkerEvent;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simulated subject → real embedded KRaft broker → Kafka Streams processor → epochs topic, with the processor killed
 * half way and restarted on a fresh state directory (so its state comes back from the changelogs only): every
 * epoch arrives exactly once and equals, bit for bit, the one the offline epocher computes from the same records.
 */
class RealBrokerTest {

    static final Pattern IMAGE = Pattern.compile("\\bimage=(\\S+)");
    static EmbeddedKafka broker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")));
        broker.createTopics(Topics.defaults());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The first {@code seconds} of the simulated session as chunks (10 ms) and onset markers, in event-time order. */
    static List<Object> simulate(String session, double seconds) {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(11));
        int ch = subject.channelCount();
        double fs = subject.sampleRate();
        double t0 = T0; // LSL clock of sample 0
        List<Object> out = new ArrayList<>();
        List<MarkerEvent> markers = subject.markers();
        int m = 0;
        long seq = 0;
        float[] buf = new float[12 * ch];
        while (seq < seconds * fs) {
            subject.generateMeg(seq, 12, buf);
            double[] ts = new double[12];
            for (int i = 0; i < 12; i++) {
                ts[i] = t0 + (seq + i) / fs;
            }
            out.add(SampleChunk.ofFloats(session, "meg-sim", StreamKind.MEG, ch, fs, seq, ts, buf.clone(),
                    TraceStamps.empty().with(Stage.ACQUIRED, 1 + seq)));
            seq += 12;
            while (m < markers.size() && markers.get(m).seconds() <= seq / fs) {
                MarkerEvent e = markers.get(m);
                Matcher im = IMAGE.matcher(e.label());
                out.add(new Marker(session, "stim", m, t0 + e.seconds(), e.label(), null,
                        im.find() ? im.group(1) : null, TraceStamps.empty()));
                m++;
            }
        }
        return out;
    }

    /** Record timestamps: wall clock now plus the event's offset into the session (LSL seconds are not epoch ms). */
    static final long WALL_START = System.currentTimeMillis();
    static final double T0 = 5000.0;

    static long timestamp(double lslSeconds) {
        return WALL_START + (long) ((lslSeconds - T0) * 1000);
    }

    static void produce(List<Object> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, SampleChunk> chunks = new KafkaProducer<>(p, Serdes.String().serializer(),
                ContractSerdes.sampleChunk().serializer());
             KafkaProducer<String, Marker> markers = new KafkaProducer<>(p, Serdes.String().serializer(),
                     ContractSerdes.marker().serializer())) {
            for (Object r : records) {
                if (r instanceof Marker mk) {
                    // markers reach the processor before the data that completes their epoch, as live
                    markers.send(new ProducerRecord<>(Topics.MARKERS, null, timestamp(mk.timestamp()),
                            mk.session(), mk));
                } else {
                    SampleChunk c = (SampleChunk) r;
                    chunks.send(new ProducerRecord<>(Topics.rawTopic(StreamKind.MEG), null,
                            timestamp(c.timestamps()[c.sampleCount() - 1]), c.session(), c));
                }
            }
            chunks.flush();
            markers.flush();
        }
    }

    static KafkaStreams startProcessor(ProcessorConfig cfg, String appId, Path state) {
        Properties props = io.mindstream.runtime.kafka.KafkaClients.streams(broker.bootstrapServers(), appId, null,
                state, false, 1);
        // the restarted instance takes over once the closed one's session expires (the broker's minimum)
        props.put(org.apache.kafka.streams.StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                6_000);
        KafkaStreams s = new KafkaStreams(ProcessorTopology.build(cfg, new ProcessorStats(), () -> 7L, c -> {
        }, RawReplay.kafka(broker.bootstrapServers())), props);
        s.start();
        return s;
    }

    static void readEpochs(KafkaConsumer<String, Epoch> c, String session, List<Epoch> into, int atLeast,
                           Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (into.size() < atLeast && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(r -> {
                if (r.value().session().equals(session)) {
                    into.add(r.value());
                }
            });
        }
    }

    @Test
    void simulatorThroughBrokerToEpochsSurvivesARestartAcrossADeliveryHoleWithoutLossOrDuplicates() throws Exception {
        String session = "it-" + UUID.randomUUID();
        String appId = "processor-it-" + UUID.randomUUID();
        ProcessorConfig cfg = ProcessorConfig.defaults().withCalibrationEpochs(4);
        List<Object> records = new ArrayList<>(simulate(session, 16));
        int half = records.size() / 2;
        // a delivery hole across the restart: five chunks before the cut reach Kafka only after it (as a resend
        // after a producer failure does), so the first instance holds the chunks behind them in its stores and the
        // second must carry on from there without loss
        List<Object> late = new ArrayList<>();
        for (int i = half - 60; late.size() < 5; i++) {
            if (records.get(i) instanceof SampleChunk) {
                late.add(records.remove(i--));
                half--;
            }
        }
        records.addAll(half, late);

        List<Epoch> expected = new ArrayList<>();
        OfflineEpocher offline = new OfflineEpocher(cfg, () -> 7L);
        records.forEach(r -> expected.addAll(offline.accept(r)));
        assertTrue(expected.size() >= 6, "the simulated 16 s hold " + expected.size() + " epochs");
        int expectedBeforeCut = 0;
        {
            OfflineEpocher firstHalf = new OfflineEpocher(cfg, () -> 7L);
            for (Object r : records.subList(0, half)) {
                expectedBeforeCut += firstHalf.accept(r).size();
            }
        }

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Epoch> got = new ArrayList<>();
        try (KafkaConsumer<String, Epoch> consumer = new KafkaConsumer<>(cp, Serdes.String().deserializer(),
                ContractSerdes.epoch().deserializer())) {
            consumer.subscribe(List.of(Topics.EPOCHS));
            produce(records.subList(0, half));
            try (KafkaStreams first = startProcessor(cfg, appId, dir.resolve("state-1"))) {
                readEpochs(consumer, session, got, expectedBeforeCut, Duration.ofSeconds(60));
                first.close(Duration.ofSeconds(20));
            }
            assertEquals(expectedBeforeCut, got.size(), "epochs before the restart");
            produce(records.subList(half, records.size()));
            // a new instance on an empty state directory: all state comes back from the changelog topics
            try (KafkaStreams second = startProcessor(cfg, appId, dir.resolve("state-2"))) {
                readEpochs(consumer, session, got, expected.size(), Duration.ofSeconds(60));
                // give a duplicate, if any, the chance to show up
                readEpochs(consumer, session, got, expected.size() + 1, Duration.ofSeconds(2));
                second.close(Duration.ofSeconds(20));
            }
        }
        Map<String, Epoch> byId = new HashMap<>();
        for (Epoch e : got) {
            assertTrue(byId.put(e.epochId(), e) == null, "duplicate epoch " + e.epochId());
        }
        assertEquals(expected.size(), got.size());
        for (Epoch want : expected) {
            Epoch live = byId.get(want.epochId());
            assertTrue(live != null, "missing " + want.epochId());
            assertEquals(TriggerKind.MARKER, live.trigger().kind());
            assertEquals(want.data().length, live.data().length);
            assertTrue(io.mindstream.processor.offline.EpochComparison.sameIgnoringTrace(want, live),
                    "live " + live + " differs from offline " + want);
        }

        // a malformed record on the epochs topic is reported and skipped, as the live stages skip it
        Properties bad = new Properties();
        bad.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(bad, Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer())) {
            p.send(new ProducerRecord<>(Topics.EPOCHS, session.getBytes(), new byte[]{'M', 'S', 'E', '1', 0})).get();
        }

        // the offline recomputation over the recorded topics (what ./mindstream epochs --offline runs): the same
        // epochs as live, and the export
        List<Epoch> recomputed = new ArrayList<>();
        RawTopicReader reader = new RawTopicReader(broker.bootstrapServers(), java.util.Set.of(session));
        try (OfflineEpocher ep = new OfflineEpocher(cfg.withCalibrationEpochs(4), TraceStamps::nowMicros)) {
            reader.replay(r -> recomputed.addAll(ep.accept(r)), msg -> { });
            recomputed.addAll(ep.flush());
        }
        List<String> problems = new ArrayList<>();
        EpochComparison.Result cmp = EpochComparison.withLiveTopic(broker.bootstrapServers(), recomputed,
                problems::add);
        assertEquals(1, cmp.undecodable(), problems.toString());
        // every live epoch recomputed identically; the offline run also flushes, at the end of the recording, the
        // marker whose data the live run is still waiting for (GAP|LATE), which is not on the live topic
        assertEquals(expected.size(), cmp.identical(), problems.toString());
        assertEquals(List.of(), cmp.different());
        assertEquals(1, cmp.missing());
        List<Epoch> meg = recomputed.stream().filter(e -> e.streamKind() == StreamKind.MEG
                && e.trigger().kind() == TriggerKind.MARKER).toList();
        assertEquals(expected.size() + 1, meg.size());
        Path export = dir.resolve("export");
        EpochExport.write(export, meg);
        assertTrue(java.nio.file.Files.size(export.resolve("X.npy")) > (long) (expected.size() + 1) * 272 * 181 * 4);
        assertTrue(java.nio.file.Files.readString(export.resolve("epochs.json"))
                .contains("\"count\" : " + (expected.size() + 1)));
    }
}
