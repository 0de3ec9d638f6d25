package io.mindstream.decoder.ridge;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Ridge regression {@code W = argmin ‖XW − Y‖² + α‖W‖²} with alpha chosen by exact leave-one-out cross-validation,
 * all on EJML.
 *
 * <p>One symmetric eigendecomposition serves every alpha. With {@code X = U Σ Vᵀ} (thin SVD, {@code s = σ²}):
 * the hat matrix is {@code H(α) = U diag(s/(s+α)) Uᵀ}, the leave-one-out prediction of trial i is
 * {@code y_i − (y_i − (HY)_i) / (1 − H_ii)}, and the weights are {@code W = Xᵀ U diag(1/(s+α)) Uᵀ Y}. U and s come
 * from the n × n Gram matrix {@code XXᵀ} when features outnumber trials (the dual/kernel form: MEG epochs of
 * 272 × 181 = 49,232 features, fMRI maps of 10k+ voxels), and from the p × p matrix {@code XᵀX} otherwise, so the
 * decomposed matrix is always the smaller one.
 *
 * <p>Alpha grid: relative to the mean eigenvalue (trace/rank), so it does not depend on the data's scale; each alpha
 * is scored by the mean Pearson correlation between a trial's leave-one-out prediction and its target (what cosine
 * retrieval cares about, unlike raw MSE). X and Y are centred with their means (kept in the model): an unpenalised
 * intercept, whose leverage 1/n the leave-one-out formula includes, so it equals refitting without each trial,
 * means included.
 *
 * <p>Large calibration blocks (dual form, more than {@link #DEFAULT_LOO_LIMIT} epochs): the eigendecomposition grows
 * as n³ and EJML's is single-threaded — at 10,000 MEG epochs it alone runs for hours on one core. So alpha is
 * chosen by the same exact leave-one-out on a fixed random subset of that many epochs (its block of the kernel,
 * re-centred on the subset's means: exactly the kernel of the subset on its own), and the weights are then solved
 * on every epoch with that alpha by one Cholesky factorisation of {@code K + αI} (n³/3, cache-blocked). Alpha is
 * kept absolute: in the Bayesian reading of ridge it is noise over prior variance and does not scale with n.
 */
public final class RidgeFit {

    private static final Logger log = LoggerFactory.getLogger(RidgeFit.class);

    /** Default relative alpha grid: 10^-5 … 10^3 in half decades. */
    public static double[] defaultRelativeAlphas() {
        double[] a = new double[17];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.pow(10, -5 + 0.5 * i);
        }
        return a;
    }

    /**
     * The fitted result. The weights come in one of two forms, whichever is cheaper to apply
     * ({@link #factoredIsCheaper}): dense {@code weights} (p × d), or, in the dual form, the exact factorisation
     * {@code W = basisᵀ coef} with {@code basis} the centred training rows (n × p) and {@code coef} the dual
     * coefficients {@code A} (n × d) — the other pair is null.
     *
     * @param weights        p × d, row-major; null when factored
     * @param basis          n × p, row-major (the centred training features); null when dense
     * @param coef           n × d, row-major (the dual coefficients); null when dense
     * @param xMean          feature means (p)
     * @param yMean          target means (d)
     * @param alpha          chosen alpha (absolute)
     * @param alphas         the absolute grid tried
     * @param scores         leave-one-out mean correlation per alpha
     * @param dual           whether the n × n (kernel) form was used
     */
    public record Result(float[] weights, float[] basis, float[] coef, float[] xMean, float[] yMean, int features,
                         int outDim, double alpha, double[] alphas, double[] scores, boolean dual, int looEpochs) {

        public boolean factored() {
            return weights == null;
        }

        /** The p × d weights, multiplied out from the factors when the result is factored. */
        public float[] denseWeights() {
            if (weights != null) {
                return weights;
            }
            int n = coef.length / outDim;
            FMatrixRMaj w = new FMatrixRMaj(features, outDim);
            CommonOps_FDRM.multTransA(new FMatrixRMaj(n, features, true, basis), new FMatrixRMaj(n, outDim, true, coef),
                    w);
            return w.data;
        }
    }

    /**
     * Whether applying {@code W = Xᵀ A} as two products (n·p + n·d multiply-adds per epoch) costs less than the dense
     * p × d weights (p·d). For fMRI (p = 100k+ voxels, n = a few hundred trials, d = 768) it is several times less,
     * and the decoder streams n·p floats from memory per result instead of p·d (450 MB for a 64×64×36 volume):
     * the ridge's memory traffic, not arithmetic, is what a volume's decode time was made of.
     */
    public static boolean factoredIsCheaper(long n, long p, long d) {
        return n * (p + d) < p * d;
    }

    /** Above this many epochs (dual form) alpha is chosen on a random subset of this size (class comment). */
    public static final int DEFAULT_LOO_LIMIT = 4000;

    private RidgeFit() {
    }

    /**
     * Fits on {@code n} rows.
     *
     * @param x              n × p features, row-major (not modified)
     * @param y              n × d targets, row-major (not modified)
     * @param relativeAlphas grid, as multiples of the mean eigenvalue of the Gram matrix
     * @param progress       receives one line per step (for the CLI)
     */
    public static Result fit(float[] x, float[] y, int n, int p, int d, double[] relativeAlphas, Consumer<String> progress) {
        return fit(x, y, n, p, d, relativeAlphas, DEFAULT_LOO_LIMIT, progress);
    }

    /**
     * As {@link #fit(float[], float[], int, int, int, double[], Consumer)}, choosing alpha on a random subset of
     * {@code looLimit} epochs when the dual form has more.
     */
    public static Result fit(float[] x, float[] y, int n, int p, int d, double[] relativeAlphas, int looLimit,
                             Consumer<String> progress) {
        if (n < 3) {
            throw new IllegalArgumentException("ridge needs at least 3 labelled epochs, got " + n);
        }
        if ((long) n * p != x.length || (long) n * d != y.length) {
            throw new IllegalArgumentException("X holds " + x.length + " and Y " + y.length + " values for " + n
                    + " rows of " + p + " features and " + d + " targets");
        }
        long t0 = System.nanoTime();
        float[] xMean = new float[p];
        float[] yMean = new float[d];
        FMatrixRMaj xc = new FMatrixRMaj(n, p);
        centre(x, n, p, xMean, xc.data);
        DMatrixRMaj yc = new DMatrixRMaj(n, d);
        float[] ycf = new float[n * d];
        centre(y, n, d, yMean, ycf);
        for (int i = 0; i < ycf.length; i++) {
            yc.data[i] = ycf[i];
        }

        boolean dual = p >= n;
        int m = dual ? n : p;
        DMatrixRMaj g = new DMatrixRMaj(m, m);
        if (dual) {
            g.data = Gram.xxt(xc.data, n, p);           // K = X Xᵀ
            doubleCentre(g.data, n);
        } else {
            FMatrixRMaj gram = new FMatrixRMaj(m, m);
            CommonOps_FDRM.multTransA(xc, xc, gram);    // G = Xᵀ X
            for (int i = 0; i < gram.data.length; i++) {
                g.data[i] = gram.data[i];
            }
        }
        progress.accept(String.format(java.util.Locale.ROOT, "gram matrix %d × %d (%s form) in %.1f s", m, m,
                dual ? "dual/kernel" : "primal", (System.nanoTime() - t0) / 1e9));
        if (dual && n > looLimit) {
            return fitLarge(xc, yc, g, n, p, d, relativeAlphas, looLimit, xMean, yMean, progress, t0);
        }
        Selection sel = selectAlpha(g, dual, xc, yc, n, p, d, relativeAlphas, progress, t0);
        double alpha = sel.alpha();
        // W = Xᵀ U diag(1/(s+α)) Uᵀ Y = Xᵀ A
        double[] inv = new double[sel.s().length];
        for (int k = 0; k < inv.length; k++) {
            inv[k] = sel.s()[k] > 0 ? 1 / (sel.s()[k] + alpha) : 0;
        }
        DMatrixRMaj scaled = new DMatrixRMaj(inv.length, d);
        scaleRows(sel.uty(), inv, scaled);
        DMatrixRMaj coef = new DMatrixRMaj(n, d);
        CommonOps_DDRM.mult(sel.u(), scaled, coef);
        progress.accept(String.format(java.util.Locale.ROOT, "chose alpha %.4g (leave-one-out correlation %.4f); "
                + "fit took %.1f s", alpha, sel.scores()[sel.best()], (System.nanoTime() - t0) / 1e9));
        log.debug("ridge n={} p={} d={} dual={} alpha={}", n, p, d, dual, alpha);
        return result(xc, coef, n, p, d, dual, xMean, yMean, alpha, sel.alphas(), sel.scores(), n);
    }

    /** The weights in the cheaper form: in the dual form with few trials, {@code Xᵀ} and {@code A} as they are. */
    private static Result result(FMatrixRMaj xc, DMatrixRMaj coef, int n, int p, int d, boolean dual, float[] xMean,
                                 float[] yMean, double alpha, double[] alphas, double[] scores, int looEpochs) {
        if (dual && factoredIsCheaper(n, p, d)) {
            float[] a = new float[n * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) coef.data[i];
            }
            return new Result(null, xc.data, a, xMean, yMean, p, d, alpha, alphas, scores, true, looEpochs);
        }
        return new Result(weights(xc, coef, p, d), null, null, xMean, yMean, p, d, alpha, alphas, scores, dual,
                looEpochs);
    }

    /**
     * What leave-one-out chose, and the spectrum it was computed from: {@code U} (n × m), the eigenvalues {@code s}
     * and {@code UᵀY}.
     */
    private record Selection(DMatrixRMaj u, double[] s, DMatrixRMaj uty, double[] alphas, double[] scores, int best) {
        double alpha() {
            return alphas[best];
        }
    }

    /**
     * Eigendecomposes {@code g} (the centred n × n kernel in the dual form, XᵀX otherwise; overwritten) and scores
     * every alpha of the grid by exact leave-one-out.
     */
    private static Selection selectAlpha(DMatrixRMaj g, boolean dual, FMatrixRMaj xc, DMatrixRMaj yc, int n, int p,
                                         int d, double[] relativeAlphas, Consumer<String> progress, long t0) {
        int m = g.numRows;
        // symmetrise (float rounding) before the symmetric eigensolver
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double v = 0.5 * (g.get(i, j) + g.get(j, i));
                g.set(i, j, v);
                g.set(j, i, v);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(g)) {
            throw new IllegalStateException("eigendecomposition of the " + m + " × " + m + " Gram matrix failed");
        }
        double[] s = new double[m];
        double sMax = 0;
        for (int k = 0; k < m; k++) {
            sMax = Math.max(sMax, eig.getEigenvalue(k).real);
        }
        DMatrixRMaj vecs = new DMatrixRMaj(m, m); // columns = eigenvectors
        for (int k = 0; k < m; k++) {
            double ev = eig.getEigenvalue(k).real;
            s[k] = ev > 1e-12 * sMax ? ev : 0; // rounding-level eigenvalues are the null space (e.g. centring's)
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < m; i++) {
                vecs.set(i, k, v == null ? 0 : v.get(i));
            }
        }
        progress.accept(String.format(java.util.Locale.ROOT, "eigendecomposition done in %.1f s",
                (System.nanoTime() - t0) / 1e9));
        // U (n × m): in the dual form the eigenvectors themselves; in the primal form X V / σ
        DMatrixRMaj u;
        if (dual) {
            u = vecs;
        } else {
            u = new DMatrixRMaj(n, m);
            DMatrixRMaj xd = new DMatrixRMaj(n, p);
            for (int i = 0; i < xc.data.length; i++) {
                xd.data[i] = xc.data[i];
            }
            CommonOps_DDRM.mult(xd, vecs, u);
            for (int k = 0; k < m; k++) {
                double inv = s[k] > 1e-12 ? 1 / Math.sqrt(s[k]) : 0;
                for (int i = 0; i < n; i++) {
                    u.set(i, k, u.get(i, k) * inv);
                }
                if (inv == 0) {
                    s[k] = 0;
                }
            }
        }
        double meanEig = Arrays.stream(s).sum() / Math.max(1, Arrays.stream(s).filter(v -> v > 0).count());
        DMatrixRMaj uty = new DMatrixRMaj(m, d);
        CommonOps_DDRM.multTransA(u, yc, uty);     // Uᵀ Y
        double[] uu = new double[n * m];           // U_ik², for the diagonal of H
        for (int i = 0; i < uu.length; i++) {
            uu[i] = u.data[i] * u.data[i];
        }

        double[] alphas = new double[relativeAlphas.length];
        double[] scores = new double[relativeAlphas.length];
        int best = 0;
        DMatrixRMaj scaled = new DMatrixRMaj(m, d);
        DMatrixRMaj fitted = new DMatrixRMaj(n, d);
        for (int a = 0; a < alphas.length; a++) {
            double alpha = relativeAlphas[a] * meanEig;
            alphas[a] = alpha;
            double[] shrink = new double[m];
            for (int k = 0; k < m; k++) {
                shrink[k] = s[k] / (s[k] + alpha);
            }
            scaleRows(uty, shrink, scaled);
            CommonOps_DDRM.mult(u, scaled, fitted); // H Y
            double total = 0;
            double[] loo = new double[d];
            for (int i = 0; i < n; i++) {
                // the unpenalised intercept (X and Y are centred) adds leverage 1/n to every trial: without it the
                // centring's null direction would make 1 − H_ii ≥ 1/n and the held-out prediction leak y_i at small α
                double h = 1.0 / n;
                for (int k = 0; k < m; k++) {
                    h += uu[i * m + k] * shrink[k];
                }
                double f = 1 / Math.max(1e-9, 1 - h);
                for (int j = 0; j < d; j++) {
                    double yi = yc.data[i * d + j];
                    loo[j] = yi - (yi - fitted.data[i * d + j]) * f;
                }
                total += correlation(loo, yc.data, i * d, d);
            }
            scores[a] = total / n;
            if (scores[a] > scores[best]) {
                best = a;
            }
            progress.accept(String.format(java.util.Locale.ROOT, "alpha %.3g (%.3g × mean eigenvalue): "
                    + "leave-one-out correlation %.4f", alpha, relativeAlphas[a], scores[a]));
        }
        if (alphas.length > 1 && (best == 0 || best == alphas.length - 1)) {
            progress.accept("warning: the best alpha is at the " + (best == 0 ? "low" : "high") + " end of the grid; "
                    + "consider extending it (--alphas)");
        }
        return new Selection(u, s, uty, alphas, scores, best);
    }

    /** {@code W = Xᵀ A} (p × d) from the dual coefficients A (n × d). */
    private static float[] weights(FMatrixRMaj xc, DMatrixRMaj coef, int p, int d) {
        FMatrixRMaj coefF = new FMatrixRMaj(coef.numRows, d);
        for (int i = 0; i < coef.data.length; i++) {
            coefF.data[i] = (float) coef.data[i];
        }
        FMatrixRMaj w = new FMatrixRMaj(p, d);
        CommonOps_FDRM.multTransA(xc, coefF, w);
        return w.data;
    }

    /** The fixed subset of epochs whose leave-one-out picks alpha for a block of n > limit epochs (sorted rows). */
    static int[] looSubset(int n, int limit) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        SplittableRandom r = new SplittableRandom(0x5EED ^ n); // same block size, same subset: reproducible fits
        for (int i = 0; i < limit; i++) { // partial Fisher–Yates: the first `limit` entries are a uniform sample
            int j = i + r.nextInt(n - i);
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
        int[] subset = Arrays.copyOf(rows, limit);
        Arrays.sort(subset);
        return subset;
    }

    /** Dual form, n > looLimit: alpha by exact leave-one-out on a subset, weights by Cholesky on all epochs. */
    private static Result fitLarge(FMatrixRMaj xc, DMatrixRMaj yc, DMatrixRMaj k, int n, int p, int d,
                                   double[] relativeAlphas, int looLimit, float[] xMean, float[] yMean,
                                   Consumer<String> progress, long t0) {
        int[] rows = looSubset(n, looLimit);
        int m = rows.length;
        // the subset's kernel block, re-centred on the subset: exactly the kernel of the subset on its own, taken
        // from the Gram matrix already in hand rather than computed from the features again
        DMatrixRMaj sub = new DMatrixRMaj(m, m);
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                sub.data[a * m + b] = k.data[rows[a] * n + rows[b]];
            }
        }
        doubleCentre(sub.data, m);
        DMatrixRMaj ys = new DMatrixRMaj(m, d);
        double[] ysMean = new double[d];
        for (int a = 0; a < m; a++) {
            for (int j = 0; j < d; j++) {
                ysMean[j] += yc.data[rows[a] * d + j] / m;
            }
        }
        for (int a = 0; a < m; a++) {
            for (int j = 0; j < d; j++) {
                ys.data[a * d + j] = yc.data[rows[a] * d + j] - ysMean[j];
            }
        }
        progress.accept(String.format(java.util.Locale.ROOT, "%d epochs: choosing alpha by leave-one-out on a random "
                + "subset of %d (the full eigendecomposition would grow as n³)", n, m));
        Selection chosen = selectAlpha(sub, true, null, ys, m, p, d, relativeAlphas, progress, t0);
        double alpha = chosen.alpha();
        // (K + αI) A = Y by Cholesky; K is the centred n × n kernel (positive semi-definite, so K + αI is definite)
        for (int i = 0; i < n; i++) {
            k.data[i * n + i] += alpha;
        }
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(n); // cache-blocked above 1,000 rows
        if (!chol.setA(k)) {
            throw new IllegalStateException("Cholesky factorisation of the " + n + " × " + n + " kernel + alpha failed");
        }
        DMatrixRMaj coef = new DMatrixRMaj(n, d);
        chol.solve(yc, coef);
        progress.accept(String.format(java.util.Locale.ROOT, "solved (K + alpha I) A = Y on all %d epochs in %.1f s",
                n, (System.nanoTime() - t0) / 1e9));
        progress.accept(String.format(java.util.Locale.ROOT, "chose alpha %.4g (leave-one-out correlation %.4f on %d "
                + "epochs); fit took %.1f s", alpha, chosen.scores()[chosen.best()], m, (System.nanoTime() - t0) / 1e9));
        log.debug("ridge n={} p={} d={} dual=true alpha={} looSubset={}", n, p, d, alpha, m);
        return result(xc, coef, n, p, d, true, xMean, yMean, alpha, chosen.alphas(), chosen.scores(), m);
    }

    private static void centre(float[] src, int n, int cols, float[] mean, float[] dst) {
        double[] acc = new double[cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                acc[j] += src[i * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] = (float) (acc[j] / n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                dst[i * cols + j] = src[i * cols + j] - mean[j];
            }
        }
    }

    /**
     * Makes the kernel of centred data exactly centred in double precision ({@code K − row means − column means +
     * grand mean}): the float products leave the constant vector — the null direction centring creates — with a
     * rounding-level eigenvalue instead of zero, which at small alphas would be mistaken for signal.
     */
    private static void doubleCentre(double[] k, int n) {
        double[] rowMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += k[i * n + j];
            }
            rowMean[i] = sum / n;
            grand += rowMean[i];
        }
        grand /= n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i * n + j] += grand - rowMean[i] - rowMean[j]; // symmetric: column means equal row means
            }
        }
    }

    private static void scaleRows(DMatrixRMaj src, double[] factor, DMatrixRMaj dst) {
        int cols = src.numCols;
        for (int k = 0; k < src.numRows; k++) {
            double f = factor[k];
            for (int j = 0; j < cols; j++) {
                dst.data[k * cols + j] = src.data[k * cols + j] * f;
            }
        }
    }

    private static double correlation(double[] a, double[] b, int off, int d) {
        double ma = 0, mb = 0;
        for (int j = 0; j < d; j++) {
            ma += a[j];
            mb += b[off + j];
        }
        ma /= d;
        mb /= d;
        double sab = 0, saa = 0, sbb = 0;
        for (int j = 0; j < d; j++) {
            double x = a[j] - ma, y = b[off + j] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
    }
}
