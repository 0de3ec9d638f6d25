package io.mindstream.decoder.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exact cosine nearest-neighbour search over a bank held as one flat, row-normalised {@code float[]}: cosine
 * similarity is then a dot product with the normalised query. The dot product is unrolled over eight independent
 * accumulators so the JIT can keep several multiply-adds in flight (and pack them into SIMD registers) instead of one
 * serial chain of additions; no incubator modules are needed. Thread-safe for queries (the index is read-only).
 *
 * <p><b>Order of candidates.</b> {@link #topK} and {@link #rank} share one total order: higher cosine first, and
 * equal scores (bit-identical floats, e.g. duplicate images in a bank, an all-zero query, or one-dimensional
 * embeddings) by lower row index first, whatever order the candidate list is in. So {@code rank(q, rows[i])} is
 * exactly {@code i} for every row {@code topK} returned: the accuracy a decoder reports from ranks is the accuracy
 * of the lists it publishes, and a tie cannot make several images "first" at once. Scores are assumed not NaN
 * (the decoder rejects non-finite epochs before they are embedded).
 */
public final class CosineIndex {

    private final List<String> ids;
    private final Map<String, Integer> rowOf;
    private final int dim;
    private final float[] unit; // rows × dim, each row of norm 1 (zero rows stay zero)

    /**
     * @param ids     one id per row
     * @param vectors rows × dim, row-major; copied and normalised
     */
    public CosineIndex(List<String> ids, float[] vectors, int dim) {
        this(ids, dim, vectors.clone());
    }

    /**
     * An index over {@code vectors} themselves, normalised in place (no copy): for banks too large to hold twice
     * (10⁶ × 768 floats is 3 GB). The caller must not use the array afterwards.
     */
    public static CosineIndex wrapNormalisingInPlace(List<String> ids, float[] vectors, int dim) {
        return new CosineIndex(ids, dim, vectors);
    }

    private CosineIndex(List<String> ids, int dim, float[] vectors) {
        Objects.requireNonNull(ids, "ids");
        if (dim < 1 || (long) ids.size() * dim != vectors.length) {
            throw new IllegalArgumentException(vectors.length + " values do not make " + ids.size() + " rows of " + dim);
        }
        this.ids = List.copyOf(ids);
        this.dim = dim;
        this.unit = vectors;
        this.rowOf = new HashMap<>(ids.size() * 2);
        for (int r = 0; r < ids.size(); r++) {
            if (rowOf.putIfAbsent(ids.get(r), r) != null) {
                throw new IllegalArgumentException("duplicate id " + ids.get(r));
            }
            normalise(unit, r * dim, dim);
        }
    }

    public int size() {
        return ids.size();
    }

    public int dim() {
        return dim;
    }

    public String id(int row) {
        return ids.get(row);
    }

    /** Row of {@code id}, or -1. */
    public int row(String id) {
        Integer r = rowOf.get(id);
        return r == null ? -1 : r;
    }

    /** The rows of the given ids, in the order given, as a candidate subset (e.g. the 200 test images). */
    public int[] rows(Collection<String> subset) {
        int[] out = new int[subset.size()];
        int i = 0;
        List<String> unknown = new ArrayList<>();
        for (String id : subset) {
            int r = row(id);
            if (r < 0) {
                unknown.add(id);
            }
            out[i++] = r;
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknown.size() + " candidate ids are not in the bank, e.g. " + unknown.get(0));
        }
        return out;
    }

    /** All rows 0 … size−1. */
    public int[] allRows() {
        int[] all = new int[ids.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /** A unit-norm copy of {@code query} (zero stays zero), to pass to {@link #topK} and {@link #rank}. */
    public float[] normalisedQuery(float[] query) {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, the bank " + dim);
        }
        float[] q = query.clone();
        normalise(q, 0, dim);
        return q;
    }

    /**
     * The {@code k} best candidates for a normalised query, best first: rows into {@code outRows}, cosine scores
     * into {@code outScores}. Equal scores are listed by lower row index first (see the class comment). Returns how
     * many were written (≤ k).
     *
     * @param candidates rows to search, or null for the whole bank
     */
    public int topK(float[] unitQuery, int k, int[] candidates, int[] outRows, float[] outScores) {
        int n = candidates == null ? ids.size() : candidates.length;
        int kk = Math.min(k, n);
        int count = 0; // a sorted (descending) array of the best so far: k is small (5–20), insertion beats a heap
        for (int i = 0; i < n; i++) {
            int r = candidates == null ? i : candidates[i];
            float s = dot(unitQuery, unit, r * dim, dim);
            if (count < kk) {
                int j = count++;
                while (j > 0 && precedes(s, r, outScores[j - 1], outRows[j - 1])) {
                    outScores[j] = outScores[j - 1];
                    outRows[j] = outRows[j - 1];
                    j--;
                }
                outScores[j] = s;
                outRows[j] = r;
            } else if (precedes(s, r, outScores[kk - 1], outRows[kk - 1])) {
                int j = kk - 1;
                while (j > 0 && precedes(s, r, outScores[j - 1], outRows[j - 1])) {
                    outScores[j] = outScores[j - 1];
                    outRows[j] = outRows[j - 1];
                    j--;
                }
                outScores[j] = s;
                outRows[j] = r;
            }
        }
        return count;
    }

    /**
     * Rank of {@code trueRow} among the candidates for a normalised query (0 = retrieved first): the position
     * {@link #topK} lists it at over the same candidates, i.e. how many candidates score higher plus how many score
     * exactly the same and have a lower row index. {@code trueRow} must be one of the candidates.
     */
    public int rank(float[] unitQuery, int trueRow, int[] candidates) {
        float t = dot(unitQuery, unit, trueRow * dim, dim);
        int n = candidates == null ? ids.size() : candidates.length;
        int better = 0;
        boolean present = candidates == null;
        for (int i = 0; i < n; i++) {
            int r = candidates == null ? i : candidates[i];
            if (r == trueRow) {
                present = true;
                continue;
            }
            if (precedes(dot(unitQuery, unit, r * dim, dim), r, t, trueRow)) {
                better++;
            }
        }
        if (!present) {
            throw new IllegalArgumentException("image " + ids.get(trueRow) + " is not among the candidates");
        }
        return better;
    }

    /**
     * Whether a candidate (score {@code s}, row {@code r}) comes before another ({@code t}, {@code tr}) in retrieval
     * order: higher score first, equal scores by lower row. The one comparison both {@link #topK} and {@link #rank}
     * use, so they cannot disagree on ties.
     */
    static boolean precedes(float s, int r, float t, int tr) {
        return s > t || (s == t && r < tr);
    }

    /** Cosine similarity of a normalised query with one bank row. */
    public float score(float[] unitQuery, int row) {
        return dot(unitQuery, unit, row * dim, dim);
    }

    /** Dot product of {@code q[0..n)} with {@code v[off..off+n)}: eight independent partial sums, then a tail. */
    static float dot(float[] q, float[] v, int off, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (int end = n - 7; i < end; i += 8) {
            int o = off + i;
            s0 += q[i] * v[o];
            s1 += q[i + 1] * v[o + 1];
            s2 += q[i + 2] * v[o + 2];
            s3 += q[i + 3] * v[o + 3];
            s4 += q[i + 4] * v[o + 4];
            s5 += q[i + 5] * v[o + 5];
            s6 += q[i + 6] * v[o + 6];
            s7 += q[i + 7] * v[o + 7];
        }
        for (; i < n; i++) {
            s0 += q[i] * v[off + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** The straightforward loop, kept as the benchmark's baseline. */
    public static float naiveDot(float[] q, float[] v, int off, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += q[i] * v[off + i];
        }
        return s;
    }

    /**
     * Brute-force top-k with the naive loop and a stable full sort (equal scores: lower row first), a reference for
     * tests. Its scores can differ from {@link #topK}'s in the last bits (another summation order), so rows whose
     * scores are that close may come in another order; compare scores with a tolerance, not rows.
     */
    public int[] naiveTopK(float[] unitQuery, int k) {
        Integer[] order = new Integer[ids.size()];
        float[] s = new float[ids.size()];
        for (int r = 0; r < s.length; r++) {
            s[r] = naiveDot(unitQuery, unit, r * dim, dim);
            order[r] = r;
        }
        Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }

    static void normalise(float[] a, int off, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) a[off + i] * a[off + i];
        }
        if (ss > 0) {
            float inv = (float) (1.0 / Math.sqrt(ss));
            for (int i = 0; i < n; i++) {
                a[off + i] *= inv;
            }
        }
    }
}
