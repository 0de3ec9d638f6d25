package io.mindstream.decoder.retrieval;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CosineIndexTest {

    static CosineIndex randomIndex(Random r, int n, int dim) {
        List<String> ids = new ArrayList<>();
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            ids.add("img" + i);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * (1 + i % 3); // rows of different norms: cosine must not care
        }
        return new CosineIndex(ids, v, dim);
    }

    @Property(tries = 60)
    void topKEqualsTheNaiveFullSort(@ForAll @IntRange(min = 1, max = 300) int n,
                                    @ForAll @IntRange(min = 1, max = 40) int dim,
                                    @ForAll @IntRange(min = 1, max = 12) int k,
                                    @ForAll long seed) {
        Random r = new Random(seed);
        CosineIndex index = randomIndex(r, n, dim);
        float[] q = new float[dim];
        for (int i = 0; i < dim; i++) {
            q[i] = (float) r.nextGaussian();
        }
        float[] uq = index.normalisedQuery(q);
        int[] rows = new int[k];
        float[] scores = new float[k];
        int got = index.topK(uq, k, null, rows, scores);
        assertEquals(Math.min(n, k), got);
        int[] expected = index.naiveTopK(uq, got);
        for (int i = 0; i < got; i++) {
            // same scores (ties may order rows differently, scores may differ in the last bits of float sums)
            assertEquals(CosineIndex.naiveDot(uq, unitRow(index, expected[i]), 0, dim), scores[i], 1e-5);
            // its rank counts the rows scoring strictly higher: at most i (ties may share a rank)
            int higher = 0;
            for (int row = 0; row < n; row++) {
                higher += index.score(uq, row) > scores[i] ? 1 : 0;
            }
            assertEquals(higher, index.rank(uq, rows[i], null), "rank of the i-th retrieved row");
            assertTrue(higher <= i, "row " + i + " has " + higher + " better rows");
        }
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
            assertEquals(CosineIndex.naiveDot(a, b, 5, n), CosineIndex.dot(a, b, 5, n), 1e-4);
        }
    }
}
