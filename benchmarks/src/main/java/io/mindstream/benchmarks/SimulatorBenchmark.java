package io.mindstream.benchmarks;

import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Simulated-subject MEG generation speed: one {@code generateMeg} call of {@code chunk} samples × 272 channels,
 * continuing sequentially (the way {@code ./mindstream simulate} calls it). Samples/s = chunk / (time per op).
 * Real time needs 1,200 samples/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class SimulatorBenchmark {

    @Param({"12", "120"})
    int chunk;

    @Param({"true", "false"})
    boolean sensorNoise;

    private SimulatedSubject subject;
    private float[] buffer;
    private long next;

    @Setup
    public void setUp() {
        SimulationConfig cfg = SimulationConfig.defaults(1).toBuilder().fmriVoxels(10)
                .sensorNoise(sensorNoise ? 60 : 0).build();
        subject = new SimulatedSubject(cfg);
        buffer = new float[chunk * subject.channelCount()];
        next = 0;
    }

    @Benchmark
    public float[] generateMegChunk() {
        subject.generateMeg(next, chunk, buffer);
        next += chunk;
        return buffer;
    }
}
