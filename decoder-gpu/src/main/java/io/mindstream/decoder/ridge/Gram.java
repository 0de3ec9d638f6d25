package io.mindstream.decoder.ridge;

import java.util.stream.IntStream;

/**
 * The kernel matrix {@code K = X Xᵀ} of the dual ridge form, for wide X (MEG epochs: tens of thousands of features).
 * EJML's general {@code multTransB} computes each entry as one serial chain of float additions and fills both
 * triangles; here each entry is an 8-way unrolled dot product (independent partial sums the JIT keeps in flight),
 * only the lower triangle is computed and mirrored, and the features are walked in cache-sized tiles so a block of
 * row segments is reused from cache. Results equal EJML's up to float summation order.
 */
final class Gram {

    private static final int FEATURE_TILE = 2048; // 8 KB per row segment
    private static final int ROW_TILE = 32;       // 32 × 8 KB: a block pair stays in L2

    private Gram() {
    }

    /**
     * Row-major n × n {@code X Xᵀ} of row-major n × p {@code x}, accumulated in double per tile. Row tiles run in
     * parallel (common fork-join pool): each writes only its own rows, and every entry still sums its feature tiles
     * in the same order, so the result does not depend on the thread count.
     */
    static double[] xxt(float[] x, int n, int p) {
        double[] k = new double[n * n];
        int rowTiles = (n + ROW_TILE - 1) / ROW_TILE;
        for (int f0 = 0; f0 < p; f0 += FEATURE_TILE) {
            int start = f0;
            int len = Math.min(FEATURE_TILE, p - f0);
            IntStream.range(0, rowTiles).parallel().forEach(tile -> lowerTriangleTile(x, n, p, k, tile * ROW_TILE,
                    start, len));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                k[j * n + i] = k[i * n + j];
            }
        }
        return k;
    }

    /** Rows i0 … i0 + ROW_TILE of the lower triangle, over features f0 … f0 + len. */
    private static void lowerTriangleTile(float[] x, int n, int p, double[] k, int i0, int f0, int len) {
        int i1 = Math.min(n, i0 + ROW_TILE);
        for (int j0 = 0; j0 <= i0; j0 += ROW_TILE) {
            int j1 = Math.min(n, j0 + ROW_TILE);
            for (int i = i0; i < i1; i++) {
                int jEnd = Math.min(j1, i + 1);
                for (int j = j0; j < jEnd; j++) {
                    k[i * n + j] += dot(x, i * p + f0, x, j * p + f0, len);
                }
            }
        }
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (int end = n - 7; i < end; i += 8) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
            s4 += a[ao + i + 4] * b[bo + i + 4];
            s5 += a[ao + i + 5] * b[bo + i + 5];
            s6 += a[ao + i + 6] * b[bo + i + 6];
            s7 += a[ao + i + 7] * b[bo + i + 7];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
