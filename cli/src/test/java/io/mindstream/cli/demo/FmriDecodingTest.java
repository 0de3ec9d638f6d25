package io.mindstream.cli.demo;

import io.mindstream.cli.RawRecords;
import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.DecoderService;
import io.mindstream.decoder.EpochDecoder;
import io.mindstream.decoder.KafkaEpochReader;
import io.mindstream.decoder.metrics.OfflineEvaluation;
import io.mindstream.decoder.metrics.RetrievalSummary;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.retrieval.CosineIndex;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.runtime.kafka.TopicReader;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fMRI decoded live equals fMRI decoded offline. A simulated subject's fMRI session (whole volumes and markers, as
 * ingest publishes them) goes to a real broker; the stream processor (Kafka Streams) cuts stimulus epochs and per-TR
 * windows, and the decoder service decodes them with a ridge fitted on the subject's training trials. Offline, the
 * same records go through the processor's offline core and the same decoder. Same epochs, same ids, embeddings
 * within float tolerance, same top-k, same running accuracy. And on a larger subject the decoder is far above chance
 * (a fixed-seed property, MindEye's protocol: among all test images, there being fewer than 300).
 */
class FmriDecodingTest {

    @TempDir
    Path dir;

    @Test
    void fmriDecodedLiveOnABrokerEqualsOffline() throws Exception {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(5).toBuilder().fmriVoxels(512)
                .build());
        ProcessorConfig processing = ProcessorConfig.defaults();
        Path bankDir = dir.resolve("bank");
        SimulatedRecording.writeBank(subject, bankDir, false);
        Path modelFile = dir.resolve("fmri.ridge");
        SimulatedFmriRidge.fit(subject, processing, modelFile, 0);

        String session = "fmri-live";
        List<Object> records = new ArrayList<>();
        SimulatedRecording recording = new SimulatedRecording(subject, session, 1);
        recording.replayFmri(records::add, Double.POSITIVE_INFINITY);
        // the simulator's outlet closes at the end of the session and ingest marks where the volumes end: the last
        // stimuli, whose haemodynamic window runs past the end, are settled with the volumes there are
        records.add(SampleChunk.end(session, recording.fmriStream(), StreamKind.FMRI, ChannelFormat.FLOAT32,
                subject.fmriVoxels(), 1 / subject.fmriTr(), subject.fmriVolumeCount(), TraceStamps.empty()));
        List<Epoch> offline = OfflineEpocher.epochs(processing, records);
        long stimuli = offline.stream().filter(e -> e.trigger().kind() == TriggerKind.FMRI_STIMULUS).count();
        long windows = offline.stream().filter(e -> e.trigger().kind() == TriggerKind.FMRI_TR).count();
        assertTrue(stimuli > 100 && windows > 100, stimuli + " stimulus epochs, " + windows + " TR windows");

        DecoderConfig decoding = DecoderConfig.defaults(modelFile, bankDir).withCandidates("test")
                .withSession(session, "fmri-decoder-test", true)
                .withStreams(Set.of(StreamKind.FMRI), List.of(Topics.EPOCHS, Topics.WINDOWS))
                .withLsl(null);
        Map<String, DecodeResult> live = new HashMap<>();
        List<Epoch> liveEpochs = new ArrayList<>();
        RetrievalSummary liveAccuracy;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")))) {
            kafka.createTopics(Topics.defaults());
            String bootstrap = kafka.bootstrapServers();
            try (DecoderService decoder = new DecoderService(decoding, bootstrap).start();
                 ProcessorService processor = new ProcessorService(bootstrap, processing,
                         ProcessorService.Settings.defaults().withApplicationId("fmri-processor-test")
                                 .withStateDir(dir.resolve("processor-state")), c -> { }).start()) {
                RawRecords.produce(bootstrap, records);
                // waits while there is progress: a slow machine is not a failure, a pipeline that stops is
                long lastProgress = System.currentTimeMillis();
                long seen = -1;
                while (decoder.stats().decoded.sum() < offline.size()
                        && System.currentTimeMillis() - lastProgress < 60_000) {
                    long now = decoder.stats().decoded.sum() + processor.stats().epochsOut.sum()
                            + processor.stats().windowsOut.sum() + processor.stats().chunksIn.sum();
                    if (now != seen) {
                        seen = now;
                        lastProgress = System.currentTimeMillis();
                    }
                    Thread.sleep(200);
                }
                assertEquals(offline.size(), decoder.stats().decoded.sum(), () -> "every epoch and window decoded "
                        + "live; nothing moved for 60 s. Processor: " + processor.stats().counters() + ", "
                        + processor.health() + "; decoder consumed " + decoder.stats().consumed.sum() + ", skipped "
                        + decoder.stats().skipped.sum() + ", already delivered "
                        + decoder.stats().alreadyDelivered.sum() + ", rejected " + decoder.stats().rejected.sum());
                assertEquals(0, decoder.stats().rejected.sum());
                liveAccuracy = decoder.tracker().snapshot(session).cumulative();
            }
            var results = ContractSerdes.decodeResult().deserializer();
            new TopicReader(bootstrap, "fmri-test-results").readAll(List.of(Topics.RESULTS), null,
                    r -> {
                        DecodeResult d = results.deserialize(Topics.RESULTS, r.value());
                        live.put(d.epochId(), d);
                    });
            liveEpochs.addAll(KafkaEpochReader.readSession(bootstrap, Topics.EPOCHS, session));
            liveEpochs.addAll(KafkaEpochReader.readSession(bootstrap, Topics.WINDOWS, session));
        }

        // the live processor cut exactly the offline epochs (ids and data; trace stamps differ)
        Map<String, Epoch> byId = new HashMap<>();
        offline.forEach(e -> byId.put(e.epochId(), e));
        assertEquals(new TreeSet<>(byId.keySet()), new TreeSet<>(liveEpochs.stream().map(Epoch::epochId).toList()));
        for (Epoch e : liveEpochs) {
            assertArrayEquals(byId.get(e.epochId()).data(), e.data(), 0f, e.epochId());
            assertEquals(byId.get(e.epochId()).qualityFlags(), e.qualityFlags(), e.epochId());
        }

        // decoded offline with the same model file and candidates: the same results
        EmbeddingBank bank = EmbeddingBank.read(bankDir);
        CosineIndex index = new CosineIndex(bank.ids(), bank.vectors(), bank.dim());
        int[] candidates = index.rows(bank.candidateIds("test"));
        assertEquals(new TreeSet<>(byId.keySet()), new TreeSet<>(live.keySet()), "one result per epoch id");
        try (EmbeddingModel model = Models.load(modelFile, EngineOptions.cpu());
             EpochDecoder offlineDecoder = new EpochDecoder(model, index, candidates, 5, null, 16, 1000)) {
            for (Epoch e : offline) {
                DecodeResult want = offlineDecoder.decode(e).get();
                DecodeResult got = live.get(e.epochId());
                assertEquals(want.modelId(), got.modelId());
                assertEquals(want.trigger(), got.trigger());
                float[] a = want.embedding();
                float[] b = got.embedding();
                assertEquals(a.length, b.length);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-5f + 1e-5f * Math.abs(a[i]), e.epochId() + " embedding[" + i + "]");
                }
                assertEquals(want.topK().stream().map(m -> m.imageId()).toList(),
                        got.topK().stream().map(m -> m.imageId()).toList(), e.epochId() + " top-k");
            }
            // the live running accuracy is the offline single-trial accuracy of the same stimulus epochs
            List<Epoch> stimulusEpochs = offline.stream()
                    .filter(e -> e.trigger().kind() == TriggerKind.FMRI_STIMULUS).toList();
            RetrievalSummary offlineAccuracy = OfflineEvaluation.runEpochs(model, stimulusEpochs, index, candidates,
                    32).singleTrial();
            assertTrue(offlineAccuracy.count() > 50, offlineAccuracy.toString());
            assertEquals(offlineAccuracy.count(), liveAccuracy.count());
            assertEquals(offlineAccuracy.top1(), liveAccuracy.top1(), 1e-12);
            assertEquals(offlineAccuracy.top5(), liveAccuracy.top5(), 1e-12);
        }
    }

    @Test
    void theRidgeDecodesTheSimulatedSubjectsFmriFarAboveChance() throws Exception {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(1).toBuilder().concepts(50)
                .exemplarsPerConcept(6).trainRepeats(1).testImages(25).testRepeats(4).fmriVoxels(512).build());
        ProcessorConfig processing = ProcessorConfig.defaults();
        Path modelFile = dir.resolve("fmri.ridge");
        SimulatedFmriRidge.fit(subject, processing, modelFile, 0);
        EmbeddingBank bank = subject.bank();
        CosineIndex index = new CosineIndex(bank.ids(), bank.vectors(), bank.dim());
        int[] candidates = index.rows(subject.testImageIds());
        List<Epoch> test = SimulatedFmriRidge.stimulusEpochs(subject, "fmri-test", processing).stream()
                .filter(e -> e.trigger().label() != null && e.trigger().label().contains("split=test")).toList();
        try (EmbeddingModel model = Models.load(modelFile, EngineOptions.cpu())) {
            OfflineEvaluation.Result r = OfflineEvaluation.runEpochs(model, test, index, candidates, 64);
            RetrievalSummary single = r.singleTrial();
            RetrievalSummary averaged = r.averaged();
            System.out.println("fMRI ridge, 25 test images: single trial " + single + "; averaged " + averaged);
            assertEquals(25, r.candidates());
            assertTrue(single.count() >= 90, single.toString());
            assertTrue(single.top5() > 2 * single.chanceTop5(), "single-trial top-5 far above chance: " + single);
            assertTrue(single.top1() > 3 * single.chanceTop1(), "single-trial top-1 far above chance: " + single);
            assertTrue(averaged.top5() > 2 * averaged.chanceTop5(), "averaged top-5 far above chance: " + averaged);
            assertTrue(averaged.top1() > single.top1(), "averaging the repeats helps: " + averaged + " vs " + single);
        }
    }
}
