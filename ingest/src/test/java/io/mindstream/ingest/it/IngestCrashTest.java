package io.mindstream.ingest.it;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.ingest.testutil.ChildJvm;
import io.mindstream.ingest.testutil.IngestChild;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.Recorded;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.journal.EntryType;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalEntry;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * kill -9 of ingest (a child JVM) mid-stream, then a restart on the same journal: every sample that reached the
 * journal is in Kafka exactly once, and what the outlet sent while ingest was down is reported as one gap of
 * exactly that many samples.
 */
class IngestCrashTest {

    @TempDir
    Path tmp;

    private static final int CHANNELS = 32;
    private static final double RATE = 500;

    @Test
    void killDashNineAndRestartLosesNothingJournaledDuplicatesNothingAndReportsTheOutageAsOneGap() throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        String id = IngestFixture.uniqueId("crash");
        String session = "crash-" + id;
        Path journal = tmp.resolve("journal");
        List<String> args = IngestChild.args(kafka.bootstrapServers(), session, id, journal);
        StreamInfo info = new StreamInfo("Crash-" + id, "EEG", CHANNELS, RATE, ChannelFormat.FLOAT32, id);
        AtomicLong pushed = new AtomicLong();
        try (StreamOutlet outlet = new StreamOutlet(info, 5, 30)) {
            // the outlet: sample n has value n on every channel and stamp t0 + n / rate, pushed in real time
            double t0 = LslClock.localClock();
            Thread pusher = new Thread(() -> {
                float[] chunk = new float[5 * CHANNELS];
                double[] ts = new double[5];
                long n = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    for (int i = 0; i < 5; i++, n++) {
                        java.util.Arrays.fill(chunk, i * CHANNELS, (i + 1) * CHANNELS, n);
                        ts[i] = t0 + n / RATE;
                    }
                    outlet.pushChunk(chunk, ts);
                    pushed.set(n);
                    long due = (long) ((t0 + n / RATE - LslClock.localClock()) * 1000);
                    if (due > 0) {
                        try {
                            Thread.sleep(due);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "test-outlet");
            pusher.setDaemon(true);
            pusher.start();

            Process first = ChildJvm.start(IngestChild.class, args, tmp.resolve("first.out"), tmp.resolve("first.err"));
            try {
                assertTrue(outlet.waitForConsumers(60), "first ingest connected");
                waitForJournal(journal, 500); // a second of data journaled
                Thread.sleep(300);
            } finally {
                first.destroyForcibly(); // SIGKILL
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(137, first.exitValue(), "killed by SIGKILL");
            Thread.sleep(1000); // the outlet keeps sending: these samples are lost to ingest

            Process second = ChildJvm.start(IngestChild.class, args, tmp.resolve("second.out"),
                    tmp.resolve("second.err"));
            try {
                assertTrue(outlet.waitForConsumers(60), "second ingest connected");
                long resumedAt = pushed.get();
                while (pushed.get() < resumedAt + 500) {
                    Thread.sleep(50);
                }
                pusher.interrupt();
                pusher.join();
                Thread.sleep(500);
            } finally {
                second.destroy(); // SIGTERM: clean stop, drains to Kafka, prints the accounting table
                assertTrue(second.waitFor(60, TimeUnit.SECONDS), "second ingest stopped");
            }
            // keep the children's logs for inspection (target/ is the surefire tmpdir's parent)
            Path logs = Path.of(System.getProperty("java.io.tmpdir")).resolve("crash-test-logs");
            Files.createDirectories(logs);
            for (String f : List.of("first.out", "first.err", "second.out", "second.err")) {
                Files.copy(tmp.resolve(f), logs.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String err = Files.readString(tmp.resolve("second.err"));
            String table = Files.readString(tmp.resolve("second.out"));
            assertEquals(0, second.exitValue() == 143 ? 0 : second.exitValue(), err);

            // 1. what reached the journal, by sequence
            TreeSet<Long> journaled = new TreeSet<>();
            try (Journal j = Journal.open(JournalConfig.defaults(journal)); Journal.Reader r = j.reader()) {
                JournalEntry e;
                while ((e = r.next()) != null) {
                    if (e.type() == EntryType.SAMPLE_CHUNK) {
                        for (int s = 0; s < e.sampleCount(); s++) {
                            assertTrue(journaled.add(e.sequence() + s), "sequence journaled twice");
                        }
                    }
                }
            }
            // 2. what is in Kafka: exactly the journaled samples, each once; value = first value + sequence
            Recorded rec = Recorded.read(kafka.bootstrapServers(), session);
            TreeSet<Long> inKafka = new TreeSet<>();
            long n0 = -1;
            for (SampleChunk c : rec.chunksOf(id)) {
                for (int s = 0; s < c.sampleCount(); s++) {
                    long seq = c.firstSequence() + s;
                    assertTrue(inKafka.add(seq), "sequence " + seq + " in Kafka twice");
                    long value = (long) c.value(s, 0);
                    if (n0 < 0) {
                        n0 = value - seq;
                    }
                    assertEquals(n0 + seq, value, "sequence numbers follow the outlet's sample index");
                }
            }
            assertEquals(journaled, inKafka, "every journaled sample is in Kafka, nothing else");

            // 3. exactly one hole, and the second run reported exactly that gap
            long holes = 0;
            long missing = 0;
            Long prev = null;
            for (long s : inKafka) {
                if (prev != null && s != prev + 1) {
                    holes++;
                    missing += s - prev - 1;
                }
                prev = s;
            }
            assertEquals(1, holes, "one outage, one hole");
            assertTrue(missing >= 400, "about a second and more of samples missed: " + missing);
            String row = table.lines().filter(l -> l.startsWith(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no accounting row for " + id + " in:\n" + table + err));
            String[] cols = row.trim().split("\\s+");
            assertEquals("1", cols[7], "gaps reported by the restarted ingest: " + row);
            assertEquals(Long.toString(missing), cols[8], "samples missing reported: " + row);
            // produced counts what the second run delivered: its own samples plus the first run's unforwarded backlog
            assertTrue(Long.parseLong(cols[5]) >= Long.parseLong(cols[4]),
                    "everything journaled by the second run was produced: " + row);
        }
    }

    /** Waits until the journal holds at least {@code samples} samples (read from another process, as Chronicle allows). */
    private static void waitForJournal(Path dir, long samples) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(dir.resolve("journal.id"))) {
                long n = 0;
                try (Journal j = Journal.open(JournalConfig.defaults(dir)); Journal.Reader r = j.reader()) {
                    JournalEntry e;
                    while ((e = r.next()) != null) {
                        n += e.sampleCount();
                    }
                }
                if (n >= samples) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        fail("the first ingest journaled fewer than " + samples + " samples in 60 s");
    }
}
