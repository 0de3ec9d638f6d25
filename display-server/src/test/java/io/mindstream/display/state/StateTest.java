package io.mindstream.display.state;

import io.mindstream.contracts.Match;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateTest {

    private static List<Match> top(String... ids) {
        List<Match> m = new ArrayList<>();
        for (String id : ids) {
            m.add(new Match(id, 0.5f));
        }
        return m;
    }

    @Test
    void accuracyCountsTopOneAndTopFiveOverTheWindowWithChance() {
        RollingAccuracy acc = new RollingAccuracy(4, 200);
        assertNull(acc.score(null, top("a")), "windows are not scored");
        assertEquals(new RollingAccuracy.Hit(true, true), acc.score("a", top("a", "b")));
        assertEquals(new RollingAccuracy.Hit(false, true), acc.score("a", top("b", "c", "d", "e", "a", "f")));
        assertEquals(new RollingAccuracy.Hit(false, false), acc.score("a", top("b", "c", "d", "e", "f", "a")));
        acc.score("z", top());
        RollingAccuracy.Summary s = acc.summary();
        assertEquals(4, s.n());
        assertEquals(0.25, s.top1());
        assertEquals(0.5, s.top5());
        assertEquals(0.005, s.chance1());
        assertEquals(0.025, s.chance5());
        acc.score("a", top("a"));                // the first hit leaves the window, a new one enters
        assertEquals(0.25, acc.summary().top1());
        assertEquals(5, acc.summary().total());
        assertEquals(0.4, acc.summary().totalTop1());
    }

    @Test
    void onlyTrialsOfCandidateImagesAreScoredAndChanceIsAmongTheCandidates() {
        // the decoder retrieves among 4 of the bank's images: a trial of another image can never be a hit
        RollingAccuracy acc = new RollingAccuracy(10, 2400, Set.of("t1", "t2", "t3", "t4"));
        assertNull(acc.score("train7", top("t1", "t2")), "an image the decoder cannot retrieve is not scored");
        assertEquals(new RollingAccuracy.Hit(true, true), acc.score("t1", top("t1", "t2")));
        assertEquals(new RollingAccuracy.Hit(false, false), acc.score("t2", top("t3")));
        RollingAccuracy.Summary s = acc.summary();
        assertEquals(2, s.n());
        assertEquals(2, s.total());
        assertEquals(0.5, s.top1());
        assertEquals(0.25, s.chance1());
        assertEquals(1.0, s.chance5());
    }

    /** Fixed seed: every run checks the same cases; a failure names the seed and case index to reproduce it. */
    static final long SEED = 0x3d15_7a7e_acc0_0001L;
    static final int ACCURACY_CASES = 200;
    static final int MAX_RANKS = 60, MAX_RANK = 6, MIN_WINDOW = 1, MAX_WINDOW = 20;

    /**
     * {@value #ACCURACY_CASES} cases of (ranks: 0–{@value #MAX_RANKS} ranks in 0–{@value #MAX_RANK}, window:
     * {@value #MIN_WINDOW}–{@value #MAX_WINDOW}): the edges first (no results; a single one; fewer results than the
     * window; exactly a window; all hits, all misses, all absent at the largest sizes), then random ones from
     * {@link #SEED}, half of them with more results than the window so that old results must leave it.
     */
    static Stream<Arguments> accuracyCases() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of(cases.size(), List.of(), MIN_WINDOW));
        cases.add(Arguments.of(cases.size(), List.of(), MAX_WINDOW));
        cases.add(Arguments.of(cases.size(), List.of(0), MIN_WINDOW));
        cases.add(Arguments.of(cases.size(), List.of(MAX_RANK), MAX_WINDOW));
        cases.add(Arguments.of(cases.size(), List.of(0, 4, 5, 6, 1), MAX_WINDOW));
        cases.add(Arguments.of(cases.size(), Collections.nCopies(MAX_WINDOW, 4), MAX_WINDOW));
        cases.add(Arguments.of(cases.size(), Collections.nCopies(MAX_RANKS, 0), MAX_WINDOW));
        cases.add(Arguments.of(cases.size(), Collections.nCopies(MAX_RANKS, 5), MIN_WINDOW));
        cases.add(Arguments.of(cases.size(), Collections.nCopies(MAX_RANKS, MAX_RANK), MAX_WINDOW));
        SplittableRandom rnd = new SplittableRandom(SEED);
        while (cases.size() < ACCURACY_CASES) {
            int window = rnd.nextInt(MIN_WINDOW, MAX_WINDOW + 1);
            int n = rnd.nextBoolean() ? rnd.nextInt(0, window + 1) : rnd.nextInt(window, MAX_RANKS + 1);
            List<Integer> ranks = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                ranks.add(rnd.nextInt(0, MAX_RANK + 1));
            }
            cases.add(Arguments.of(cases.size(), List.copyOf(ranks), window));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "case {0}: window {2}, ranks {1}")
    @MethodSource("accuracyCases")
    void rollingAccuracyEqualsARecount(int index, List<Integer> ranks, int window) {
        String where = "seed " + Long.toHexString(SEED) + " case " + index + " (window " + window + ", ranks " + ranks
                + ")";
        // rank r: the true image sits at position r of the top-6 (6 = absent)
        RollingAccuracy acc = new RollingAccuracy(window, 10);
        for (int r : ranks) {
            List<Match> m = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                m.add(new Match(i == r ? "truth" : "other" + i, 0f));
            }
            acc.score("truth", m);
        }
        List<Integer> last = ranks.subList(Math.max(0, ranks.size() - window), ranks.size());
        RollingAccuracy.Summary s = acc.summary();
        assertEquals(last.size(), s.n(), where);
        if (!last.isEmpty()) {
            assertEquals(last.stream().filter(r -> r == 0).count() / (double) last.size(), s.top1(), 1e-12, where);
            assertEquals(last.stream().filter(r -> r < 5).count() / (double) last.size(), s.top5(), 1e-12, where);
        }
    }

    @Test
    void latencySegmentsRunFromThePreviousStampedStage() {
        long[] t = new long[Stage.values().length];
        t[Stage.ACQUIRED.ordinal()] = 1_000_000;
        t[Stage.INGESTED.ordinal()] = 1_002_000;
        // JOURNALED and PRODUCED missing: CONSUMED measures from INGESTED
        t[Stage.CONSUMED.ordinal()] = 1_007_000;
        t[Stage.RENDERED.ordinal()] = 1_050_000;
        assertEquals(-1, LatencyStats.segmentStart(t, Stage.ACQUIRED.ordinal()), "nothing before the first stamp");
        assertEquals(Stage.ACQUIRED.ordinal(), LatencyStats.segmentStart(t, Stage.INGESTED.ordinal()));
        assertEquals(Stage.INGESTED.ordinal(), LatencyStats.segmentStart(t, Stage.CONSUMED.ordinal()));
        assertEquals(-1, LatencyStats.segmentStart(t, Stage.PRODUCED.ordinal()), "not stamped");
        assertEquals(Stage.CONSUMED.ordinal(), LatencyStats.segmentStart(t, Stage.RENDERED.ordinal()));

        LatencyStats stats = new LatencyStats(3);
        long[] slow = t.clone();
        slow[Stage.RENDERED.ordinal()] = 2_000_000;            // 1 s end to end, 993 ms CONSUMED → RENDERED
        stats.record(slow);
        stats.record(slow);
        for (int i = 0; i < 3; i++) {
            stats.record(t);
        }
        LatencyStats.Summary s = stats.summary();
        assertEquals(5, s.traces());
        assertEquals(3, s.total().n(), "ring keeps the last 3");
        // below 2048 µs the histogram is exact; above, within its 3 significant digits
        assertEquals(2.0, s.stages().get(Stage.INGESTED).max());
        assertEquals(5.0, s.stages().get(Stage.CONSUMED).p50(), 5.0e-3);
        assertEquals(43.0, s.stages().get(Stage.RENDERED).max(), 43.0e-3, "the slow traces left the ring");
        assertEquals(50.0, s.total().p99(), 50.0e-3);
        assertEquals(50.0, s.total().max(), 50.0e-3);
        assertEquals(Set.of(Stage.INGESTED, Stage.CONSUMED, Stage.RENDERED), s.stages().keySet(),
                "only stages that were stamped, each once");
    }

    private static SampleChunk chunk(String stream, long firstSeq, int n, int channels, double rate, float value) {
        double[] ts = new double[n];
        float[] v = new float[n * channels];
        for (int s = 0; s < n; s++) {
            ts[s] = 500 + (firstSeq + s) / rate;
            for (int c = 0; c < channels; c++) {
                v[s * channels + c] = value + c;
            }
        }
        long acquired = (long) (ts[n - 1] * 1e6) + 1_000_000_000L;     // wall = LSL + 1000 s
        return SampleChunk.ofFloats("s", stream, StreamKind.MEG, channels, rate, firstSeq, ts, v,
                TraceStamps.empty().with(Stage.ACQUIRED, acquired));
    }

    @Test
    void butterflyAveragesBlocksRemovesOffsetAndCutsHundredMillisecondSnippets() {
        ButterflyDownsampler d = new ButterflyDownsampler(100, 512);
        assertNull(d.add(chunk("m", 0, 60, 3, 1200, 5f)), "half a snippet");
        ButterflyDownsampler.Snippet s = d.add(chunk("m", 60, 60, 3, 1200, 5f));
        assertNotNull(s);
        assertEquals(100.0, s.rate());
        assertEquals(10, s.samples());
        assertEquals(3, s.channels());
        assertEquals(500.0, s.t0(), 1e-9);
        for (float v : s.data()) {
            assertEquals(0f, v, 1e-6f, "a constant signal has no deviation from its own running mean");
        }
        assertNull(d.add(chunk("other", 0, 120, 3, 1200, 1f)), "only the first stream is plotted");
        ButterflyDownsampler.Snippet step = d.add(chunk("m", 120, 120, 3, 1200, 6f));
        assertTrue(step.data()[0] > 0.9f, "a step up shows as a positive deflection: " + step.data()[0]);
    }

    @Test
    void healthCountsRatesGapsAndClockOffset() {
        StreamHealth h = new StreamHealth();
        h.report(1_000_000);
        h.onChunk(chunk("m", 0, 120, 2, 1200, 0f), 1_000_000);
        h.onChunk(chunk("m", 120, 120, 2, 1200, 0f), 1_050_000);
        SampleChunk after = chunk("m", 300, 120, 2, 1200, 0f);       // 60 samples lost at the source, and it says so
        h.onChunk(new SampleChunk(after.session(), after.streamId(), after.kind(), after.format(), after.totalChannels(),
                0, after.channelCount(), after.nominalRate(), 300, 60, after.timestamps(), after.values(),
                after.trace()), 1_100_000);
        h.onChunk(chunk("m", 520, 20, 2, 1200, 0f), 1_100_000);      // a hole it does not account for: in flight
        StreamHealth.StreamReport r = h.report(2_000_000).get(0);
        assertEquals("m", r.streamId());
        assertEquals(4, r.records());
        assertEquals(380, r.samples());
        assertEquals(1, r.gaps());
        assertEquals(60, r.lostSamples());
        assertEquals(380.0, r.samplesPerSec(), 1e-9);
        assertEquals(1000.0, r.clockOffsetS(), 1e-3);
        assertEquals(0.0, r.clockDriftMs(), 1.0);
        assertEquals(900.0, r.sinceLastMs(), 1e-9);
    }

    @Test
    void aSparseStreamsRateIsCountedOverTenSecondsNotOneReport() {
        StreamHealth h = new StreamHealth();
        long t0 = 1_000_000_000L;
        h.report(t0);
        // a marker every 1.7 s, a report every second: over one report period most reports would say 0.00/s
        long nextMarker = t0 + 100_000;
        long seq = 0;
        double last = Double.NaN;
        int zeroReports = 0;
        for (long now = t0 + 1_000_000; now <= t0 + 30_000_000; now += 1_000_000) {
            while (nextMarker <= now) {
                h.onMarker(new io.mindstream.contracts.Marker("s", "m", seq, seq * 1.7, "onset", null, null,
                        io.mindstream.contracts.TraceStamps.empty()), nextMarker);
                seq++;
                nextMarker += 1_700_000;
            }
            last = h.report(now).get(0).recordsPerSec();
            if (now >= t0 + 11_000_000 && last == 0.0) {
                zeroReports++;
            }
        }
        assertEquals(0, zeroReports, "a flowing sparse stream never reads 0/s once the window has filled");
        assertEquals(1 / 1.7, last, 0.06, "about one record per 1.7 s");
    }
}
