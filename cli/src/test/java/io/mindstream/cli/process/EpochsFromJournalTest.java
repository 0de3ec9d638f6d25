package io.mindstream.cli.process;

import io.mindstream.cli.process.EpochsCommand;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalEntry;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.offline.EpochExport;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code epochs --offline --from journal}: a session written to an ingest journal the way ingest writes it
 (the entries ingest's journaling sink appends), read back by the command, gives exactly the epochs the processor's offline core computes
 * from the same records — no Kafka involved, and another session in the same journal stays out.
 */
class EpochsFromJournalTest {

    @TempDir
    Path dir;

    @Test
    void epochsFromTheJournalEqualTheOfflineEpochsOfTheSameRecords() throws Exception {
        List<Object> records = simulate("journal-session", 16);
        Path journal = dir.resolve("journal");
        try (Journal j = Journal.open(JournalConfig.defaults(journal))) {
            for (Object r : simulate("another-session", 4)) {
                write(j, r);
            }
            for (Object r : records) {
                write(j, r);
            }
        }
        OfflineEpocher offline = new OfflineEpocher(ProcessorConfig.defaults().withCalibrationEpochs(4), () -> 7L);
        List<Epoch> expected = new ArrayList<>();
        records.forEach(r -> expected.addAll(offline.accept(r)));
        expected.addAll(offline.flush());
        List<Epoch> markerEpochs = expected.stream().filter(e -> e.streamKind() == StreamKind.MEG
                && e.trigger().kind() == TriggerKind.MARKER).toList();
        assertTrue(markerEpochs.size() >= 6, "the simulated 16 s hold " + markerEpochs.size() + " epochs");
        Path want = dir.resolve("want");
        EpochExport.write(want, markerEpochs);

        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new EpochsCommand()).setCaseInsensitiveEnumValuesAllowed(true); // as the CLI
        cmd.setOut(new PrintWriter(out));
        Path got = dir.resolve("got");
        int rc = cmd.execute("--offline", "--from", "journal", "--journal-dir", journal.toString(),
                "--session", "journal-session", "--calibration-epochs", "4", "--export", got.toString());
        assertEquals(0, rc, out.toString());
        assertTrue(out.toString().contains(String.format("%,d journal records replayed", records.size())),
                out.toString());
        assertTrue(out.toString().contains("exported " + markerEpochs.size() + " MEG epochs"), out.toString());
        assertArrayEquals(Files.readAllBytes(want.resolve("X.npy")), Files.readAllBytes(got.resolve("X.npy")),
                "epoch data bit for bit");

        StringWriter err = new StringWriter();
        CommandLine missing = new CommandLine(new EpochsCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        missing.setErr(new PrintWriter(err));
        assertEquals(2, missing.execute("--offline", "--from", "journal", "--journal-dir",
                dir.resolve("nowhere").toString()));
        assertTrue(err.toString().contains("no ingest journal at"), err.toString());
    }

    /** The first {@code seconds} of a simulated session, as the records ingest would journal. */
    static List<Object> simulate(String session, double seconds) {
        List<Object> out = new ArrayList<>();
        new SimulatedRecording(new SimulatedSubject(SimulationConfig.defaults(11)), session, 12)
                .replay(out::add, f -> { }, seconds);
        return out;
    }

    private static void write(Journal journal, Object r) {
        if (r instanceof Marker m) {
            journal.append(JournalEntry.ofMarker(m, 0, 0.0, new MarkerCodec().encode(m)));
        } else {
            SampleChunk c = (SampleChunk) r;
            journal.append(JournalEntry.ofChunk(c, c.sampleCount(), 0, 0.0, new SampleChunkCodec().encode(c)));
        }
    }
}
