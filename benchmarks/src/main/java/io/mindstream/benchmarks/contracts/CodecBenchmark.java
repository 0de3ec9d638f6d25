package io.mindstream.benchmarks.contracts;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.EpochCodec;
import io.mindstream.contracts.codec.SampleChunkCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Encode/decode cost of the two big records on the hot path: a 306-channel × 10-sample float32 MEG chunk (10 ms at
 * 1 kHz on a Neuromag-style system, 12 KiB of values) and a 272-channel × 181-time epoch (a CTF-style system,
 * −0.2…0.8 s at 180 Hz after decimation, 192 KiB of data). {@code copyChunkValues} is the floor: one copy of the
 * chunk's value bytes.
 *
 * <pre>java -Dai.djl.offline=true -jar benchmarks/target/benchmarks.jar 'contracts' -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    private final SampleChunkCodec chunkCodec = new SampleChunkCodec();
    private final EpochCodec epochCodec = new EpochCodec();

    private SampleChunk chunk;
    private Epoch epoch;
    private byte[] chunkBytes;
    private byte[] epochBytes;
    private ByteBuffer chunkOut;
    private ByteBuffer epochOut;
    private ByteBuffer epochOutHeap;
    private byte[] valuesCopy;

    @Setup
    public void setUp() {
        Random rnd = new Random(1);
        int channels = 306;
        int samples = 10;
        float[] v = new float[channels * samples];
        double[] ts = new double[samples];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian() * 1e-12f;
        }
        for (int s = 0; s < samples; s++) {
            ts[s] = 1234.5 + s / 1000.0;
        }
        TraceStamps trace = TraceStamps.empty().with(Stage.ACQUIRED, 1_767_225_600_000_000L)
                .with(Stage.INGESTED, 1_767_225_600_000_400L).with(Stage.PRODUCED, 1_767_225_600_000_900L);
        chunk = SampleChunk.ofFloats("sub-01/run-1", "neuromag-306", StreamKind.MEG, channels, 1000.0, 1_234_500, ts,
                v, trace);

        int eChannels = 272;
        int times = 181;
        float[] d = new float[eChannels * times];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        Trigger trigger = new Trigger(TriggerKind.MARKER, 1234.6, 42, "onset image=img-0042 trial=42 split=train",
                null, "img-0042");
        epoch = new Epoch("sub-01/run-1", "sub-01/run-1/ctf-272/marker/42", "ctf-272", StreamKind.MEG, trigger,
                1234.4, 1235.4, 180.0, eChannels, times, d, "bandpass-0.1-40/robust-v1", 0, trace);

        chunkBytes = chunkCodec.encode(chunk);
        epochBytes = epochCodec.encode(epoch);
        chunkOut = ByteBuffer.allocateDirect(chunkBytes.length);
        epochOut = ByteBuffer.allocateDirect(epochBytes.length);
        epochOutHeap = ByteBuffer.allocate(epochBytes.length);
        valuesCopy = new byte[chunk.values().length];
    }

    @Benchmark
    public byte[] encodeChunk() {
        return chunkCodec.encode(chunk);
    }

    @Benchmark
    public ByteBuffer encodeChunkIntoReusedBuffer() {
        chunkOut.clear();
        chunkCodec.encode(chunk, chunkOut);
        return chunkOut;
    }

    @Benchmark
    public SampleChunk decodeChunk() {
        return chunkCodec.decode(chunkBytes);
    }

    @Benchmark
    public byte[] copyChunkValues() {
        System.arraycopy(chunk.values(), 0, valuesCopy, 0, valuesCopy.length);
        return valuesCopy;
    }

    @Benchmark
    public byte[] encodeEpoch() {
        return epochCodec.encode(epoch);
    }

    @Benchmark
    public ByteBuffer encodeEpochIntoReusedBuffer() {
        epochOut.clear();
        epochCodec.encode(epoch, epochOut);
        return epochOut;
    }

    /** Same as above into a heap buffer: separates the cost of the copy path from that of allocating the array. */
    @Benchmark
    public ByteBuffer encodeEpochIntoReusedHeapBuffer() {
        epochOutHeap.clear();
        epochCodec.encode(epoch, epochOutHeap);
        return epochOutHeap;
    }

    @Benchmark
    public Epoch decodeEpoch() {
        return epochCodec.decode(epochBytes);
    }
}
