package io.mindstream.decoder.ridge;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RidgeFitTest {

    /** Rows of X and Y (already centred by the caller's choice of data) and the direct solve (XᵀX + αI)⁻¹XᵀY. */
    static double[] directSolve(float[] x, float[] y, int n, int p, int d, double alpha, float[] xMean, float[] yMean) {
        DMatrixRMaj xm = new DMatrixRMaj(n, p);
        DMatrixRMaj ym = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                xm.set(i, j, x[i * p + j] - xMean[j]);
            }
            for (int j = 0; j < d; j++) {
                ym.set(i, j, y[i * d + j] - yMean[j]);
            }
        }
        if (p > n) { // dual form: Xᵀ (XXᵀ + αI)⁻¹ Y, well conditioned when XᵀX is rank deficient
            DMatrixRMaj k = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransB(xm, xm, k);
            for (int i = 0; i < n; i++) {
                k.add(i, i, alpha);
            }
            DMatrixRMaj a = new DMatrixRMaj(n, d);
            assertTrue(CommonOps_DDRM.solve(k, ym, a));
            DMatrixRMaj w = new DMatrixRMaj(p, d);
            CommonOps_DDRM.multTransA(xm, a, w);
            return w.data;
        }
        DMatrixRMaj g = new DMatrixRMaj(p, p);
        CommonOps_DDRM.multTransA(xm, xm, g);
        for (int j = 0; j < p; j++) {
            g.add(j, j, alpha);
        }
        DMatrixRMaj xty = new DMatrixRMaj(p, d);
        CommonOps_DDRM.multTransA(xm, ym, xty);
        DMatrixRMaj w = new DMatrixRMaj(p, d);
        assertTrue(CommonOps_DDRM.solve(g, xty, w));
        return w.data;
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void primalAndDualFormsEqualTheDirectSolution() {
        Random r = new Random(1);
        for (int[] shape : new int[][]{{40, 12}, {12, 40}}) { // n > p: primal; p > n: dual (kernel)
            int n = shape[0], p = shape[1], d = 5;
            float[] x = random(r, n * p);
            float[] y = random(r, n * d);
            RidgeFit.Result res = RidgeFit.fit(x, y, n, p, d, new double[]{0.3}, s -> { });
            assertEquals(p >= n, res.dual());
            double[] expected = directSolve(x, y, n, p, d, res.alpha(), res.xMean(), res.yMean());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], res.denseWeights()[i], 1e-3 * (1 + Math.abs(expected[i])), "weight " + i + " " + n + "x" + p);
            }
        }
    }

    @Test
    void largeBlocksChooseAlphaOnASubsetAndSolveOnEveryEpoch() {
        Random r = new Random(4);
        int n = 70, p = 160, d = 4, limit = 30; // dual form, more epochs than the leave-one-out limit
        float[] x = random(r, n * p);
        float[] y = random(r, n * d);
        double[] grid = RidgeFit.defaultRelativeAlphas();
        RidgeFit.Result res = RidgeFit.fit(x, y, n, p, d, grid, limit, s -> { });
        assertTrue(res.dual());
        assertEquals(limit, res.looEpochs());
        // the alphas and scores are exactly those of fitting the subset on its own
        int[] rows = RidgeFit.looSubset(n, limit);
        float[] xs = new float[limit * p];
        float[] ys = new float[limit * d];
        for (int a = 0; a < limit; a++) {
            System.arraycopy(x, rows[a] * p, xs, a * p, p);
            System.arraycopy(y, rows[a] * d, ys, a * d, d);
        }
        RidgeFit.Result subset = RidgeFit.fit(xs, ys, limit, p, d, grid, s -> { });
        assertEquals(limit, subset.looEpochs());
        for (int a = 0; a < grid.length; a++) {
            assertEquals(subset.alphas()[a], res.alphas()[a], 1e-6 * subset.alphas()[a], "alpha " + a);
            // float features vs the double kernel block: rounding shows only at the near-interpolating tiny alphas
            assertEquals(subset.scores()[a], res.scores()[a], 1e-3, "score " + a);
        }
        assertEquals(subset.alpha(), res.alpha(), 1e-6 * subset.alpha());
        // ... and the weights are the direct solution on all 70 epochs at that alpha
        double[] expected = directSolve(x, y, n, p, d, res.alpha(), res.xMean(), res.yMean());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], res.denseWeights()[i], 1e-3 * (1 + Math.abs(expected[i])), "weight " + i);
        }
    }

    @Test
    void theLeaveOneOutSubsetIsAUniformSampleAndReproducible() {
        int[] a = RidgeFit.looSubset(10_000, 4000);
        assertArrayEquals(a, RidgeFit.looSubset(10_000, 4000));
        assertEquals(4000, java.util.Arrays.stream(a).distinct().count());
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i], "sorted, in range");
        }
        assertTrue(a[0] >= 0 && a[a.length - 1] < 10_000);
        // uniform: each tenth of the block holds about 400 of the 4000 (binomial s.d. ≈ 19)
        int[] perTenth = new int[10];
        for (int v : a) {
            perTenth[v / 1000]++;
        }
        for (int c : perTenth) {
            assertTrue(Math.abs(c - 400) < 100, java.util.Arrays.toString(perTenth));
        }
    }

    @Test
    void gramMatrixDoesNotDependOnTheThreadCount() {
        Random r = new Random(5);
        int n = 97, p = 5000; // several row and feature tiles, ragged at both ends
        float[] x = random(r, n * p);
        double[] parallel = Gram.xxt(x, n, p);
        double[] serial = java.util.concurrent.ForkJoinPool.commonPool().getParallelism() > 1
                ? new java.util.concurrent.ForkJoinPool(1).submit(() -> Gram.xxt(x, n, p)).join() : parallel;
        assertArrayEquals(serial, parallel, 0.0);
        for (int i = 0; i < n; i += 13) {
            for (int j = 0; j < n; j += 7) {
                double e = 0;
                for (int f = 0; f < p; f++) {
                    e += (double) x[i * p + f] * x[j * p + f];
                }
                assertEquals(e, parallel[i * n + j], 1e-3 * (1 + Math.abs(e)), i + "," + j);
            }
        }
    }

    @Test
    void leaveOneOutScoreEqualsRefittingWithoutEachTrial() {
        Random r = new Random(2);
        int n = 15, p = 25, d = 4;
        float[] x = random(r, n * p);
        float[] y = random(r, n * d);
        for (double rel : new double[]{1e-4, 0.5}) { // tiny alphas are where a wrong leverage shows most
            RidgeFit.Result res = RidgeFit.fit(x, y, n, p, d, new double[]{rel}, s -> { });
            // brute force: drop trial i, recompute the means without it, solve, predict i with those means
            double total = 0;
            for (int i = 0; i < n; i++) {
                float[] xs = new float[(n - 1) * p];
                float[] ys = new float[(n - 1) * d];
                for (int k = 0, row = 0; k < n; k++) {
                    if (k != i) {
                        System.arraycopy(x, k * p, xs, row * p, p);
                        System.arraycopy(y, k * d, ys, row * d, d);
                        row++;
                    }
                }
                float[] xm = means(xs, n - 1, p);
                float[] ym = means(ys, n - 1, d);
                double[] w = directSolve(xs, ys, n - 1, p, d, res.alpha(), xm, ym);
                double[] pred = new double[d];
                double[] truth = new double[d];
                for (int k = 0; k < d; k++) {
                    pred[k] = ym[k] - res.yMean()[k]; // centred with the full-data mean, as RidgeFit scores
                    for (int j = 0; j < p; j++) {
                        pred[k] += (x[i * p + j] - xm[j]) * w[j * d + k];
                    }
                    truth[k] = y[i * d + k] - res.yMean()[k];
                }
                total += pearson(pred, truth);
            }
            assertEquals(total / n, res.scores()[0], 1e-3, "relative alpha " + rel);
        }
    }

    static float[] means(float[] a, int n, int cols) {
        float[] m = new float[cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                m[j] += a[i * cols + j] / n;
            }
        }
        return m;
    }

    static double pearson(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void noisierTargetsChooseStrongerRegularisation() {
        Random r = new Random(3);
        int n = 50, p = 40, d = 30;
        float[] x = random(r, n * p);
        float[] w = random(r, p * d);
        float[] clean = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                for (int j = 0; j < p; j++) {
                    clean[i * d + k] += x[i * p + j] * w[j * d + k];
                }
            }
        }
        float[] noisy = clean.clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += 20 * (float) r.nextGaussian();
        }
        double[] grid = RidgeFit.defaultRelativeAlphas();
        RidgeFit.Result a = RidgeFit.fit(x, clean, n, p, d, grid, s -> { });
        RidgeFit.Result b = RidgeFit.fit(x, noisy, n, p, d, grid, s -> { });
        assertTrue(b.alpha() > a.alpha(), "noisy alpha " + b.alpha() + " should exceed clean alpha " + a.alpha());
    }

    @Test
    void calibratedModelSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Random r = new Random(4);
        int channels = 6, times = 10, dim = 8;
        RidgeCalibrator cal = new RidgeCalibrator(channels, times, 2, dim, true);
        for (int i = 0; i < 20; i++) {
            cal.add(random(r, channels * times), random(r, dim), "prep-1");
        }
        RidgeModel fitted = cal.fit(RidgeFit.defaultRelativeAlphas(), "test-bank", s -> { });
        Path file = dir.resolve("m.ridge");
        fitted.save(file);
        RidgeModel loaded = RidgeModel.load(file);
        assertEquals("prep-1", loaded.signature().preprocessingId());
        assertEquals(channels, loaded.signature().channels());
        assertEquals(2, loaded.timeBin());
        assertTrue(loaded.signature().modelId().startsWith("m.ridge@"));
        float[] probe = random(r, channels * times);
        assertArrayEquals(fitted.embed(List.of(probe))[0], loaded.embed(List.of(probe))[0]);
        // the batched path equals the one-epoch path
        float[] other = random(r, channels * times);
        float[][] batch = loaded.embed(List.of(probe, other));
        assertArrayEquals(loaded.embedOne(other, new float[dim]), batch[1], 1e-5f);
    }
    /**
     * Few trials, many features and outputs (the fMRI shape in miniature): the calibrator keeps the dual form's
     * factors, and they decode exactly as the dense weights multiplied out of them, before and after a save/load
     * (version 2 file), batched and one at a time.
     */
    @Test
    void factoredModelDecodesAsItsDenseWeights(@TempDir Path dir) throws Exception {
        Random r = new Random(9);
        int channels = 50, times = 6, dim = 64, n = 12;
        RidgeCalibrator cal = new RidgeCalibrator(channels, times, 1, dim, true);
        for (int i = 0; i < n; i++) {
            cal.add(random(r, channels * times), random(r, dim), "prep-f");
        }
        RidgeModel factored = cal.fit(new double[]{0.1}, "test-bank", s -> { });
        assertTrue(factored.isFactored(), "12 trials × (300 features + 64 outputs) < 300 × 64: factored");
        assertEquals(n, factored.header().path("rank").asInt());
        assertEquals(2, factored.header().path("version").asInt());

        int p = channels * times;
        float[] xs = new float[n * p];
        float[] ys = new float[n * dim];
        Random again = new Random(9);
        for (int i = 0; i < n; i++) {
            System.arraycopy(random(again, p), 0, xs, i * p, p);
            float[] t = random(again, dim);
            double ss = 0;
            for (float v : t) {
                ss += v * v;
            }
            for (int j = 0; j < dim; j++) {
                ys[i * dim + j] = (float) (t[j] / Math.sqrt(ss));
            }
        }
        RidgeFit.Result res = RidgeFit.fit(xs, ys, n, p, dim, new double[]{0.1}, s -> { });
        assertTrue(res.factored());
        RidgeModel dense = new RidgeModel("dense", factored.header(), res.xMean(), res.yMean(), res.denseWeights());
        assertEquals(1, dense.header().path("version").asInt());

        Path file = dir.resolve("f.ridge");
        factored.save(file);
        RidgeModel loaded = RidgeModel.load(file);
        assertTrue(loaded.isFactored());
        for (int k = 0; k < 3; k++) {
            float[] probe = random(r, p);
            float[] want = dense.embedOne(probe, new float[dim]);
            assertArrayEquals(want, factored.embedOne(probe, new float[dim]), 1e-4f);
            assertArrayEquals(want, loaded.embedOne(probe, new float[dim]), 1e-4f);
            float[][] batch = loaded.embed(List.of(random(r, p), probe));
            assertArrayEquals(want, batch[1], 1e-4f);
        }
        // a cut-off factored file is refused, naming it
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        Path cut = dir.resolve("cut.ridge");
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.mindstream.decoder.model.InvalidModelException.class,
                () -> RidgeModel.load(cut));
        assertTrue(e.getMessage().contains("cut.ridge") && e.getMessage().contains("truncated"), e.getMessage());
    }
}
