package io.mindstream.decoder.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetrievalTrackerTest {

    @Test
    void cumulativeAndRollingSummariesPerSession() {
        RetrievalTracker t = new RetrievalTracker(2);
        t.record("s1", 0, 200);   // top-1
        t.record("s1", 3, 200);   // top-5 only
        t.record("s1", 100, 200); // neither
        t.record("s2", 199, 200);
        RetrievalTracker.Snapshot s1 = t.snapshot("s1");
        assertEquals(3, s1.cumulative().count());
        assertEquals(1 / 3.0, s1.cumulative().top1(), 1e-12);
        assertEquals(2 / 3.0, s1.cumulative().top5(), 1e-12);
        assertEquals(3 / 200.0, s1.cumulative().medianRelativeRank(), 1e-12);
        assertEquals(1 / 200.0, s1.cumulative().chanceTop1(), 1e-12);
        assertEquals(5 / 200.0, s1.cumulative().chanceTop5(), 1e-12);
        assertEquals(2, s1.rolling().count());
        assertEquals(0, s1.rolling().top1(), 1e-12);
        assertEquals(0.5, s1.rolling().top5(), 1e-12);
        assertEquals((3 + 100) / 2.0 / 200, s1.rolling().medianRelativeRank(), 1e-12);
        assertEquals(1, t.snapshot("s2").cumulative().count());
        assertEquals(0, t.snapshot("nobody").cumulative().count());
        assertEquals(2, t.snapshots().size());
        assertThrows(IllegalArgumentException.class, () -> t.record("s1", 200, 200));
    }

    @Test
    void chanceTop5WithFewerThanFiveCandidatesIsOne() {
        RetrievalSummary s = RetrievalSummary.of(new int[]{2}, new int[]{3}, 0, 1);
        assertEquals(1.0, s.chanceTop5(), 1e-12);
        assertEquals(1.0, s.top5(), 1e-12);
    }
}
