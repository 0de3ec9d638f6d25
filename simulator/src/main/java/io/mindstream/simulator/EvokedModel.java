package io.mindstream.simulator;

import java.util.SplittableRandom;

/**
 * The stimulus-locked part of the model: K sources in four groups with distinct latencies, each with a fixed
 * waveform and an image-dependent amplitude.
 * <ul>
 *   <li><b>early</b> (≈30 %): occipital, biphasic, peak 95–110 ms, onset ≈ 75–90 ms; amplitude from the full image
 *       latent (image-specific, "low-level");</li>
 *   <li><b>category</b> (≈30 %): ventral occipito-temporal, peak 150–250 ms; amplitude from the concept centroid only
 *       (the same for all exemplars of a concept);</li>
 *   <li><b>sustained</b> (≈20 %): parieto-temporal, rises from 150–200 ms and lasts to ≈1 s; image latent;</li>
 *   <li><b>offset</b> (≈20 %): occipital transient ≈100 ms after image offset; image latent.</li>
 * </ul>
 * Amplitude of source k for image i: {@code common_k + s_k(i)}, where s_k is the output of a fixed random network
 * (tanh hidden layer of 64 units, or a linear map when {@code nonlinear = false}) standardised over the bank images
 * to mean 0, standard deviation 1, and common_k (|common_k| in 0.6..1) is the image-independent evoked field.
 */
final class EvokedModel {

    static final String[] GROUPS = {"early", "category", "sustained", "offset"};
    static final int HIDDEN = 64;

    final int k;
    final int length;           // samples per response
    final int[] group;          // per source: index into GROUPS
    final double[] peakSeconds; // per source: latency of the waveform's peak
    final float[] waveforms;    // K × length, unit peak
    final float[] amplitudes;   // stimuli × K
    final double[][] dipoles;   // per source: {x, y, z, qx, qy, qz}

    EvokedModel(SimulationConfig cfg, StimulusSet images) {
        SplittableRandom rnd = new SplittableRandom(CounterRandom.streamKey(cfg.seed(), 3003));
        k = cfg.evokedSources();
        double fs = cfg.sampleRate();
        length = (int) Math.round(cfg.responseSeconds() * fs);
        group = new int[k];
        int nEarly = Math.max(1, k * 3 / 10), nCat = Math.max(1, k * 3 / 10), nOff = Math.max(1, k / 5);
        for (int s = 0; s < k; s++) {
            group[s] = s < nEarly ? 0 : s < nEarly + nCat ? 1 : s < k - nOff ? 2 : 3;
        }
        peakSeconds = new double[k];
        waveforms = new float[k * length];
        dipoles = new double[k][];
        for (int s = 0; s < k; s++) {
            double[] w = new double[length];
            switch (group[s]) {
                case 0 -> {
                    double p = 0.095 + 0.015 * rnd.nextDouble();
                    double sd = 0.010 + 0.003 * rnd.nextDouble();
                    for (int i = 0; i < length; i++) {
                        double t = i / fs;
                        w[i] = gauss(t - p, sd) - 0.45 * gauss(t - p - 0.045, 1.5 * sd);
                    }
                    peakSeconds[s] = p;
                    dipoles[s] = ForwardModel.randomDipole(rnd, 90, 112, 150, 180, true);
                }
                case 1 -> {
                    double p = 0.150 + 0.100 * rnd.nextDouble();
                    double sd = 0.020 + 0.015 * rnd.nextDouble();
                    for (int i = 0; i < length; i++) {
                        w[i] = gauss(i / fs - p, sd);
                    }
                    peakSeconds[s] = p;
                    dipoles[s] = ForwardModel.randomDipole(rnd, 98, 115, 115, 150, true);
                }
                case 2 -> {
                    double start = 0.150 + 0.050 * rnd.nextDouble();
                    double fall = 0.800 + 0.080 * rnd.nextDouble();
                    double ramp = 0.150;
                    for (int i = 0; i < length; i++) {
                        double t = i / fs;
                        double up = clamp01((t - start) / ramp);
                        double down = 1 - clamp01((t - fall) / ramp);
                        w[i] = 0.7 * raisedCosine(up) * raisedCosine(down);
                    }
                    peakSeconds[s] = start + ramp;
                    dipoles[s] = ForwardModel.randomDipole(rnd, 50, 100, 95, 165, true);
                }
                default -> {
                    double p = cfg.imageSeconds() + 0.090 + 0.020 * rnd.nextDouble();
                    double sd = 0.012 + 0.006 * rnd.nextDouble();
                    for (int i = 0; i < length; i++) {
                        w[i] = gauss(i / fs - p, sd);
                    }
                    peakSeconds[s] = p;
                    dipoles[s] = ForwardModel.randomDipole(rnd, 85, 110, 150, 180, true);
                }
            }
            // taper the last 50 ms so every response ends at exactly zero
            int taper = (int) Math.round(0.05 * fs);
            for (int i = 0; i < taper && i < length; i++) {
                w[length - 1 - i] *= raisedCosine((double) i / taper);
            }
            double sign = rnd.nextBoolean() ? 1 : -1;
            for (int i = 0; i < length; i++) {
                waveforms[s * length + i] = (float) (sign * w[i]);
            }
        }
        amplitudes = amplitudes(cfg, images, rnd);
    }

    private float[] amplitudes(SimulationConfig cfg, StimulusSet images, SplittableRandom rnd) {
        int d = images.latentDim;
        int n = images.concept.length;
        double[] w1 = new double[HIDDEN * d];
        double[] b1 = new double[HIDDEN];
        double[] w2 = new double[k * HIDDEN];
        double[] lin = new double[k * d];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = rnd.nextGaussian() * 2.0; // latents are unit norm: pre-activations have sd ≈ 2, tanh saturates
        }
        for (int i = 0; i < HIDDEN; i++) {
            b1[i] = rnd.nextGaussian() * 0.5;
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = rnd.nextGaussian() / Math.sqrt(HIDDEN);
        }
        for (int i = 0; i < lin.length; i++) {
            lin[i] = rnd.nextGaussian();
        }
        double[] common = new double[k];
        for (int s = 0; s < k; s++) {
            common[s] = (rnd.nextBoolean() ? 1 : -1) * (0.6 + 0.4 * rnd.nextDouble());
        }
        double[] raw = new double[n * k];
        double[] xImage = new double[d];
        double[] xConcept = new double[d];
        double[] hImage = new double[HIDDEN];
        double[] hConcept = new double[HIDDEN];
        for (int i = 0; i < n; i++) {
            // category sources see only the concept; the others see the image (catch images: their own latent)
            for (int j = 0; j < d; j++) {
                xImage[j] = images.latents[i * d + j];
                xConcept[j] = images.concept[i] >= 0 ? images.conceptCentroids[images.concept[i] * d + j] : xImage[j];
            }
            if (cfg.nonlinear()) {
                hidden(w1, b1, xImage, hImage, d);
                hidden(w1, b1, xConcept, hConcept, d);
            }
            for (int s = 0; s < k; s++) {
                boolean conceptOnly = group[s] == 1;
                double v = 0;
                if (cfg.nonlinear()) {
                    double[] h = conceptOnly ? hConcept : hImage;
                    for (int u = 0; u < HIDDEN; u++) {
                        v += w2[s * HIDDEN + u] * h[u];
                    }
                } else {
                    double[] x = conceptOnly ? xConcept : xImage;
                    for (int j = 0; j < d; j++) {
                        v += lin[s * d + j] * x[j];
                    }
                }
                raw[i * k + s] = v;
            }
        }
        // standardise over the bank images (catch images use the same transform)
        float[] out = new float[n * k];
        int m = Math.max(1, images.bankCount);
        for (int s = 0; s < k; s++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < m; i++) {
                mean += raw[i * k + s];
            }
            mean /= m;
            for (int i = 0; i < m; i++) {
                double e = raw[i * k + s] - mean;
                sq += e * e;
            }
            double sd = Math.sqrt(sq / m);
            double inv = sd > 1e-12 ? 1 / sd : 0;
            for (int i = 0; i < n; i++) {
                out[i * k + s] = (float) (common[s] + (raw[i * k + s] - mean) * inv);
            }
        }
        return out;
    }

    private static void hidden(double[] w1, double[] b1, double[] x, double[] h, int d) {
        for (int u = 0; u < HIDDEN; u++) {
            double a = b1[u];
            for (int j = 0; j < d; j++) {
                a += w1[u * d + j] * x[j];
            }
            h[u] = Math.tanh(a);
        }
    }

    private static double gauss(double x, double sd) {
        return Math.exp(-0.5 * x * x / (sd * sd));
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    private static double raisedCosine(double u) {
        return 0.5 - 0.5 * Math.cos(Math.PI * u);
    }
}
