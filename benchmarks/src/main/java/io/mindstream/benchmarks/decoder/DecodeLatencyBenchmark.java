package io.mindstream.benchmarks.decoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.EpochDecoder;
import io.mindstream.decoder.engine.Accelerator;
import io.mindstream.decoder.engine.ComputeDevice;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.model.OnnxEmbeddingModel;
import io.mindstream.decoder.retrieval.CosineIndex;
import io.mindstream.decoder.ridge.RidgeModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Decode latency per engine: epochs (272 × 181) through {@link EpochDecoder} — micro-batcher, model, cosine top-5
 * among 200 candidates — for a batch of 1 (one epoch, waited for) and of 8 (eight submitted together, all waited
 * for). Sample-time mode, so JMH reports p50/p99. Engines: the demo brain module on ONNX Runtime (CPU; {@code
 * onnx-gpu} and {@code onnx-tensorrt} need the gpu build and a GPU) and the ridge decoder (49,232 × 768 weights).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DecodeLatencyBenchmark {

    @Param({"onnx-cpu", "ridge"})
    public String engine;

    @Param({"1", "8"})
    public int batch;

    EmbeddingModel model;
    EpochDecoder decoder;
    List<Epoch> epochs;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        int c = 272, t = 181;
        model = switch (engine) {
            case "onnx-cpu" -> OnnxEmbeddingModel.load(Models.demoModel(), EngineOptions.cpu());
            case "onnx-gpu" -> OnnxEmbeddingModel.load(Models.demoModel(),
                    new EngineOptions(ComputeDevice.GPU, Accelerator.NONE, 0, false, 0, 8, 1000));
            case "onnx-tensorrt" -> OnnxEmbeddingModel.load(Models.demoModel(),
                    new EngineOptions(ComputeDevice.GPU, Accelerator.TENSORRT, 0, false, 0, 8, 1000));
            case "ridge" -> randomRidge(c, t, 768, r);
            default -> throw new IllegalArgumentException("engine " + engine);
        };
        int dim = model.signature().outDim();
        List<String> ids = new ArrayList<>();
        float[] bank = new float[200 * dim];
        for (int i = 0; i < 200; i++) {
            ids.add("img" + i);
        }
        for (int i = 0; i < bank.length; i++) {
            bank[i] = (float) r.nextGaussian();
        }
        decoder = new EpochDecoder(model, new CosineIndex(ids, bank, dim), null, 5, null, 8, 1000);
        epochs = new ArrayList<>();
        for (int k = 0; k < batch; k++) {
            float[] data = new float[c * t];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) r.nextGaussian();
            }
            epochs.add(new Epoch("bench", "bench/" + k, "meg", StreamKind.MEG,
                    new Trigger(TriggerKind.MARKER, k, k, "onset image=img" + k, null, "img" + k), 0, 1.5, 120, c, t,
                    data, "bench", 0, TraceStamps.empty()));
        }
    }

    static RidgeModel randomRidge(int c, int t, int dim, SplittableRandom r) {
        int p = c * t;
        ObjectNode h = new ObjectMapper().createObjectNode();
        h.put("format", RidgeModel.FORMAT).put("version", 1).put("channels", c).put("times", t).put("timeBin", 1)
                .put("outDim", dim).put("preprocessingId", "bench");
        float[] w = new float[p * dim];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() - 0.5) * 1e-3f;
        }
        return new RidgeModel("bench.ridge", h, new float[p], new float[dim], w);
    }

    @Benchmark
    public int decode() throws Exception {
        List<CompletableFuture<DecodeResult>> out = decoder.decodeAll(epochs);
        int n = 0;
        for (CompletableFuture<DecodeResult> f : out) {
            n += f.get().topK().size();
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoder.close();
        model.close();
    }
}
