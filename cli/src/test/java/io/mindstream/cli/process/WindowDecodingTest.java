package io.mindstream.cli.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.cli.PipelineOutput;
import io.mindstream.cli.RawRecords;
import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.DecoderService;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.model.OnnxEmbeddingModel;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.processor.decode.InlineDecoder;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.junit.jupiter.api.BeforeAll;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sliding-window decoding, live, equals an offline run over the same session. One simulated MEG session (272
 * channels at 1,200 Hz in 10 ms chunks, with its markers, as ingest publishes them) goes through the processor with
 * {@code --windows} on a real broker, decoded once by a standalone decoder on {@code epochs} and {@code windows} and
 * once by the fast path ({@code process --decode}) with its LSL outlet read by an lsl4j inlet (the closed-loop
 * client). The offline run cuts the same session with the processor's offline core and decodes every record with the
 * same models on the caller's thread. Both live runs: the same window and epoch ids as offline, each window decoded by
 * the window model and each epoch by the epoch model, embeddings within float tolerance, the same top-k, every result
 * exactly once on the results topic; the closed-loop client receives every result once.
 */
class WindowDecodingTest {

    /** Session seconds: ~390 windows (20 a second) and a dozen marker epochs. */
    private static final double SECONDS = 20;
    /** How long the pipeline may take to deliver what it will deliver (a bound on waiting, not a measurement). */
    private static final long DELIVERY_BOUND_MS = 180_000;

    @TempDir
    static Path dir;

    private static List<Object> records;
    private static ProcessorConfig processing;
    private static DecoderConfig decoder;
    /** The offline run: every record the session yields, decoded on the caller's thread. */
    private static Map<String, DecodeResult> offline;
    private static String windowModelId;
    private static String epochModelId;

    @BeforeAll
    static void offlineRun() throws Exception {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(3));
        ProcessorConfig d = ProcessorConfig.defaults();
        processing = d.withWindows(true, d.windowSeconds(), d.windowStepSeconds());
        Path bankDir = dir.resolve("bank");
        SimulatedRecording.writeBank(subject, bankDir, false);
        decoder = DecoderConfig.defaults(Path.of(Models.DEMO), bankDir).withCandidates("test")
                .withSession(null, "window-decoding", true)
                .withStreams(Set.of(StreamKind.MEG), List.of(Topics.EPOCHS, Topics.WINDOWS))
                .withWindowModel(Path.of(Models.WINDOW_DEMO)).withLsl(null);
        windowModelId = OnnxEmbeddingModel.signatureOf(Models.windowDemoModel()).modelId();
        epochModelId = OnnxEmbeddingModel.signatureOf(Models.demoModel()).modelId();

        records = new ArrayList<>();
        new SimulatedRecording(subject, "win-meg", 12).replay(records::add, p -> { }, SECONDS);
        long samples = (long) Math.ceil(SECONDS * subject.sampleRate());
        records.add(SampleChunk.end("win-meg", "win-meg-meg", StreamKind.MEG, ChannelFormat.FLOAT32,
                subject.channelCount(), subject.sampleRate(), samples, TraceStamps.empty()));

        offline = new TreeMap<>();
        try (InlineDecoder d0 = FastPathDecoder.open(decoder)) {
            for (Epoch e : OfflineEpocher.epochs(processing, records)) {
                assertNull(offline.put(e.epochId(), d0.decode(e)), "offline: " + e.epochId() + " cut twice");
            }
        }
        long windows = offline.values().stream().filter(r -> r.trigger().kind() == TriggerKind.WINDOW).count();
        long epochs = offline.size() - windows;
        assertTrue(windows >= 300 && epochs >= 8, windows + " windows, " + epochs + " marker epochs offline");
    }

    @Test
    void windowsDecodedByAStandaloneDecoderEqualTheOfflineRun() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka-a")))) {
            kafka.createTopics(Topics.defaults());
            String bootstrap = kafka.bootstrapServers();
            try (ProcessorService processor = processor(bootstrap, "a", List.of());
                 DecoderService service = new DecoderService(decoder, bootstrap).start()) {
                processor.start();
                RawRecords.produce(bootstrap, records);
                await(() -> service.stats().decoded.sum() >= offline.size(),
                        "the standalone decoder: " + offline.size() + " results");
                assertEquals(0, service.stats().rejected.sum(), "no window or epoch rejected");
            }
            assertEqualsOffline("standalone", results(bootstrap));
        }
    }

    @Test
    void windowsDecodedInTheProcessorEqualTheOfflineRunAndReachTheClosedLoopClientOnce() throws Exception {
        String name = "window-decoding-test-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka-b")))) {
            kafka.createTopics(Topics.defaults());
            String bootstrap = kafka.bootstrapServers();
            InlineDecoder inline = FastPathDecoder.open(decoder.withLsl(new DecoderConfig.Lsl(name,
                    DecoderConfig.Lsl.DEFAULT.format())));
            List<StreamInfo> found = Resolver.resolveByProperty("name", name, 1, 10);
            assertFalse(found.isEmpty(), "LSL outlet " + name + " not found");
            Map<String, Integer> received = new HashMap<>();
            Map<String, String> top1 = new HashMap<>();
            try (StreamInlet inlet = new StreamInlet(found.get(0));
                 ProcessorService processor = processor(bootstrap, "b", List.of(inline))) {
                inlet.open(10); // connected before anything is decoded: LSL delivers what is pushed after that
                StreamInfo full = inlet.info(10);
                assertEquals(epochModelId, full.desc().childValue("model"), "the outlet names the epoch model");
                assertEquals(windowModelId, full.desc().childValue("window_model"), "and the window model");
                processor.start();
                RawRecords.produce(bootstrap, records);
                await(() -> processor.stats().decoded.sum() >= offline.size(),
                        "fast path: " + offline.size() + " decoded");
                assertEquals(0, processor.stats().decodeRejected.sum(), "no window or epoch rejected");
                ObjectMapper json = new ObjectMapper();
                String[] sample = new String[1];
                while (inlet.pullSample(sample, 2.0) != 0) {
                    JsonNode n = json.readTree(sample[0]);
                    received.merge(n.get("epochId").asText(), 1, Integer::sum);
                    top1.put(n.get("epochId").asText(), n.get("top").get(0).get("id").asText());
                    if (n.get("epochId").asText().contains("/window/")) {
                        assertTrue(n.get("trueImage").isNull(), "a window names no image: " + sample[0]);
                    }
                }
            }
            // the closed-loop client: every window's and epoch's result, each once, with the offline top-1
            assertEquals(offline.keySet(), new TreeSet<>(received.keySet()), "the results received over LSL");
            received.forEach((id, n) -> assertEquals(1, n, id + " received over LSL"));
            top1.forEach((id, t) -> assertEquals(offline.get(id).topK().get(0).imageId(), t, id + " top-1 over LSL"));
            assertEqualsOffline("fast path", results(bootstrap));
        }
    }

    private static void assertEqualsOffline(String run, List<DecodeResult> results) {
        Map<String, DecodeResult> got = new TreeMap<>();
        for (DecodeResult r : results) {
            assertNull(got.put(r.epochId(), r), run + ": " + r.epochId() + " twice on the results topic");
        }
        assertEquals(offline.keySet(), got.keySet(), run + ": result ids");
        for (DecodeResult want : offline.values()) {
            String id = want.epochId();
            DecodeResult b = got.get(id);
            boolean window = want.trigger().kind() == TriggerKind.WINDOW;
            assertEquals(window ? windowModelId : epochModelId, b.modelId(), id + " decoded by its kind's model");
            assertEquals(want.trigger(), b.trigger(), id);
            assertEquals(want.qualityFlags() & ~QualityFlags.LATE, b.qualityFlags() & ~QualityFlags.LATE, id);
            assertEquals(want.embedding().length, b.embedding().length, id);
            for (int i = 0; i < want.embedding().length; i++) {
                assertEquals(want.embedding()[i], b.embedding()[i], 1e-5f + 1e-5f * Math.abs(want.embedding()[i]),
                        run + " " + id + " embedding[" + i + "]");
            }
            assertEquals(want.topK().stream().map(m -> m.imageId()).toList(),
                    b.topK().stream().map(m -> m.imageId()).toList(), run + " " + id + " top-k");
        }
    }

    private static ProcessorService processor(String bootstrap, String run, List<InlineDecoder> decoders) {
        return new ProcessorService(bootstrap, processing,
                new ProcessorService.Settings("window-processor-" + run, null, dir.resolve("processor-state-" + run),
                        false, 1), c -> { }, decoders);
    }

    private static List<DecodeResult> results(String bootstrap) {
        return PipelineOutput.committedResults(bootstrap, "window-test-results");
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        PipelineOutput.await(done, what, DELIVERY_BOUND_MS);
    }
}
