package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.model.OnnxEmbeddingModel;
import io.mindstream.decoder.retrieval.CosineIndex;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The epoch model and the window model behind one decoder: the record's kind picks the model, each model's results
 * are its own, and a record of the wrong shape for its kind's model gets one clear rejection.
 */
class ModelRouterTest {

    static final Path WINDOW_MODEL = Path.of("src/main/resources/models/window-model-demo.onnx");

    static Epoch window(String session, long n, int channels, int times) {
        float[] data = new float[channels * times];
        Random r = new Random(n);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        Trigger t = new Trigger(TriggerKind.WINDOW, n * 0.05, n, null, null, null);
        return new Epoch(session, session + "/meg/window/" + n, "meg", StreamKind.MEG, t, n * 0.05 - 0.25, n * 0.05,
                120, channels, times, data, "p", 0, TraceStamps.empty());
    }

    @Test
    void windowsGoToTheWindowModelAndEpochsToTheEpochModel() throws Exception {
        try (OnnxEmbeddingModel epochs = OnnxEmbeddingModel.load(EpochDecoderTest.MODEL, EngineOptions.cpu());
             OnnxEmbeddingModel windows = OnnxEmbeddingModel.load(WINDOW_MODEL, EngineOptions.cpu())) {
            int c = windows.signature().channels();
            int t = windows.signature().times();
            assertEquals(epochs.signature().channels(), c, "both models take the same sensors");
            assertTrue(t < epochs.signature().times(), "a window is shorter than an epoch");
            CosineIndex index = EpochDecoderTest.bank(30, epochs.signature().outDim());
            try (ModelRouter router = new ModelRouter(new EpochDecoder(epochs, index, null, 5, null, 4, 1000),
                    new EpochDecoder(windows, index, null, 5, null, 4, 1000))) {
                Epoch w = window("s1", 7, c, t);
                DecodeResult batched = router.decode(w).get(30, TimeUnit.SECONDS);
                DecodeResult now = router.decodeNow(w);
                float[] direct = windows.embed(List.of(w.data()))[0];
                for (DecodeResult r : List.of(batched, now)) {
                    assertEquals(windows.signature().modelId(), r.modelId());
                    assertEquals(w.epochId(), r.epochId());
                    assertEquals(null, r.trigger().imageId(), "a window names no image");
                    assertArrayEquals(direct, r.embedding(), 1e-5f);
                    assertEquals(5, r.topK().size());
                }
                Epoch e = EpochDecoderTest.epoch("s1", 3, c, epochs.signature().times(), 0);
                DecodeResult er = router.decodeNow(e);
                assertEquals(epochs.signature().modelId(), er.modelId());
                assertArrayEquals(epochs.embed(List.of(e.data()))[0], er.embedding(), 1e-5f);

                // a window of another length, and an epoch of a window's length: each rejected by its kind's model
                Epoch shortWindow = window("s1", 8, c, t - 1);
                ExecutionException ex = assertThrows(ExecutionException.class,
                        () -> router.decode(shortWindow).get(30, TimeUnit.SECONDS));
                assertInstanceOf(EpochRejectedException.class, ex.getCause());
                assertTrue(ex.getCause().getMessage().contains(shortWindow.epochId())
                        && ex.getCause().getMessage().contains("takes " + c + " × " + t), ex.getCause().getMessage());
                Epoch shortEpoch = EpochDecoderTest.epoch("s1", 4, c, t, 0);
                EpochRejectedException rej = assertThrows(EpochRejectedException.class,
                        () -> router.decodeNow(shortEpoch));
                assertTrue(rej.getMessage().contains("takes " + c + " × " + epochs.signature().times()),
                        rej.getMessage());
            }
        }
    }

    @Test
    void withoutAWindowModelAWindowIsRejectedByTheEpochModel() throws Exception {
        try (OnnxEmbeddingModel epochs = OnnxEmbeddingModel.load(EpochDecoderTest.MODEL, EngineOptions.cpu());
             EpochDecoder d = new EpochDecoder(epochs, EpochDecoderTest.bank(10, epochs.signature().outDim()), null, 3,
                     null, 4, 1000)) {
            Epoch w = window("s1", 1, epochs.signature().channels(), 30);
            EpochRejectedException rej = assertThrows(EpochRejectedException.class, () -> d.decodeNow(w));
            assertTrue(rej.getMessage().contains(w.epochId()) && rej.getMessage().contains("× 30 but model"),
                    rej.getMessage());
        }
    }
}
