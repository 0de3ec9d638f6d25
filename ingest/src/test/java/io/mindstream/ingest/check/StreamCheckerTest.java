package io.mindstream.ingest.check;

import io.mindstream.contracts.QualityFlags;
import io.mindstream.ingest.stats.StreamStats;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class StreamCheckerTest {

    private final StreamStats stats = new StreamStats("x");

    @Property(tries = 200)
    void aGapOfAnySizeIsCountedExactly(@ForAll @IntRange(min = 1, max = 100_000) int missing,
                                       @ForAll @IntRange(min = 1, max = 5000) int rate) {
        StreamStats st = new StreamStats("x");
        StreamChecker c = new StreamChecker("x", rate, CheckConfig.defaults(), st);
        double t0 = 5000.0;
        for (int i = 0; i < 10; i++) {
            assertEquals(i, c.onSample(t0 + i / (double) rate));
        }
        long seq = c.onSample(t0 + (10 + missing) / (double) rate);
        assertEquals(10 + missing, seq);
        assertEquals(1, st.gaps());
        assertEquals(missing, st.missingSamples());
        assertEquals(QualityFlags.GAP, c.takeFlags());
        assertEquals(0, c.takeFlags(), "flags are taken once");
    }

    @Test
    void resumeContinuesSequencesAcrossARestartAndSeesTheOutageAsOneGap() {
        StreamChecker c = new StreamChecker("x", 100, CheckConfig.defaults(), stats);
        c.resume(501, 1005.0); // sample 500 was at 1005.0
        assertEquals(800, c.onSample(1008.0)); // 300 periods later: 299 missing, 501 + 299
        assertEquals(1, stats.gaps());
        assertEquals(299, stats.missingSamples());
    }

    @Test
    void backwardJumpsAreCountedFlaggedAndLeftAlone() {
        StreamChecker c = new StreamChecker("x", 100, CheckConfig.defaults(), stats);
        c.onSample(10.00);
        c.onSample(10.01);
        assertEquals(2, c.onSample(9.5));
        assertEquals(1, stats.backwardJumps());
        assertEquals(QualityFlags.CLOCK, c.takeFlags() & QualityFlags.CLOCK);
        assertEquals(9.5, c.lastTimestamp(), "not corrected");
    }

    @Test
    void unixEpochStampsAreFlaggedAsForeignClock() {
        StreamChecker c = new StreamChecker("x", 100, CheckConfig.defaults(), stats);
        c.checkClockDomain(1.764e9, 10, 12345.0);
        assertEquals(10, stats.foreignClockStamps());
        assertEquals(QualityFlags.CLOCK, c.takeFlags());
        c.checkClockDomain(12344.0, 10, 12345.0);
        assertEquals(10, stats.foreignClockStamps());
        assertEquals(0, c.takeFlags());
    }

    @Test
    void driftOfTheEffectiveRateIsDetectedButNotAGap() {
        // the device really runs at 1010 Hz while claiming 1000 Hz (1 % > 0.5 % tolerance)
        StreamChecker c = new StreamChecker("x", 1000, CheckConfig.defaults(), stats);
        for (int i = 0; i < 12_000; i++) {
            c.onSample(100 + i / 1010.0);
        }
        assertEquals(0, stats.gaps());
        assertTrue(stats.driftEvents() >= 1);
        assertEquals(1010.0, stats.effectiveRate(), 0.5);
        assertEquals(QualityFlags.CLOCK, c.takeFlags() & QualityFlags.CLOCK);
    }

    @Test
    void aCleanStreamRaisesNothingAndHasSmallJitter() {
        StreamChecker c = new StreamChecker("x", 1200, CheckConfig.defaults(), stats);
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < 30_000; i++) {
            c.onSample(100 + i / 1200.0 + rnd.nextGaussian() * 20e-6);
        }
        assertEquals(0, c.takeFlags());
        assertEquals(0, stats.gaps() + stats.backwardJumps() + stats.driftEvents());
        assertEquals(28e-6, c.jitterSeconds(), 10e-6, "RMS of interval deviations of 20 µs stamp noise is √2·20 µs");
    }

    @Test
    void irregularStreamsCountReceivedSamples() {
        StreamChecker c = new StreamChecker("m", 0, CheckConfig.defaults(), stats);
        assertEquals(0, c.onSample(1));
        assertEquals(1, c.onSample(100));
        assertEquals(0, stats.gaps());
    }
}
