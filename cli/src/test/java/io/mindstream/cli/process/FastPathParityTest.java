package io.mindstream.cli.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.cli.PipelineOutput;
import io.mindstream.cli.RawRecords;
import io.mindstream.cli.demo.SimulatedFmriRidge;
import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.DecoderService;
import io.mindstream.decoder.model.Models;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.processor.decode.InlineDecoder;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path ({@code process --decode}) decodes exactly what the standalone stages decode. The same simulated
 * sessions (a MEG session: 272 channels at 1,200 Hz in 10 ms chunks with its markers; an fMRI session: whole volumes
 * and markers; as ingest publishes them) go once through the processor and standalone decoders (epochs cross Kafka,
 * then the micro-batching decode loop), and once through the processor with the decoders in its task, each on a
 * real broker of its own. Same epoch ids, same embeddings within float tolerance, same top-k; every epoch's result
 * exactly once on the results topic (read back); every result once on the fast path's LSL outlets, received by lsl4j
 * inlets; and a standalone decoder reading the fast path's epochs topic decodes none of them again.
 */
class FastPathParityTest {

    /** Session seconds of MEG: ~20 marker epochs, some calibrated, without making the test slow. */
    private static final double MEG_SECONDS = 30;
    /** Session seconds of fMRI: ~130 volumes (TR windows) and ~100 stimulus epochs. */
    private static final double FMRI_SECONDS = 200;
    /** How long the pipeline may take to deliver what it will deliver (a bound on waiting, not a measurement). */
    private static final long DELIVERY_BOUND_MS = 180_000;

    @TempDir
    Path dir;

    @Test
    void theFastPathDecodesExactlyWhatTheStandaloneStagesDecode() throws Exception {
        parity(false);
    }

    /**
     * The same with the fast path under exactly_once_v2: epochs and results are written in the Streams task's
     * transactions, and read back {@code read_committed} (as every reader here does), each result is there once.
     * Slow (a commit every 100 ms holds each output until it): not in the default run.
     */
    @Test
    @Tag("slow")
    void underExactlyOnceTheFastPathCommitsEachEpochWithItsResult() throws Exception {
        parity(true);
    }

    /** The sessions, what the offline epocher cuts from them, and the two decoders (MEG: the demo model; fMRI). */
    private record Fixture(List<Object> records, Map<String, Epoch> expected, List<DecoderConfig> decoders) {
    }

    private Fixture fixture() throws Exception {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(3).toBuilder().fmriVoxels(512)
                .build());
        ProcessorConfig processing = ProcessorConfig.defaults();
        Path bankDir = dir.resolve("bank");
        SimulatedRecording.writeBank(subject, bankDir, false);
        Path fmriModel = dir.resolve("fmri.ridge");
        SimulatedFmriRidge.fit(subject, processing, fmriModel, 200);

        List<Object> records = records(subject);
        List<Epoch> offline = OfflineEpocher.epochs(processing, records);
        Map<String, Epoch> expected = new TreeMap<>();
        offline.forEach(e -> expected.put(e.epochId(), e));
        long meg = offline.stream().filter(e -> e.streamKind() == StreamKind.MEG).count();
        long stimuli = offline.stream().filter(e -> e.trigger().kind() == TriggerKind.FMRI_STIMULUS).count();
        long trWindows = offline.stream().filter(e -> e.trigger().kind() == TriggerKind.FMRI_TR).count();
        assertTrue(meg >= 10 && stimuli >= 50 && trWindows >= 50,
                meg + " MEG epochs, " + stimuli + " fMRI stimulus epochs, " + trWindows + " TR windows");

        List<DecoderConfig> decoders = List.of(
                DecoderConfig.defaults(Path.of(Models.DEMO), bankDir).withCandidates("test")
                        .withSession(null, "parity-meg", true)
                        .withStreams(Set.of(StreamKind.MEG), List.of(Topics.EPOCHS)),
                DecoderConfig.defaults(fmriModel, bankDir).withCandidates("test")
                        .withSession(null, "parity-fmri", true)
                        .withStreams(Set.of(StreamKind.FMRI), List.of(Topics.EPOCHS, Topics.WINDOWS)));
        return new Fixture(records, expected, decoders);
    }

    private void parity(boolean fastPathExactlyOnce) throws Exception {
        Fixture f = fixture();
        List<Object> records = f.records();
        Map<String, Epoch> expected = f.expected();
        List<DecoderConfig> decoders = f.decoders();
        Run standalone = standalone(records, decoders, expected.size());
        Run fast = fastPath(records, decoders, expected.size(), fastPathExactlyOnce);

        for (Run run : List.of(standalone, fast)) {
            // the processor cut exactly the offline epochs, bit for bit (trace stamps aside)
            assertEquals(expected.keySet(), new TreeSet<>(run.epochs.keySet()), run.name + ": epoch ids");
            for (Epoch e : run.epochs.values()) {
                assertArrayEquals(expected.get(e.epochId()).data(), e.data(), 0f, run.name + " " + e.epochId());
                // LATE records arrival order (a marker read after its data), which two runs on a broker need not share
                assertEquals(expected.get(e.epochId()).qualityFlags() & ~QualityFlags.LATE,
                        e.qualityFlags() & ~QualityFlags.LATE, run.name + " " + e.epochId());
            }
            // one result per epoch, exactly once on the topic
            assertEquals(expected.size(), run.results.size(), run.name + ": results on the topic");
            assertEquals(expected.keySet(), new TreeSet<>(run.resultsById().keySet()), run.name + ": result ids");
        }
        // the fast path's epochs say they were decoded (what makes a standalone decoder skip them)
        assertTrue(fast.epochs.values().stream().allMatch(e -> e.trace().has(Stage.DECODED)));
        assertTrue(standalone.epochs.values().stream().noneMatch(e -> e.trace().has(Stage.DECODED)));

        Map<String, DecodeResult> want = standalone.resultsById();
        Map<String, DecodeResult> got = fast.resultsById();
        for (String id : expected.keySet()) {
            DecodeResult a = want.get(id);
            DecodeResult b = got.get(id);
            assertEquals(a.session(), b.session(), id);
            assertEquals(a.modelId(), b.modelId(), id);
            assertEquals(a.trigger(), b.trigger(), id);
            assertEquals(a.qualityFlags() & ~QualityFlags.LATE, b.qualityFlags() & ~QualityFlags.LATE, id);
            assertEquals(a.embedding().length, b.embedding().length, id);
            for (int i = 0; i < a.embedding().length; i++) {
                assertEquals(a.embedding()[i], b.embedding()[i], 1e-5f + 1e-5f * Math.abs(a.embedding()[i]),
                        id + " embedding[" + i + "]");
            }
            assertEquals(a.topK().stream().map(m -> m.imageId()).toList(),
                    b.topK().stream().map(m -> m.imageId()).toList(), id + " top-k");
            for (int k = 0; k < a.topK().size(); k++) {
                assertEquals(a.topK().get(k).score(), b.topK().get(k).score(), 1e-5f, id + " score " + k);
            }
            assertTrue(b.trace().has(Stage.DECODED) && b.trace().has(Stage.EPOCHED), id + " " + b.trace());
        }

        // the closed loop: every result once on the LSL outlets, with the ids and top-k on the topic
        assertEquals(expected.keySet(), new TreeSet<>(fast.lslTop1.keySet()), "the results received over LSL");
        assertEquals(expected.size(), fast.lslReceived, "no result received twice over LSL");
        for (Map.Entry<String, String> e : fast.lslTop1.entrySet()) {
            assertEquals(got.get(e.getKey()).topK().get(0).imageId(), e.getValue(), e.getKey() + " top-1 over LSL");
        }
        // a standalone decoder on the fast path's topics consumed every epoch and decoded none again
        assertEquals(expected.size(), fast.standaloneConsumed, "the standalone decoder saw every epoch");
        assertEquals(0, fast.standaloneDecoded, "the standalone decoder decoded nothing the fast path had decoded");
    }

    /**
     * The fast path's state survives a restart: a processor decoding in its task is stopped half way through the
     * sessions and a new one starts on an empty state directory (its state from the changelogs and the raw topics),
     * with decoders of its own. Every epoch has its result once on the results topic, equal to the epoch decoded
     * offline by the same decoder. Slow (a third broker run): not in the default run.
     */
    @Test
    @Tag("slow")
    void aFastPathRestartedOnAnEmptyStateDirectoryDecodesEveryEpochOnce() throws Exception {
        Fixture f = fixture();
        int half = f.records().size() / 2;
        long decodedBefore;
        Map<String, Epoch> epochs;
        List<DecodeResult> results;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka-r")))) {
            kafka.createTopics(Topics.defaults());
            String bootstrap = kafka.bootstrapServers();
            try (ProcessorService first = processor(bootstrap, "r", withoutLsl(f.decoders()), false)) {
                first.start();
                RawRecords.produce(bootstrap, f.records().subList(0, half));
                await(() -> first.stats().decoded.sum() >= 3, "the first processor: 3 epochs decoded");
                first.close();
                decodedBefore = first.stats().decoded.sum();
            }
            try (ProcessorService second = new ProcessorService(bootstrap, ProcessorConfig.defaults(),
                    new ProcessorService.Settings("parity-processor-r", null, dir.resolve("processor-state-r2"), false,
                            1), c -> { }, withoutLsl(f.decoders()))) {
                second.start();
                RawRecords.produce(bootstrap, f.records().subList(half, f.records().size()));
                await(() -> decodedBefore + second.stats().decoded.sum() >= f.expected().size(),
                        "both processors: " + f.expected().size() + " epochs decoded");
            }
            epochs = epochs(bootstrap);
            results = results(bootstrap);
        }
        assertEquals(f.expected().keySet(), new TreeSet<>(epochs.keySet()), "epoch ids after the restart");
        assertEquals(f.expected().size(), results.size(), "one result per epoch on the topic");
        List<InlineDecoder> offline = withoutLsl(f.decoders());
        try {
            for (DecodeResult got : results) {
                Epoch e = f.expected().get(got.epochId());
                assertArrayEquals(e.data(), epochs.get(got.epochId()).data(), 0f, got.epochId());
                DecodeResult want = offline.stream().filter(d -> d.takes(e)).findFirst().orElseThrow().decode(e);
                assertEquals(want.topK().stream().map(m -> m.imageId()).toList(),
                        got.topK().stream().map(m -> m.imageId()).toList(), got.epochId() + " top-k");
                for (int i = 0; i < want.embedding().length; i++) {
                    assertEquals(want.embedding()[i], got.embedding()[i],
                            1e-5f + 1e-5f * Math.abs(want.embedding()[i]), got.epochId() + " embedding[" + i + "]");
                }
            }
        } finally {
            offline.forEach(InlineDecoder::close);
        }
    }

    private static List<InlineDecoder> withoutLsl(List<DecoderConfig> decoders) throws Exception {
        List<InlineDecoder> out = new ArrayList<>();
        for (DecoderConfig d : decoders) {
            out.add(FastPathDecoder.open(d.withLsl(null)));
        }
        return out;
    }

    /** What one run left: the epochs and results topics, and (fast path) what LSL and the other decoder saw. */
    private record Run(String name, Map<String, Epoch> epochs, List<DecodeResult> results, Map<String, String> lslTop1,
                       int lslReceived, long standaloneConsumed, long standaloneDecoded) {

        Map<String, DecodeResult> resultsById() {
            Map<String, DecodeResult> m = new HashMap<>();
            results.forEach(r -> m.put(r.epochId(), r));
            return m;
        }
    }

    /** Processor → epochs topics → standalone decoders (consumer groups, micro-batches) → results. */
    private Run standalone(List<Object> records, List<DecoderConfig> decoders, int expected) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka-a")))) {
            kafka.createTopics(Topics.defaults());
            String bootstrap = kafka.bootstrapServers();
            List<DecoderService> services = new ArrayList<>();
            try (ProcessorService processor = processor(bootstrap, "a", List.of(), false)) {
                for (DecoderConfig d : decoders) {
                    services.add(new DecoderService(d.withLsl(null), bootstrap).start());
                }
                processor.start();
                RawRecords.produce(bootstrap, records);
                await(() -> services.stream().mapToLong(s -> s.stats().decoded.sum()).sum() >= expected,
                        "standalone decoders: " + expected + " results");
                for (DecoderService s : services) {
                    assertEquals(0, s.stats().rejected.sum());
                }
            } finally {
                services.forEach(DecoderService::close);
            }
            return new Run("standalone", epochs(bootstrap), results(bootstrap), Map.of(), 0, 0, 0);
        }
    }

    /**
     * Processor with the decoders in its task ({@code process --decode}), their results on LSL outlets read by lsl4j
     * inlets, and a standalone decoder of every kind on the same topics that must find nothing left to decode.
     */
    private Run fastPath(List<Object> records, List<DecoderConfig> decoders, int expected, boolean exactlyOnce)
            throws Exception {
        String outlet = "fast-path-test-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka-b")))) {
            kafka.createTopics(Topics.defaults());
            String bootstrap = kafka.bootstrapServers();
            List<InlineDecoder> inline = new ArrayList<>();
            List<StreamInlet> inlets = new ArrayList<>();
            for (DecoderConfig d : decoders) {
                String name = outlet + "-" + d.streamKinds().iterator().next();
                inline.add(FastPathDecoder.open(d.withLsl(new DecoderConfig.Lsl(name,
                        DecoderConfig.Lsl.DEFAULT.format()))));
                List<StreamInfo> found = Resolver.resolveByProperty("name", name, 1, 10);
                assertFalse(found.isEmpty(), "LSL outlet " + name + " not found");
                StreamInlet inlet = new StreamInlet(found.get(0));
                inlet.open(10); // connected before anything is decoded: LSL delivers what is pushed after that
                inlets.add(inlet);
            }
            DecoderConfig everyKind = decoders.get(0).withSession(null, "parity-standalone-after-fast", true)
                    .withStreams(Set.of(), List.of(Topics.EPOCHS, Topics.WINDOWS)).withLsl(null);
            Map<String, String> lslTop1 = new HashMap<>();
            int received = 0;
            long consumed;
            long decodedAgain;
            try (ProcessorService processor = processor(bootstrap, "b", inline, exactlyOnce);
                 DecoderService other = new DecoderService(everyKind, bootstrap).start()) {
                processor.start();
                RawRecords.produce(bootstrap, records);
                await(() -> processor.stats().decoded.sum() >= expected, "fast path: " + expected + " decoded");
                assertEquals(0, processor.stats().decodeRejected.sum());
                ObjectMapper json = new ObjectMapper();
                String[] sample = new String[1];
                for (StreamInlet inlet : inlets) {
                    while (inlet.pullSample(sample, 2.0) != 0) {
                        JsonNode n = json.readTree(sample[0]);
                        lslTop1.put(n.get("epochId").asText(), n.get("top").get(0).get("id").asText());
                        received++;
                    }
                }
                await(() -> other.stats().consumed.sum() >= expected, "the standalone decoder: every epoch consumed");
                consumed = other.stats().consumed.sum();
                decodedAgain = other.stats().decoded.sum();
            } finally {
                inlets.forEach(StreamInlet::close);
            }
            return new Run("fast path", epochs(bootstrap), results(bootstrap), lslTop1, received, consumed,
                    decodedAgain);
        }
    }

    private ProcessorService processor(String bootstrap, String run, List<InlineDecoder> decoders,
                                       boolean exactlyOnce) {
        return new ProcessorService(bootstrap, ProcessorConfig.defaults(),
                new ProcessorService.Settings("parity-processor-" + run, null, dir.resolve("processor-state-" + run),
                        exactlyOnce, 1), c -> { }, decoders);
    }

    /** The MEG session and the fMRI session, each as ingest publishes it, each ending with ingest's end marks. */
    private static List<Object> records(SimulatedSubject subject) {
        List<Object> records = new ArrayList<>();
        SimulatedRecording meg = new SimulatedRecording(subject, "parity-meg", 12);
        meg.replay(records::add, p -> { }, MEG_SECONDS);
        long samples = (long) Math.ceil(MEG_SECONDS * subject.sampleRate());
        records.add(SampleChunk.end("parity-meg", "parity-meg-meg", StreamKind.MEG, ChannelFormat.FLOAT32,
                subject.channelCount(), subject.sampleRate(), samples, TraceStamps.empty()));
        SimulatedRecording fmri = new SimulatedRecording(subject, "parity-fmri", 1);
        fmri.replayFmri(records::add, FMRI_SECONDS);
        long volumes = (long) Math.floor(FMRI_SECONDS / subject.fmriTr()) + 1;
        records.add(SampleChunk.end("parity-fmri", fmri.fmriStream(), StreamKind.FMRI, ChannelFormat.FLOAT32,
                subject.fmriVoxels(), 1 / subject.fmriTr(), volumes, TraceStamps.empty()));
        return records;
    }

    /** Both epoch topics, committed records only; an epoch written twice fails the test. */
    private static Map<String, Epoch> epochs(String bootstrap) {
        var values = ContractSerdes.epoch().deserializer();
        Map<String, Epoch> out = new HashMap<>();
        new TopicReader(KafkaClients.committedReader(bootstrap, "parity-test-epochs"))
                .readAll(List.of(Topics.EPOCHS, Topics.WINDOWS), null, r -> {
                    Epoch e = values.deserialize(r.topic(), r.value());
                    assertNull(out.put(e.epochId(), e), "epoch " + e.epochId() + " written twice");
                });
        return out;
    }

    private static List<DecodeResult> results(String bootstrap) {
        return PipelineOutput.committedResults(bootstrap, "parity-test-results");
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        PipelineOutput.await(done, what, DELIVERY_BOUND_MS);
    }
}
