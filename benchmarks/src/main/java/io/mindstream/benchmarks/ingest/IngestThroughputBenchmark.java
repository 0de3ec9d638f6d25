package io.mindstream.benchmarks.ingest;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.chunk.SampleChunker;
import io.mindstream.ingest.journal.JournalingSink;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Ingest's per-stream work on one core, from pulled samples to a durable journal entry: clock checks and sequence
 * numbers, NaN/Inf scan, chunking into 10 ms records, contracts encoding, Chronicle append — for the 272-channel
 * 1200 Hz MEG stream, fed in pulls of 12 samples as an inlet delivers them. The score is samples/s; × 272 gives
 * channel-samples/s per core, ÷ 1200 the number of such subjects one core keeps up with in real time (the LSL
 * inlet's own decoding and the Kafka forwarder run on other threads and are not included).
 *
 * <pre>java &lt;flags&gt; -jar benchmarks/target/benchmarks.jar 'ingest.IngestThroughput' -f 1 -wi 2 -w 2s -i 3 -r 3s</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestThroughputBenchmark {

    static final int CHANNELS = 272;
    static final double RATE = 1200;
    static final int PULL = 12;

    private Path dir;
    private Journal journal;
    private SampleChunker chunker;
    private float[] values;
    private double[] stamps;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("ingest-bench");
        journal = Journal.open(JournalConfig.defaults(dir));
        IngestStats stats = new IngestStats();
        JournalingSink sink = new JournalingSink(journal, stats);
        chunker = new SampleChunker("sub01_20261126", "meg", StreamKind.MEG, ChannelFormat.FLOAT32, CHANNELS, RATE,
                ChunkingConfig.defaults(), new StreamChecker("meg", RATE, CheckConfig.defaults(), stats.stream("meg")),
                stats.stream("meg"), sink, () -> n / RATE + 1000.0);
        values = new float[PULL * CHANNELS];
        Random rnd = new Random(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rnd.nextGaussian() * 1e-12f;
        }
        stamps = new double[PULL];
    }

    /** One pull of 12 samples (10 ms of data): 12 operations. */
    @Benchmark
    @OperationsPerInvocation(PULL)
    public void ingest12Samples() {
        for (int i = 0; i < PULL; i++) {
            stamps[i] = 1000.0 + (n + i) / RATE;
        }
        n += PULL;
        chunker.append(values, stamps, PULL, 0.0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        journal.close();
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
