package io.mindstream.ingest.check;

import io.mindstream.contracts.QualityFlags;
import io.mindstream.ingest.stats.StreamStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class StreamCheckerTest {

    private final StreamStats stats = new StreamStats("x");

    /** Fixed seed: every run checks the same gaps; a failure names the seed and case index to reproduce it. */
    static final long GAP_SEED = 0x6a9_5eedL;
    static final int GAP_CASES = 200;
    static final int MIN_MISSING = 1, MAX_MISSING = 100_000, MIN_RATE = 1, MAX_RATE = 5000;

    /**
     * {@value #GAP_CASES} (missing samples, nominal rate) cases: the four corners of the ranges first (a single
     * missing sample at the highest rate is the one hardest to tell from jitter), then draws from {@link #GAP_SEED},
     * half uniform and half log-uniform so that small gaps and low rates come up as often as large ones.
     */
    static Stream<Arguments> gaps() {
        List<Arguments> cases = new ArrayList<>();
        for (int missing : new int[]{MIN_MISSING, MAX_MISSING}) {
            for (int rate : new int[]{MIN_RATE, MAX_RATE}) {
                cases.add(Arguments.of(cases.size(), missing, rate));
            }
        }
        SplittableRandom rnd = new SplittableRandom(GAP_SEED);
        while (cases.size() < GAP_CASES) {
            cases.add(Arguments.of(cases.size(), draw(rnd, MIN_MISSING, MAX_MISSING), draw(rnd, MIN_RATE, MAX_RATE)));
        }
        return cases.stream();
    }

    /** An int in [min, max]: uniform or log-uniform, equally often. */
    static int draw(SplittableRandom rnd, int min, int max) {
        if (rnd.nextBoolean()) {
            return rnd.nextInt(min, max + 1);
        }
        int v = (int) Math.round(Math.exp(Math.log(min) + rnd.nextDouble() * (Math.log(max) - Math.log(min))));
        return Math.max(min, Math.min(max, v));
    }

    @ParameterizedTest(name = "case {0}: {1} missing at {2} Hz")
    @MethodSource("gaps")
    void aGapOfAnySizeIsCountedExactly(int caseIndex, int missing, int rate) {
        String where = "seed " + GAP_SEED + " case " + caseIndex + " (" + missing + " missing at " + rate + " Hz)";
        StreamStats st = new StreamStats("x");
        StreamChecker c = new StreamChecker("x", rate, CheckConfig.defaults(), st);
        double t0 = 5000.0;
        for (int i = 0; i < 10; i++) {
            assertEquals(i, c.onSample(t0 + i / (double) rate), where);
        }
        long seq = c.onSample(t0 + (10 + missing) / (double) rate);
        assertEquals(10 + missing, seq, where);
        assertEquals(1, st.gaps(), where);
        assertEquals(missing, st.missingSamples(), where);
        assertEquals(QualityFlags.GAP, c.takeFlags(), where);
        assertEquals(0, c.takeFlags(), "flags are taken once; " + where);
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
