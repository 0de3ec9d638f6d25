package io.mindstream.benchmarks.ingest;

import io.mindstream.contracts.StreamKind;
import io.mindstream.journal.EntryType;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalEntry;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one journal append (Chronicle Queue, header + payload): a 10 ms chunk of the 272-channel 1200 Hz MEG
 * stream (12 samples × 272 float32 = 13 056 value bytes, ≈13.2 KB encoded) and a marker (≈150 B).
 *
 * <pre>java -Dchronicle.analytics.disable=true &lt;chronicle --add-opens&gt; -jar benchmarks/target/benchmarks.jar \
 *   'ingest.JournalAppend' -f 1 -wi 2 -w 1s -i 3 -r 2s</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalAppendBenchmark {

    @Param({"13200", "150"})
    public int payloadBytes;

    private Path dir;
    private Journal journal;
    private JournalEntry entry;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("journal-bench");
        journal = Journal.open(JournalConfig.defaults(dir));
        byte[] payload = new byte[payloadBytes];
        new Random(1).nextBytes(payload);
        entry = new JournalEntry(EntryType.SAMPLE_CHUNK, StreamKind.MEG, 0, "sub01_20261126", "meg-ctf275", 0, 12,
                1234.5, 0.0, payload);
    }

    @Benchmark
    public long append() {
        return journal.append(entry);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        journal.close();
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
