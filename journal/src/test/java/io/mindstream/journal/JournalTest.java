package io.mindstream.journal;

import io.mindstream.contracts.StreamKind;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JournalTest {

    @TempDir
    Path dir;

    private static JournalEntry entry(long seq, String payload) {
        return new JournalEntry(EntryType.SAMPLE_CHUNK, StreamKind.MEG, 3, "sess-ü", "meg-1", seq, 12,
                1000.5 + seq, 0.25, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void entriesRoundTripInOrderAndSurviveReopen() {
        List<Long> indices = new ArrayList<>();
        try (Journal j = Journal.open(JournalConfig.defaults(dir))) {
            for (int i = 0; i < 100; i++) {
                indices.add(j.append(entry(i * 12L, "payload-" + i)));
            }
            assertEquals(indices.get(99), j.lastIndex());
        }
        try (Journal j = Journal.open(JournalConfig.defaults(dir)); Journal.Reader r = j.reader()) {
            for (int i = 0; i < 100; i++) {
                JournalEntry e = r.next();
                assertNotNull(e, "entry " + i);
                assertEquals(indices.get(i), r.lastIndex());
                assertEquals(i * 12L, e.sequence());
                assertEquals("sess-ü", e.session());
                assertEquals("meg-1", e.streamId());
                assertEquals(3, e.flags());
                assertEquals(12, e.sampleCount());
                assertEquals(1000.5 + i * 12L, e.lastTimestamp());
                assertEquals(0.25, e.clockOffset());
                assertEquals("raw.meg", e.topic());
                assertEquals("payload-" + i, new String(e.payload(), StandardCharsets.UTF_8));
            }
            assertNull(r.next());
        }
    }

    @Test
    void journalIdIsStableAcrossReopen() {
        java.util.UUID first;
        try (Journal j = Journal.open(JournalConfig.defaults(dir))) {
            first = j.id();
        }
        try (Journal j = Journal.open(JournalConfig.defaults(dir))) {
            assertEquals(first, j.id());
        }
    }

    @Test
    void seekAfterResumesWithTheNextEntry() {
        try (Journal j = Journal.open(JournalConfig.defaults(dir))) {
            long[] idx = new long[10];
            for (int i = 0; i < 10; i++) {
                idx[i] = j.append(entry(i, "p" + i));
            }
            try (Journal.Reader r = j.reader()) {
                assertTrue(r.seekAfter(idx[4]));
                assertEquals(5, r.next().sequence());
                assertTrue(r.seekAfter(idx[9]));
                assertNull(r.next());
                j.append(entry(10, "p10"));
                assertEquals(10, r.next().sequence());
            }
        }
    }

    @Test
    void appendsFromManyThreadsAreAllKept() throws Exception {
        try (Journal j = Journal.open(JournalConfig.defaults(dir))) {
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                int tt = t;
                ts[t] = new Thread(() -> {
                    for (int i = 0; i < 500; i++) {
                        j.append(new JournalEntry(EntryType.MARKER, StreamKind.MARKER, 0, "s", "stream" + tt, i, 1,
                                i, 0.0, new byte[]{(byte) tt}));
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            int[] next = new int[4];
            try (Journal.Reader r = j.reader()) {
                JournalEntry e;
                int n = 0;
                while ((e = r.next()) != null) {
                    int s = e.payload()[0];
                    assertEquals(next[s]++, e.sequence(), "per-thread order kept");
                    n++;
                }
                assertEquals(2000, n);
            }
        }
    }

    @Test
    void rollCycleNamesParseAsChronicleSpellsThem() {
        assertEquals(RollCycles.TEN_MINUTELY, JournalConfig.parseRollCycle("ten_minutely"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JournalConfig.parseRollCycle("fortnightly"));
        assertTrue(e.getMessage().contains("fortnightly"));
    }

    @Test
    void retentionKeepsNewestCyclesAndNeverUnacknowledgedOnes() throws Exception {
        // TEST_SECONDLY rolls every second, so a few cycles appear in a few seconds
        try (Journal j = Journal.open(new JournalConfig(dir, net.openhft.chronicle.queue.rollcycles.TestRollCycles.TEST_SECONDLY, 2))) {
            List<Long> idx = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                idx.add(j.append(entry(c, "c" + c)));
                Thread.sleep(1050);
            }
            idx.add(j.append(entry(3, "c3")));
            int firstCycle = j.rollCycle().toCycle(idx.get(0));
            assertTrue(j.cycleFile(firstCycle).exists(), "cycle file naming matches Chronicle's");
            // nothing acknowledged yet beyond the first entry: nothing may go
            assertEquals(0, j.applyRetention(idx.get(0)));
            // acknowledged into the second cycle: only the first may go, though 2 of 4 are beyond "keep 2"
            assertEquals(1, j.applyRetention(idx.get(1)));
            // everything acknowledged: keep the 2 newest of the remaining 3 cycles
            assertEquals(1, j.applyRetention(idx.get(3)));
            try (Journal.Reader r = j.reader()) {
                assertEquals(2, r.next().sequence());
                assertEquals(3, r.next().sequence());
                assertNull(r.next());
            }
        }
    }
}
