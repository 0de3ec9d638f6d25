package io.mindstream.benchmarks.lsl;

import io.mindstream.lsl4j.LslClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * lsl4j outlet → inlet on loopback, 306 ch float32, 10-sample chunks.
 *
 * <ul>
 *   <li>{@code throughput}: flat out with {@value #WINDOW} chunks in flight (push one chunk, pull the oldest):
 *       samples/s (one operation = one sample). With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes
 *       allocated per sample in steady state (push, TCP send, receive, decode, pull together).</li>
 *   <li>{@code latency}: paced at real time (one chunk every 10 ms = 1 kHz): time from just before the push of a
 *       chunk until its last sample is pulled, sampled per chunk (p50/p99 in the SampleTime output).</li>
 * </ul>
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class LslLoopbackBenchmark {
    static final int WINDOW = 8;

    @State(Scope.Thread)
    public static class Flat {
        LoopbackStream s;

        @Setup(Level.Trial)
        public void open() throws Exception {
            s = new LoopbackStream();
            for (int i = 0; i < WINDOW; i++) s.outlet.pushChunk(s.chunk);
        }

        @TearDown(Level.Trial)
        public void close() {
            s.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(LoopbackStream.CHUNK)
    public double throughput(Flat f) {
        f.s.outlet.pushChunk(f.s.chunk);
        return f.s.pull(LoopbackStream.CHUNK);
    }

    @State(Scope.Thread)
    public static class Paced {
        LoopbackStream s;
        double next;

        @Setup(Level.Trial)
        public void open() throws Exception {
            s = new LoopbackStream();
            next = LslClock.localClock();
        }

        /** Real-time pacing outside the measured region: one 10-sample chunk per 10 ms. */
        @Setup(Level.Invocation)
        public void pace() throws InterruptedException {
            next += LoopbackStream.CHUNK / LoopbackStream.RATE;
            double wait = next - LslClock.localClock();
            if (wait > 0) Thread.sleep((long) (wait * 1000), (int) ((wait * 1e9) % 1_000_000));
            else next = LslClock.localClock();
        }

        @TearDown(Level.Trial)
        public void close() {
            s.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double latency(Paced p) {
        p.s.outlet.pushChunk(p.s.chunk);
        return p.s.pull(LoopbackStream.CHUNK);
    }
}
