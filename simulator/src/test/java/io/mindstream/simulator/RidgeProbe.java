package io.mindstream.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal MEG → embedding ridge decoder (dual form) with retrieval scoring, used by the tests to check that the
 * SNR dial means what docs/simulator.md says. Epochs: −0.2…0.8 s, boxcar-decimated ×10, baseline-corrected.
 */
final class RidgeProbe {

    record Result(double top1Single, double top5Single, double top1Averaged, double top5Averaged, int candidates) {
    }

    static final double TMIN = -0.2, TMAX = 0.8;
    static final int DECIM = 10;

    static float[] epoch(SimulatedSubject s, StimulusEvent ev, float[] buf) {
        int c = s.channelCount();
        double fs = s.sampleRate();
        long onset = ev.onsetSample(fs);
        int pre = (int) Math.round(-TMIN * fs), post = (int) Math.round(TMAX * fs);
        int n = pre + post;
        s.generateMeg(onset - pre, n, buf);
        int t = n / DECIM;
        int tb = pre / DECIM;
        float[] out = new float[c * (t - tb)];
        for (int ch = 0; ch < c; ch++) {
            double[] dec = new double[t];
            for (int i = 0; i < t; i++) {
                double a = 0;
                for (int j = 0; j < DECIM; j++) {
                    a += buf[(i * DECIM + j) * c + ch];
                }
                dec[i] = a / DECIM;
            }
            double base = 0;
            for (int i = 0; i < tb; i++) {
                base += dec[i];
            }
            base /= tb;
            for (int i = tb; i < t; i++) {
                double v = dec[i] - base;
                // clamp like the real pipeline's robust-scaler clip, in fT (artefacts)
                v = Math.max(-3000, Math.min(3000, v));
                out[ch * (t - tb) + (i - tb)] = (float) v;
            }
        }
        return out;
    }

    static Result run(SimulatedSubject s, double lambdaScale) {
        double fs = s.sampleRate();
        float[] buf = new float[(int) Math.round((TMAX - TMIN) * fs) * s.channelCount()];
        List<float[]> trainX = new ArrayList<>();
        List<String> trainIds = new ArrayList<>();
        Map<String, List<float[]>> testX = new HashMap<>();
        for (StimulusEvent ev : s.schedule()) {
            if (ev.catchTrial()) {
                continue;
            }
            float[] x = epoch(s, ev, buf);
            if (StimulusEvent.TRAIN.equals(ev.split())) {
                trainX.add(x);
                trainIds.add(ev.imageId());
            } else {
                testX.computeIfAbsent(ev.imageId(), k -> new ArrayList<>()).add(x);
            }
        }
        int n = trainX.size(), p = trainX.get(0).length;
        double[] mean = new double[p];
        for (float[] x : trainX) {
            for (int j = 0; j < p; j++) {
                mean[j] += x[j];
            }
        }
        for (int j = 0; j < p; j++) {
            mean[j] /= n;
        }
        double[][] xc = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                xc[i][j] = trainX.get(i)[j] - mean[j];
            }
        }
        double[][] k = new double[n][n];
        double tr = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double d = 0;
                for (int q = 0; q < p; q++) {
                    d += xc[i][q] * xc[j][q];
                }
                k[i][j] = k[j][i] = d;
            }
            tr += k[i][i];
        }
        double lambda = lambdaScale * tr / n;
        for (int i = 0; i < n; i++) {
            k[i][i] += lambda;
        }
        int dim = s.embeddingDim();
        float[] emb = s.embeddings();
        List<String> ids = s.imageIds();
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            row.put(ids.get(i), i);
        }
        double[][] y = new double[n][dim];
        for (int i = 0; i < n; i++) {
            int r = row.get(trainIds.get(i));
            for (int d = 0; d < dim; d++) {
                y[i][d] = emb[r * dim + d];
            }
        }
        double[][] alpha = solve(k, y);
        List<String> testIds = new ArrayList<>(testX.keySet());
        java.util.Collections.sort(testIds);
        int hit1 = 0, hit5 = 0, hit1a = 0, hit5a = 0, single = 0;
        for (String id : testIds) {
            List<float[]> reps = testX.get(id);
            double[] avg = new double[p];
            for (float[] x : reps) {
                double[] xd = new double[p];
                for (int j = 0; j < p; j++) {
                    xd[j] = x[j];
                    avg[j] += x[j] / reps.size();
                }
                int rank = rank(predict(xd, mean, xc, alpha, dim), id, testIds, emb, row, dim);
                hit1 += rank < 1 ? 1 : 0;
                hit5 += rank < 5 ? 1 : 0;
                single++;
            }
            int rank = rank(predict(avg, mean, xc, alpha, dim), id, testIds, emb, row, dim);
            hit1a += rank < 1 ? 1 : 0;
            hit5a += rank < 5 ? 1 : 0;
        }
        return new Result((double) hit1 / single, (double) hit5 / single, (double) hit1a / testIds.size(),
                (double) hit5a / testIds.size(), testIds.size());
    }

    private static double[] predict(double[] x, double[] mean, double[][] xc, double[][] alpha, int dim) {
        int n = xc.length, p = mean.length;
        double[] out = new double[dim];
        for (int i = 0; i < n; i++) {
            double kx = 0;
            for (int j = 0; j < p; j++) {
                kx += (x[j] - mean[j]) * xc[i][j];
            }
            for (int d = 0; d < dim; d++) {
                out[d] += kx * alpha[i][d];
            }
        }
        return out;
    }

    private static int rank(double[] pred, String truth, List<String> candidates, float[] emb,
                            Map<String, Integer> row, int dim) {
        double own = cosine(pred, emb, row.get(truth), dim);
        int better = 0;
        for (String c : candidates) {
            if (!c.equals(truth) && cosine(pred, emb, row.get(c), dim) > own) {
                better++;
            }
        }
        return better;
    }

    private static double cosine(double[] a, float[] emb, int r, int dim) {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < dim; i++) {
            double b = emb[r * dim + i];
            d += a[i] * b;
            na += a[i] * a[i];
            nb += b * b;
        }
        return d / Math.sqrt(na * nb + 1e-30);
    }

    /** Solves A X = B for symmetric positive definite A (Cholesky). */
    static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int q = 0; q < j; q++) {
                    s -= l[i][q] * l[j][q];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        int m = b[0].length;
        double[][] x = new double[n][m];
        for (int c = 0; c < m; c++) {
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i][c];
                for (int q = 0; q < i; q++) {
                    s -= l[i][q] * z[q];
                }
                z[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = z[i];
                for (int q = i + 1; q < n; q++) {
                    s -= l[q][i] * x[q][c];
                }
                x[i][c] = s / l[i][i];
            }
        }
        return x;
    }
}
