package io.mindstream.benchmarks.display;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.display.DisplayConfig;
import io.mindstream.display.DisplayHub;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The display stage's hot path, without a page (the pages' sockets are Netty's; DisplayLatency times them with a
 * real browser): {@code result} hands one decoded epoch to the hub — duplicate check, scoring against the rolling
 * accuracy, the frame encoded once for every page, the snapshot kept — and {@code chunk} one 10 ms MEG chunk
 * (12 × 272) to the butterfly plot's downsampler. Run with {@code -prof gc} for the bytes each allocates.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class DisplayHubBenchmark {

    // twice the hub's duplicate memory (the last 8,192 ids): an id comes round again only after it was forgotten, so
    // every operation is a new result, not the duplicate check's early return
    private static final int RESULTS = 16_384;

    DisplayHub hub;
    List<DecodeResult> results;
    int next;
    SampleChunk[] chunks;
    int nextChunk;

    @Setup(Level.Trial)
    public void setup() {
        hub = new DisplayHub(DisplayConfig.defaults(), null);
        results = new ArrayList<>(RESULTS);
        for (int n = 0; n < RESULTS; n++) {
            List<Match> top = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                top.add(new Match("img_" + ((n + k) % 100), 0.9f - 0.1f * k));
            }
            String truth = "img_" + (n % 100);
            results.add(new DecodeResult("bench", "bench/meg/marker/" + n,
                    new Trigger(TriggerKind.MARKER, n, n, "onset image=" + truth + " trial=" + n, null, truth),
                    new float[768], top, "bench", 0, TraceStamps.empty().withNow(Stage.DECODED)));
        }
        int channels = 272;
        int samples = 12;
        chunks = new SampleChunk[100];
        for (int i = 0; i < chunks.length; i++) {
            float[] values = new float[samples * channels];
            double[] ts = new double[samples];
            for (int s = 0; s < samples; s++) {
                ts[s] = (i * samples + s) / 1200.0;
                for (int c = 0; c < channels; c++) {
                    values[s * channels + c] = (float) (1e-12 * Math.sin(0.05 * (i * samples + s) + c));
                }
            }
            chunks[i] = SampleChunk.ofFloats("bench", "bench-meg", StreamKind.MEG, channels, 1200.0,
                    (long) i * samples, ts, values, TraceStamps.empty());
        }
    }

    @Benchmark
    public void result() {
        hub.publishResult(results.get(next));
        next = (next + 1) % RESULTS;
    }

    @Benchmark
    public void chunk() {
        hub.acceptChunk(chunks[nextChunk]);
        nextChunk = (nextChunk + 1) % chunks.length;
    }
}
