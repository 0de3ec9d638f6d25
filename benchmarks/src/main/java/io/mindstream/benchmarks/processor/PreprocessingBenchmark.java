package io.mindstream.benchmarks.processor;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.epoch.ContinuousStream;
import io.mindstream.processor.epoch.EpochJournal;
import io.mindstream.processor.epoch.EpochRule;
import io.mindstream.processor.epoch.ProcessorStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stream processor's MEG preprocessing on 272 channels at 1200 Hz, single thread:
 * <ul>
 *   <li>{@code epoch}: one marker-locked epoch from scratch: 1.5 s of 10 ms chunks (1812 samples) through the
 *       causal filter chain (band-pass, 9 notches, anti-alias: 17 sections), then cut at 120 Hz (272 × 181),
 *       baseline, robust scaling with frozen statistics, clamp and quality checks;</li>
 *   <li>{@code window}: steady state with sliding windows on: 50 ms of data (5 chunks) filtered and one 250 ms
 *       window (272 × 30) cut, scaled and clamped;</li>
 *   <li>{@code chunk}: one 10 ms chunk (12 × 272) filtered into the ring: ops/s × 3264 = channel-samples/s/core.</li>
 * </ul>
 * The same data and steps run in MNE-Python by {@code benchmarks/src/main/python/mne_reference.py}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PreprocessingBenchmark {

    static final int C = 272;
    static final double FS = 1200;
    static final int CHUNK = 12;

    /** The benchmark signal, the same formula as the MNE script: exact in float64, rounded to float32. */
    static float value(long s, int c) {
        double t = s / FS;
        return (float) (100 * Math.sin(2 * Math.PI * (7 + c % 13) * t + c) + 50 * Math.sin(2 * Math.PI * 60 * t)
                + 20 * ((s * 7919 + c * 104729L) % 1000) / 1000.0);
    }

    static byte[] values(long first) {
        ByteBuffer b = ByteBuffer.allocate(CHUNK * C * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < CHUNK; i++) {
            for (int c = 0; c < C; c++) {
                b.putFloat(value(first + i, c));
            }
        }
        return b.array();
    }

    static SampleChunk chunk(long seq, byte[] values) {
        double[] ts = new double[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            ts[i] = (seq + i) / FS;
        }
        return new SampleChunk("bench", "meg", StreamKind.MEG, io.mindstream.contracts.ChannelFormat.FLOAT32, C, 0, C,
                FS, seq, 0, ts, values, TraceStamps.empty());
    }

    /** The frozen calibration, the epoch rule and the data, shared read-only by the three benchmarks. */
    @State(Scope.Benchmark)
    public static class Data {
        ProcessorConfig config;
        List<SampleChunk> epochChunks;
        Marker marker;
        byte[][] steady;

        @Setup(Level.Trial)
        public void setup() {
            float[] one = new float[C];
            Arrays.fill(one, 100f);
            Calibration frozen = Calibration.of(StreamKind.MEG, Calibration.ROBUST, new float[C], one, "benchmark");
            config = ProcessorConfig.defaults().withEpochRules(List.of(EpochRule.onsetDefault()))
                    .withCalibration(frozen);
            epochChunks = new ArrayList<>();
            for (long s = 0; s < 1812; s += CHUNK) {
                epochChunks.add(chunk(s, values(s)));
            }
            marker = new Marker("bench", "stim", 1, 600 / FS, "onset image=x trial=1 split=train", null, "x",
                    TraceStamps.empty());
            steady = new byte[100][];
            for (int i = 0; i < steady.length; i++) {
                steady[i] = values((long) i * CHUNK);
            }
        }
    }

    static ContinuousStream newStream(ProcessorConfig cfg) {
        return new ContinuousStream(cfg, "bench", "meg", StreamKind.MEG, C, FS, EpochJournal.NONE,
                new ProcessorStats(), () -> 0L);
    }

    /**
     * A fresh stream per invocation, for {@code epoch} only. Its own state class on purpose: a per-invocation set-up
     * in a state the other benchmarks share would run before their every call too, and its megabytes of fresh
     * arrays would flush the caches they are measured on.
     */
    @State(Scope.Thread)
    public static class Fresh {
        ContinuousStream stream;

        @Setup(Level.Invocation)
        public void freshStream(Data d) {
            stream = newStream(d.config);
        }
    }

    /** One long-lived stream fed chunk after chunk: the steady state of a running session. */
    @State(Scope.Thread)
    public static class Running {
        ContinuousStream stream;
        ContinuousStream windowed;
        long seq;
        long windowSeq;

        @Setup(Level.Trial)
        public void setup(Data d) {
            stream = newStream(d.config);
            windowed = newStream(d.config.withWindows(true, 0.25, 0.05));
        }
    }

    @Benchmark
    public void epoch(Data d, Fresh f, Blackhole bh) {
        f.stream.onMarker(d.marker, EpochRule.onsetDefault(), bh::consume);
        for (SampleChunk c : d.epochChunks) {
            f.stream.onChunk(c, bh::consume);
        }
    }

    @Benchmark
    public void window(Data d, Running r, Blackhole bh) {
        for (int k = 0; k < 5; k++) {
            r.windowed.onChunk(chunk(r.windowSeq, d.steady[(int) ((r.windowSeq / CHUNK) % d.steady.length)]),
                    bh::consume);
            r.windowSeq += CHUNK;
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.SECONDS)
    @BenchmarkMode(Mode.Throughput)
    public void chunk(Data d, Running r, Blackhole bh) {
        r.stream.onChunk(chunk(r.seq, d.steady[(int) ((r.seq / CHUNK) % d.steady.length)]), bh::consume);
        r.seq += CHUNK;
    }

}
