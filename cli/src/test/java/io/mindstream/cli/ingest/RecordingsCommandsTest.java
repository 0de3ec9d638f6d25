package io.mindstream.cli.ingest;

import io.mindstream.cli.Mindstream;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.formats.testing.FieldTools;
import io.mindstream.formats.testing.LibXdf;
import io.mindstream.formats.xdf.XdfReader;
import io.mindstream.formats.xdf.XdfStream;
import io.mindstream.ingest.journal.JournalingSink;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalEntry;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The recording commands from the command line: {@code record} writes a live stream to XDF that libxdf reads, with
 * footers when it stops; {@code replay} and {@code export} refuse bad usage with one line and exit code 2, and a
 * corrupt FIF file is one line naming it, exit code 1.
 */
class RecordingsCommandsTest {

    @TempDir
    Path tmp;

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Mindstream.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void recordWritesALiveStreamThatLibxdfReadsWithFooters() throws Exception {
        String id = "cli-rec-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = tmp.resolve("live.xdf");
        AtomicBoolean go = new AtomicBoolean(true);
        AtomicInteger pushed = new AtomicInteger();
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(id, "EEG", 3, 100, ChannelFormat.FLOAT32, id), 0, 360)) {
            Thread pusher = new Thread(() -> {
                while (go.get()) {
                    int i = pushed.get();
                    out.pushSample(new float[]{i, i * 2f, -i}, 10.0 + i / 100.0);
                    pushed.incrementAndGet();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            pusher.start();
            int rc;
            try {
                rc = run(new StringWriter(), new StringWriter(), "record", "--out", file.toString(), "--stream", id,
                        "--resolve", "3", "--duration", "3");
            } finally {
                go.set(false);
                pusher.join(5000);
            }
            assertEquals(0, rc);
        }
        XdfStream s = XdfReader.read(file).streams().get(0);
        assertTrue(s.sampleCount() > 50, s.sampleCount() + " samples");
        assertTrue(s.footerXml().contains("<sample_count>" + s.sampleCount() + "</sample_count>"), s.footerXml());
        long first = Math.round((s.timestamps()[0] - 10.0) * 100);
        for (int k = 0; k < s.sampleCount(); k++) {
            assertEquals(first + k, s.values()[k * 3], "consecutive samples, none lost or repeated");
        }
        assumeTrue(FieldTools.libxdfAvailable(), "skipped: g++ or libxdf-dev is not installed");
        LibXdf.Stream ls = LibXdf.build(tmp).read(file).streams().get(0);
        assertEquals(Integer.toString(s.sampleCount()), ls.get("sample_count"));
        assertEquals(id, ls.get("name"));
        assertEquals(s.sampleCount() * 3, ls.values().length);
    }

    @Test
    void badUsageIsOneLineAndExitCodeTwo() throws Exception {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "replay", "--from", "fif"));
        assertTrue(err.toString().startsWith("error: --from fif needs the FILE to play"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "replay", "--from", "journal"));
        assertTrue(err.toString().startsWith("error: --session is required with --from journal"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "export", "--session", "x"));
        assertTrue(err.toString().startsWith("error: give --xdf FILE and/or --fif FILE"), err.toString());

        Path bad = tmp.resolve("broken_raw.fif");
        Files.writeString(bad, "not a fif file, clearly not");
        err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "replay", "--from", "fif", bad.toString(), "--wait", "0"));
        assertTrue(err.toString().contains(bad.toString()) && err.toString().contains("not a FIF file"),
                err.toString());

        Path badXdf = tmp.resolve("broken.xdf");
        Files.writeString(badXdf, "XDF:\u0003garbage");
        err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "replay", "--from", "xdf", badXdf.toString(), "--wait", "0"));
        assertTrue(err.toString().contains(badXdf.toString()) && err.toString().contains("width 3"), err.toString());
    }

    /**
     * A journal whose stream description is damaged: {@code export} says so in one line naming the journal and the
     * entry, exports every sample, and says the channels got generic names.
     */
    @Test
    void anUnreadableDescriptionIsOneLineAndTheSessionStillExports() throws Exception {
        Path dir = tmp.resolve("journal");
        long index;
        try (Journal j = Journal.open(JournalConfig.defaults(dir))) {
            StreamDescription d = new StreamDescription("s1", "amp", StreamKind.EEG, 0, "<info/>",
                    TraceStamps.empty());
            index = j.append(JournalEntry.ofDescription(d, "MSD1 damaged".getBytes(StandardCharsets.US_ASCII)));
            JournalingSink sink = new JournalingSink(j, new IngestStats());
            for (int k = 0; k < 10; k++) {
                double[] ts = new double[10];
                for (int s = 0; s < 10; s++) {
                    ts[s] = 100 + (k * 10 + s) / 100.0;
                }
                sink.chunk(SampleChunk.ofFloats("s1", "amp", StreamKind.EEG, 2, 100, k * 10L, ts, new float[20],
                        TraceStamps.empty()), 10, 0, 0.0);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path fif = tmp.resolve("s1_raw.fif");
        assertEquals(0, run(out, err, "export", "--session", "s1", "--journal-dir", dir.toString(), "--fif",
                fif.toString(), "--xdf", tmp.resolve("s1.xdf").toString()), err.toString());
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), "one line, though both exports read the journal: " + err);
        assertTrue(lines.get(0).startsWith("export: journal " + dir + ", entry " + Long.toHexString(index)
                + ": the description of stream amp cannot be read ("), lines.get(0));
        assertTrue(out.toString().contains(": amp, 2 channels, 100 samples, 0 events on STI101"), out.toString());
        assertTrue(out.toString().contains("export: no description of stream amp in the recording"), out.toString());
        assertTrue(out.toString().contains("export: no description recorded for amp: header rebuilt"),
                out.toString());
    }
}
