package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.OnnxEmbeddingModel;
import io.mindstream.decoder.retrieval.CosineIndex;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX brain module behind the decoder, with the bad inputs the issue names. */
class EpochDecoderTest {

    static final java.nio.file.Path MODEL = java.nio.file.Path.of("src/main/resources/models/brain-module-demo.onnx");

    static CosineIndex bank(int n, int dim) {
        Random r = new Random(5);
        List<String> ids = new ArrayList<>();
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            ids.add("img" + i);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new CosineIndex(ids, v, dim);
    }

    static Epoch epoch(String session, int k, int channels, int times, float fill) {
        float[] data = new float[channels * times];
        Random r = new Random(k);
        for (int i = 0; i < data.length; i++) {
            data[i] = fill + (float) r.nextGaussian();
        }
        Trigger t = new Trigger(TriggerKind.MARKER, k, k, "onset image=img" + k + " trial=" + k, null, "img" + k);
        return new Epoch(session, session + "/" + k, "meg", StreamKind.MEG, t, 0, 1.5, 120, channels, times, data, "p",
                0, TraceStamps.empty());
    }

    @Test
    void aBankOfTheWrongDimensionIsRefusedAtStartUp() throws Exception {
        try (OnnxEmbeddingModel m = OnnxEmbeddingModel.load(MODEL, EngineOptions.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EpochDecoder(m, bank(10, m.signature().outDim() + 1), null, 5, null, 8, 1000));
            assertTrue(e.getMessage().contains("outputs " + m.signature().outDim()), e.getMessage());
        }
    }

    @Test
    void badEpochsFailAloneWhileTheOthersDecodeInOrder() throws Exception {
        try (OnnxEmbeddingModel m = OnnxEmbeddingModel.load(MODEL, EngineOptions.cpu())) {
            int c = m.signature().channels(), t = m.signature().times();
            RetrievalTracker tracker = new RetrievalTracker(10);
            try (EpochDecoder d = new EpochDecoder(m, bank(20, m.signature().outDim()), null, 5, tracker, 4, 1000)) {
                Epoch nan = epoch("s1", 1, c, t, 0);
                nan.data()[c * t / 2] = Float.NaN;
                List<Epoch> in = List.of(epoch("s1", 0, c, t, 0), nan, epoch("s2", 2, c, t - 1, 0), epoch("s2", 3, c, t, 1));
                List<CompletableFuture<DecodeResult>> out = d.decodeAll(in);
                assertEquals("s1/0", out.get(0).get(30, TimeUnit.SECONDS).epochId());
                ExecutionException e1 = assertThrows(ExecutionException.class, () -> out.get(1).get(30, TimeUnit.SECONDS));
                assertInstanceOf(EpochRejectedException.class, e1.getCause());
                assertTrue(e1.getCause().getMessage().contains("s1/1") && e1.getCause().getMessage().contains("non-finite"),
                        e1.getCause().getMessage());
                ExecutionException e2 = assertThrows(ExecutionException.class, () -> out.get(2).get(30, TimeUnit.SECONDS));
                assertTrue(e2.getCause().getMessage().contains(c + " × " + (t - 1)) && e2.getCause().getMessage()
                        .contains("takes " + c + " × " + t), e2.getCause().getMessage());
                DecodeResult last = out.get(3).get(30, TimeUnit.SECONDS);
                assertEquals(5, last.topK().size());
                assertEquals(m.signature().outDim(), last.embedding().length);
                assertEquals(1, tracker.snapshot("s1").cumulative().count());
                assertEquals(1, tracker.snapshot("s2").cumulative().count());
            }
        }
    }

    @Test
    void decodingNowGivesTheMicroBatchedResultAndRejectsWhatItRejects() throws Exception {
        try (OnnxEmbeddingModel m = OnnxEmbeddingModel.load(MODEL, EngineOptions.cpu())) {
            int c = m.signature().channels(), t = m.signature().times();
            try (EpochDecoder d = new EpochDecoder(m, bank(20, m.signature().outDim()), null, 5, null, 4, 1000)) {
                for (int k = 0; k < 3; k++) {
                    Epoch e = epoch("s1", k, c, t, 0);
                    DecodeResult batched = d.decode(e).get(30, TimeUnit.SECONDS);
                    DecodeResult now = d.decodeNow(e);
                    assertEquals(batched.epochId(), now.epochId());
                    assertEquals(batched.topK().stream().map(x -> x.imageId()).toList(),
                            now.topK().stream().map(x -> x.imageId()).toList());
                    for (int i = 0; i < now.embedding().length; i++) {
                        // a batch of one either way; ONNX Runtime may still differ in the last bits across calls
                        assertEquals(batched.embedding()[i], now.embedding()[i],
                                1e-5f + 1e-5f * Math.abs(batched.embedding()[i]), e.epochId() + " [" + i + "]");
                    }
                }
                Epoch nan = epoch("s1", 9, c, t, 0);
                nan.data()[5] = Float.POSITIVE_INFINITY;
                EpochRejectedException e = assertThrows(EpochRejectedException.class, () -> d.decodeNow(nan));
                assertTrue(e.getMessage().contains("s1/9") && e.getMessage().contains("non-finite"), e.getMessage());
                EpochRejectedException shape = assertThrows(EpochRejectedException.class,
                        () -> d.decodeNow(epoch("s2", 1, c - 1, t, 0)));
                assertTrue(shape.getMessage().contains("takes " + c + " × " + t), shape.getMessage());
            }
        }
    }
}
