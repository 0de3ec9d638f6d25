package io.mindstream.simulator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One float32 vector per TR: each voxel is a baseline (≈100, arbitrary scanner units) plus the canonical
 * double-gamma HRF (SPM: peak ≈ 5 s, undershoot ≈ 15 s) convolved with every trial's image response, plus a slow
 * drift and white noise of standard deviation 1. An image's response is a 32-d feature vector (a second fixed random
 * tanh network of its latent, standardised), mapped to voxels by a fixed random pattern matrix; 70 % of voxels
 * respond. {@code fmriSnr} sets the response's standard deviation relative to the noise (approximately, for the
 * paradigm's mean SOA). Volume j is acquired at {@code j × TR} seconds on the MEG sample clock. Pure function of
 * (seed, volume index): any volume can be generated in any order.
 */
final class FmriGenerator {

    static final int FEATURES = 32;
    static final double HRF_SECONDS = 32.0;

    private final SimulationConfig cfg;
    private final Paradigm paradigm;
    private final int voxels;
    private final float[] patterns;   // voxels × FEATURES
    private final float[] baseline;   // voxels
    private final float[] driftAmp;   // voxels
    private final float[] driftPeriod;
    private final float[] driftPhase;
    private final float[] features;   // stimuli × FEATURES
    private final double signalScale;
    private final long noiseKey;
    private final double[] onsets;

    FmriGenerator(SimulationConfig cfg, StimulusSet images, Paradigm paradigm) {
        this.cfg = cfg;
        this.paradigm = paradigm;
        this.voxels = cfg.fmriVoxels();
        SplittableRandom rnd = new SplittableRandom(CounterRandom.streamKey(cfg.seed(), 12_012));
        patterns = new float[voxels * FEATURES];
        baseline = new float[voxels];
        driftAmp = new float[voxels];
        driftPeriod = new float[voxels];
        driftPhase = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            baseline[v] = (float) (100 + 20 * (rnd.nextDouble() - 0.5));
            driftAmp[v] = (float) (0.5 * rnd.nextDouble());
            driftPeriod[v] = (float) (100 + 200 * rnd.nextDouble());
            driftPhase[v] = (float) (2 * Math.PI * rnd.nextDouble());
            if (rnd.nextDouble() < 0.7) {
                double ss = 0;
                for (int f = 0; f < FEATURES; f++) {
                    double w = rnd.nextGaussian();
                    patterns[v * FEATURES + f] = (float) w;
                    ss += w * w;
                }
                double inv = 1 / Math.sqrt(ss);
                for (int f = 0; f < FEATURES; f++) {
                    patterns[v * FEATURES + f] *= (float) inv;
                }
            }
        }
        int d = images.latentDim;
        int n = images.concept.length;
        double[] w = new double[FEATURES * d];
        double[] b = new double[FEATURES];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian() * 1.5;
        }
        for (int f = 0; f < FEATURES; f++) {
            b[f] = rnd.nextGaussian() * 0.3;
        }
        double[] raw = new double[n * FEATURES];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < FEATURES; f++) {
                double a = b[f];
                for (int j = 0; j < d; j++) {
                    a += w[f * d + j] * images.latents[i * d + j];
                }
                raw[i * FEATURES + f] = cfg.nonlinear() ? Math.tanh(a) : a;
            }
        }
        features = new float[n * FEATURES];
        int m = Math.max(1, images.bankCount);
        for (int f = 0; f < FEATURES; f++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < m; i++) {
                mean += raw[i * FEATURES + f];
            }
            mean /= m;
            for (int i = 0; i < m; i++) {
                sq += (raw[i * FEATURES + f] - mean) * (raw[i * FEATURES + f] - mean);
            }
            double inv = sq > 0 ? 1 / Math.sqrt(sq / m) : 0;
            for (int i = 0; i < n; i++) {
                features[i * FEATURES + f] = (float) ((raw[i * FEATURES + f] - mean) * inv);
            }
        }
        // With unit-variance features, unit-norm patterns and one trial per mean SOA, the response variance is
        // ≈ ∫hrf² dt / SOA; scale it to fmriSnr² (noise variance 1).
        double soa = cfg.imageSeconds() + cfg.isiMeanSeconds();
        double energy = 0;
        double dt = 0.01;
        for (double t = 0; t < HRF_SECONDS; t += dt) {
            double h = hrf(t);
            energy += h * h * dt;
        }
        signalScale = cfg.fmriSnr() / Math.sqrt(energy / soa);
        noiseKey = CounterRandom.streamKey(cfg.seed(), 13_013);
        onsets = new double[paradigm.events.size()];
        for (int i = 0; i < onsets.length; i++) {
            onsets[i] = paradigm.events.get(i).onsetSeconds();
        }
    }

    private static final double HRF_PEAK = hrfPeak();

    /** SPM's canonical HRF (difference of gammas 6 and 16, ratio 1/6), peak normalised to 1. */
    static double hrf(double t) {
        return rawHrf(t) / HRF_PEAK;
    }

    private static double rawHrf(double t) {
        if (t <= 0) {
            return 0;
        }
        double peak = Math.pow(t, 5) * Math.exp(-t) / 120.0;             // Γ(6)
        double under = Math.pow(t, 15) * Math.exp(-t) / 1.307674368e12; // Γ(16)
        return peak - under / 6.0;
    }

    private static double hrfPeak() {
        double best = 0;
        for (double t = 0; t < HRF_SECONDS; t += 0.001) {
            best = Math.max(best, rawHrf(t));
        }
        return best;
    }

    int voxels() {
        return voxels;
    }

    void generate(long volume, float[] dst) {
        if (volume < 0) {
            throw new IllegalArgumentException("volume " + volume + " is negative");
        }
        if (dst.length < voxels) {
            throw new IllegalArgumentException("destination holds " + dst.length + " values, " + voxels
                    + " voxels needed");
        }
        double t = volume * cfg.fmriTr();
        double[] acc = new double[FEATURES];
        int lo = Arrays.binarySearch(onsets, t - HRF_SECONDS);
        if (lo < 0) {
            lo = -lo - 1;
        }
        for (int tr = lo; tr < onsets.length && onsets[tr] < t; tr++) {
            double h = hrf(t - onsets[tr]) * paradigm.trialGain[tr];
            int fo = paradigm.stimulusIndex[tr] * FEATURES;
            for (int f = 0; f < FEATURES; f++) {
                acc[f] += h * features[fo + f];
            }
        }
        float[] a = new float[FEATURES];
        for (int f = 0; f < FEATURES; f++) {
            a[f] = (float) (acc[f] * signalScale);
        }
        long base = volume * voxels;
        for (int v = 0; v < voxels; v++) {
            int po = v * FEATURES;
            float s = 0;
            for (int f = 0; f < FEATURES; f++) {
                s += patterns[po + f] * a[f];
            }
            double drift = driftAmp[v] * Math.cos(2 * Math.PI * t / driftPeriod[v] + driftPhase[v]);
            dst[v] = (float) (baseline[v] + s + drift + CounterRandom.gauss(noiseKey, base + v));
        }
    }
}
