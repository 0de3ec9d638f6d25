package io.mindstream.ingest.forward;

import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.codec.StreamDescriptionCodec;
import io.mindstream.journal.JournalEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducedStampTest {

    private static final long J = 1_767_225_600_000_000L; // JOURNALED, µs

    private static long at(long acquired, long journaled) {
        TraceStamps t = TraceStamps.empty();
        if (acquired != 0) {
            t = t.with(Stage.ACQUIRED, acquired);
        }
        if (journaled != 0) {
            t = t.with(Stage.JOURNALED, journaled);
        }
        return ProducedStamp.eventTimeMillis(t);
    }

    @Test
    void eventTimeIsAcquiredWhenPlausibleElseJournaled() {
        assertEquals((J - 2_500) / 1000, at(J - 2_500, J), "normal: a few ms before journaling");
        assertEquals((J - 300_000_000L) / 1000, at(J - 300_000_000L, J), "a 5-minute inlet backlog");
        assertEquals((J + 500_000) / 1000, at(J + 500_000, J), "clock-sync noise");
        assertEquals(J / 1000, at(J + 86_400_000_000L, J), "another clock domain (future)");
        assertEquals(J / 1000, at(J - 86_400_000_000L, J), "another clock domain (past)");
        assertEquals(J / 1000, at(0, J), "no sample (end of stream): journaling time");
        assertEquals(RecordPreparer.Outgoing.NO_TIMESTAMP, at(0, 0));
    }

    @Test
    void descriptionsAreStampedAndADamagedOneGoesOutAsJournaled() {
        StreamDescription d = new StreamDescription("s1", "amp", StreamKind.EEG, 0, "<info/>",
                TraceStamps.empty().with(Stage.JOURNALED, J));
        StreamDescriptionCodec codec = new StreamDescriptionCodec();
        ProducedStamp stamp = new ProducedStamp();
        RecordPreparer.Outgoing out = stamp.prepare(JournalEntry.ofDescription(d, codec.encode(d)));
        StreamDescription sent = codec.decode(out.value());
        assertEquals(d.xml(), sent.xml());
        assertTrue(sent.trace().has(Stage.PRODUCED));
        assertEquals(J / 1000, out.timestampMillis(), "a description has no sample: its journaling time");

        byte[] damaged = "MSD1 damaged".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out = stamp.prepare(JournalEntry.ofDescription(d, damaged));
        assertArrayEquals(damaged, out.value(), "forwarded as journaled, not holding up what follows");
        assertEquals(RecordPreparer.Outgoing.NO_TIMESTAMP, out.timestampMillis());
    }
}
