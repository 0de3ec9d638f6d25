package io.mindstream.decoder.retrieval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CosineIndexTest {

    /** Seed of the generated cases: fixed, so a failure names a case that fails again on every run. */
    static final long SEED = 0x5EED_C0_51_4EL;
    static final int CASES = 60;

    /**
     * One generated retrieval problem. Its bank and query come from {@code seed}; {@code zeroQuery} makes every
     * score 0 (the most extreme tie).
     */
    record Case(int index, int n, int dim, int k, long seed, boolean zeroQuery) {
        @Override
        public String toString() {
            return String.format("case %d of seed %#x (n=%d dim=%d k=%d%s, data seed %#x)", index, SEED, n, dim, k,
                    zeroQuery ? " zero query" : "", seed);
        }
    }

    static List<Case> cases() {
        SplittableRandom r = new SplittableRandom(SEED);
        List<Case> out = new ArrayList<>(CASES);
        for (int i = 0; i < CASES; i++) {
            int n = r.nextInt(1, 301);
            int dim = r.nextInt(1, 41);
            int k = r.nextInt(1, 13);
            long seed = r.nextLong();
            // tie-prone shapes in every run: one dimension (every unit row and query is ±1, so half the bank ties
            // for first), an all-zero query (every score is 0), and tiny banks (k > n)
            if (i % 10 == 0) {
                dim = 1;
            }
            if (i % 10 == 3) {
                n = 1 + i / 10;
            }
            out.add(new Case(i, n, dim, k, seed, i % 10 == 1));
        }
        return out;
    }

    /**
     * A bank of {@code n} rows of different norms (cosine must not care) where about a third of the rows are exact
     * duplicates of an earlier row, scaled by a power of two: normalising makes such a row bit-identical to the
     * original, so its score ties exactly, whatever the summation order.
     */
    static CosineIndex bank(SplittableRandom r, int n, int dim) {
        List<String> ids = new ArrayList<>(n);
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            ids.add("img" + i);
            if (i > 0 && r.nextInt(3) == 0) {
                int of = r.nextInt(i);
                float scale = (float) Math.scalb(1.0, r.nextInt(-2, 3));
                for (int d = 0; d < dim; d++) {
                    v[i * dim + d] = v[of * dim + d] * scale;
                }
            } else {
                for (int d = 0; d < dim; d++) {
                    v[i * dim + d] = (float) r.nextGaussian() * (1 + (i * dim + d) % 3);
                }
            }
        }
        return new CosineIndex(ids, v, dim);
    }

    static float[] query(SplittableRandom r, Case c) {
        float[] q = new float[c.dim()];
        if (!c.zeroQuery()) {
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) r.nextGaussian();
            }
        }
        return q;
    }

    /** The candidates in retrieval order, by a full sort with the order {@link CosineIndex} documents. */
    static int[] sortedByScoreThenRow(CosineIndex index, float[] uq, int[] candidates) {
        return Arrays.stream(candidates).boxed()
                .sorted((a, b) -> {
                    int byScore = Float.compare(index.score(uq, b), index.score(uq, a));
                    return byScore != 0 ? byScore : Integer.compare(a, b);
                })
                .mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void topKEqualsTheNaiveFullSort(Case c) {
        SplittableRandom r = new SplittableRandom(c.seed());
        CosineIndex index = bank(r, c.n(), c.dim());
        float[] uq = index.normalisedQuery(query(r, c));
        int[] rows = new int[c.k()];
        float[] scores = new float[c.k()];
        int got = index.topK(uq, c.k(), null, rows, scores);
        assertEquals(Math.min(c.n(), c.k()), got, c + ": results");

        // exactly the first rows of the full sort by (score, row), scores computed the same way
        int[] reference = sortedByScoreThenRow(index, uq, index.allRows());
        assertArrayEquals(Arrays.copyOf(reference, got), Arrays.copyOf(rows, got), c + ": rows");
        // the same scores as the naive loop's full sort (whose float sums may differ in the last bits)
        int[] naive = index.naiveTopK(uq, got);
        for (int i = 0; i < got; i++) {
            assertEquals(index.score(uq, rows[i]), scores[i], c + ": score " + i);
            assertEquals(CosineIndex.naiveDot(uq, unitRow(index, naive[i]), 0, c.dim()), scores[i], 1e-5,
                    c + ": score " + i + " against the naive loop");
            // rank and top-k agree, ties included: the i-th listed row has rank i
            assertEquals(i, index.rank(uq, rows[i], null), c + ": rank of the row listed at " + i);
        }

        // the same over a candidate subset given in random order: the order of the list does not matter
        int[] subset = shuffledSubset(r, c.n());
        got = index.topK(uq, c.k(), subset, rows, scores);
        assertEquals(Math.min(subset.length, c.k()), got, c + ": results among " + subset.length + " candidates");
        reference = sortedByScoreThenRow(index, uq, subset);
        assertArrayEquals(Arrays.copyOf(reference, got), Arrays.copyOf(rows, got), c + ": rows among candidates");
        for (int i = 0; i < reference.length; i++) {
            assertEquals(i, index.rank(uq, reference[i], subset), c + ": rank among candidates of " + reference[i]);
        }
    }

    /** The generator above really produces ties where they matter: inside the top-k or across its boundary. */
    @Test
    void theCasesExerciseTies() {
        int withTies = 0;
        for (Case c : cases()) {
            SplittableRandom r = new SplittableRandom(c.seed());
            CosineIndex index = bank(r, c.n(), c.dim());
            float[] uq = index.normalisedQuery(query(r, c));
            int[] order = sortedByScoreThenRow(index, uq, index.allRows());
            boolean tie = false;
            for (int i = 1; i < Math.min(order.length, c.k() + 1); i++) {
                tie |= index.score(uq, order[i]) == index.score(uq, order[i - 1]);
            }
            withTies += tie ? 1 : 0;
        }
        assertTrue(withTies >= CASES / 2, withTies + " of " + CASES + " cases have a tie in or at the edge of the top-k");
    }

    static int[] shuffledSubset(SplittableRandom r, int n) {
        int[] all = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, 1 + r.nextInt(n));
    }

    static float[] unitRow(CosineIndex index, int row) {
        float[] e = new float[index.dim()];
        for (int d = 0; d < e.length; d++) {
            float[] basis = new float[index.dim()];
            basis[d] = 1;
            e[d] = index.score(basis, row);
        }
        return e;
    }

    @Test
    void equalScoresAreOrderedByRowInTopKAndRank() {
        // c duplicates a, d is a scaled a: all three score exactly 1 for q = (1, 0)
        CosineIndex index = new CosineIndex(List.of("a", "b", "c", "d"),
                new float[]{1, 0, 0, 1, 1, 0, 2, 0}, 2);
        float[] q = index.normalisedQuery(new float[]{1, 0});
        int[] rows = new int[3];
        float[] scores = new float[3];
        assertEquals(3, index.topK(q, 3, null, rows, scores));
        assertArrayEquals(new int[]{0, 2, 3}, rows);
        assertArrayEquals(new float[]{1, 1, 1}, scores);
        assertEquals(List.of(0, 3, 1, 2), List.of(index.rank(q, 0, null), index.rank(q, 1, null),
                index.rank(q, 2, null), index.rank(q, 3, null)));
        // the candidates' order does not change the result
        int[] subset = {3, 1, 2};
        assertEquals(3, index.topK(q, 3, subset, rows, scores));
        assertArrayEquals(new int[]{2, 3, 1}, rows);
        assertEquals(1, index.rank(q, 3, subset));
        assertEquals(0, index.rank(q, 2, subset));
        assertEquals(2, index.rank(q, 1, subset));
        // a zero query scores every row 0: one row is first, not all of them
        float[] zero = index.normalisedQuery(new float[2]);
        assertEquals(3, index.topK(zero, 3, null, rows, scores));
        assertArrayEquals(new int[]{0, 1, 2}, rows);
        for (int row = 0; row < 4; row++) {
            assertEquals(row, index.rank(zero, row, null));
        }
    }

    @Test
    void candidateSubsetsRestrictTheSearch() {
        CosineIndex index = new CosineIndex(List.of("a", "b", "c", "d"),
                new float[]{1, 0, 0.9f, 0.1f, 0, 1, -1, 0}, 2);
        float[] q = index.normalisedQuery(new float[]{1, 0});
        int[] rows = new int[2];
        float[] scores = new float[2];
        index.topK(q, 2, null, rows, scores);
        assertArrayEquals(new int[]{0, 1}, rows);
        int[] subset = index.rows(List.of("c", "d", "b"));
        index.topK(q, 2, subset, rows, scores);
        assertArrayEquals(new int[]{1, 2}, rows);
        assertEquals(0, index.rank(q, 1, subset));
        assertEquals(2, index.rank(q, 3, subset));
        assertThrows(IllegalArgumentException.class, () -> index.rank(q, 0, subset));
        assertThrows(IllegalArgumentException.class, () -> index.rows(List.of("zzz")));
        assertThrows(IllegalArgumentException.class, () -> index.normalisedQuery(new float[3]));
    }

    @Test
    void unrolledDotEqualsNaiveDot() {
        Random r = new Random(7);
        for (int n = 0; n < 40; n++) {
            float[] a = new float[n];
            float[] b = new float[n + 5];
            for (int i = 0; i < n; i++) {
                a[i] = (float) r.nextGaussian();
                b[i + 5] = (float) r.nextGaussian();
            }
            assertEquals(CosineIndex.naiveDot(a, b, 5, n), CosineIndex.dot(a, b, 5, n), 1e-4, "length " + n);
        }
    }
}
