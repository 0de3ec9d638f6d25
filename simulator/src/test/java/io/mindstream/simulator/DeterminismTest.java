package io.mindstream.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeterminismTest {

    static final int SPAN = 15_000; // crosses a background checkpoint (every 12,000 samples)

    static SimulationConfig config(long seed) {
        // artefacts made frequent so that they are part of what must be deterministic
        return SimulationConfig.defaults(seed).toBuilder().fmriVoxels(100).dropoutsPerHour(300)
                .transientsPerHour(300).build();
    }

    private static final SimulatedSubject REFERENCE_SUBJECT = new SimulatedSubject(config(7));
    private static final float[] REFERENCE = new float[SPAN * 272];

    static {
        REFERENCE_SUBJECT.generateMeg(0, SPAN, REFERENCE);
    }

    /** Fixed seed: every run checks the same cases; a failure names the seed and case index to reproduce it. */
    static final long CHUNKING_SEED = 0x5eed_c4a7L;
    static final int CHUNKING_CASES = 4;
    static final int MAX_CHUNK_COUNT = 12, MIN_CHUNK = 1, MAX_CHUNK = 5000;

    /**
     * {@value #CHUNKING_CASES} chunkings: the two extremes (single-sample chunks throughout; the largest chunks, which
     * straddle the checkpoint inside one request), then cycles of 1–{@value #MAX_CHUNK_COUNT} sizes of
     * {@value #MIN_CHUNK}–{@value #MAX_CHUNK} samples drawn from {@link #CHUNKING_SEED}.
     */
    static Stream<Arguments> chunkings() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of(0, List.of(MIN_CHUNK)));
        cases.add(Arguments.of(1, List.of(MAX_CHUNK)));
        SplittableRandom rnd = new SplittableRandom(CHUNKING_SEED);
        while (cases.size() < CHUNKING_CASES) {
            int count = rnd.nextInt(1, MAX_CHUNK_COUNT + 1);
            List<Integer> sizes = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                sizes.add(rnd.nextInt(MIN_CHUNK, MAX_CHUNK + 1));
            }
            cases.add(Arguments.of(cases.size(), List.copyOf(sizes)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "case {0}: chunk sizes {1}")
    @MethodSource("chunkings")
    void anyChunkingGivesTheSameSamples(int caseIndex, List<Integer> chunks) {
        SimulatedSubject s = new SimulatedSubject(config(7));
        float[] got = new float[SPAN * 272];
        int pos = 0, k = 0;
        while (pos < SPAN) {
            int n = Math.min(chunks.get(k++ % chunks.size()), SPAN - pos);
            float[] buf = new float[n * 272];
            s.generateMeg(pos, n, buf);
            System.arraycopy(buf, 0, got, pos * 272, n * 272);
            pos += n;
        }
        assertArrayEquals(REFERENCE, got, "seed " + CHUNKING_SEED + " case " + caseIndex + ", chunk sizes " + chunks);
    }

    @Test
    void randomAccessInAnyOrderGivesTheSameSamples() {
        SimulatedSubject s = new SimulatedSubject(config(7));
        int[][] requests = {{12_500, 2000}, {100, 50}, {11_990, 30}, {14_000, 1000}, {0, 10}, {13_000, 700}};
        for (int[] r : requests) {
            float[] buf = new float[r[1] * 272];
            s.generateMeg(r[0], r[1], buf);
            assertArrayEquals(Arrays.copyOfRange(REFERENCE, r[0] * 272, (r[0] + r[1]) * 272), buf,
                    "samples " + r[0] + "+" + r[1]);
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        float[] a = new float[2400 * 272];
        new SimulatedSubject(config(7)).generateMeg(0, 2400, a);
        assertArrayEquals(Arrays.copyOf(REFERENCE, a.length), a);
        float[] b = new float[2400 * 272];
        new SimulatedSubject(config(8)).generateMeg(0, 2400, b);
        assertFalse(Arrays.equals(a, b));
        float[] v1 = new float[100], v2 = new float[100];
        REFERENCE_SUBJECT.generateFmri(17, v1);
        new SimulatedSubject(config(7)).generateFmri(17, v2);
        assertArrayEquals(v1, v2);
    }

    @Test
    void badRequestsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> REFERENCE_SUBJECT.generateMeg(-1, 1, new float[272]));
        assertThrows(IllegalArgumentException.class, () -> REFERENCE_SUBJECT.generateMeg(0, 2, new float[272]));
        assertThrows(IllegalArgumentException.class, () -> REFERENCE_SUBJECT.generateFmri(0, new float[10]));
        assertThrows(IllegalArgumentException.class,
                () -> SimulationConfig.defaults(1).toBuilder().snr(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> SimulationConfig.defaults(1).toBuilder().channelCount(275).build());
    }
}
