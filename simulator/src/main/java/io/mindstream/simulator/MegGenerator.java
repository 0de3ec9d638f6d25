package io.mindstream.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns the model into samples. Every sample is a fixed linear mix of a few dozen source time courses plus
 * per-sensor terms:
 * <pre>
 *   meg[t, c] = Σ_s G[c, s] · src[t, s] + sensorNoise[t, c] + transients[t, c],   zeroed inside dropouts
 *   sources   = evoked (K) | 1/f background (B) | alpha (3) | mains cos/sin per harmonic (6)
 * </pre>
 * Everything except the 1/f background is a pure function of the sample index (counter-based random numbers,
 * closed-form bursts, events looked up by time). The background is a bank of first-order recursive filters
 * (sum of Lorentzians with corner frequencies spread geometrically from 0.1 to 200 Hz and weights f_c^(−β/2), which
 * approximates 1/f^β), whose state is checkpointed every {@value #CHECKPOINT_SAMPLES} samples: a request that does not
 * continue where the last one stopped restarts from the nearest checkpoint and replays the filters (cheap: no mixing).
 * So the same sample index always yields the same values, however the stream is chunked or revisited.
 */
final class MegGenerator {

    static final int CHECKPOINT_SAMPLES = 12_000;
    static final int SECTIONS = 8;
    static final int ALPHA_SOURCES = 3;
    static final int HARMONICS = 3;
    private static final double ALPHA_BURST_PROBABILITY = 0.6;
    private static final double UNIFORM16_SCALE = Math.sqrt(12.0) / 65536.0;
    private static final double ARTEFACT_WINDOW_SECONDS = 10.0;

    private final SimulationConfig cfg;
    private final SensorLayout layout;
    private final EvokedModel evoked;
    private final Paradigm paradigm;
    private final int channels;
    private final double fs;

    // source layout in the mixing matrix
    private final int offBackground, offAlpha, offLine, sources;
    private final float[] mixing; // channels × sources, row-major
    private final float[] mixingBySource; // sources × channels: the layout the mixing loop reads

    // 1/f background filters
    private final int bgSources;
    private final double[] bgA;   // per section: pole
    private final double[] bgB;   // per section: input gain
    private final long[] bgKeys;  // per (source, section)
    private final double[] bgState;
    private long bgCursor;
    private final List<double[]> checkpoints = new ArrayList<>();

    private final long alphaKey, sensorKey, dropoutKey, transientKey;
    private final double[] alphaFreqHarm; // line harmonic frequencies
    private final long[] trialOnsetSample;
    private final double evokedGain;
    private final double evokedRmsUnit;
    private final double noiseRms;

    private float[] scratch = new float[0];

    MegGenerator(SimulationConfig cfg, SensorLayout layout, EvokedModel evoked, Paradigm paradigm) {
        this.cfg = cfg;
        this.layout = layout;
        this.evoked = evoked;
        this.paradigm = paradigm;
        this.channels = layout.channelCount();
        this.fs = cfg.sampleRate();
        SplittableRandom rnd = new SplittableRandom(CounterRandom.streamKey(cfg.seed(), 4004));
        ForwardModel forward = new ForwardModel(layout);
        int k = evoked.k;
        bgSources = cfg.backgroundSources();
        offBackground = k;
        offAlpha = offBackground + bgSources;
        offLine = offAlpha + ALPHA_SOURCES;
        sources = offLine + 2 * HARMONICS;
        mixing = new float[channels * sources];

        // evoked columns (unit RMS), scaled below once the SNR gain is known
        double[][] evokedGains = new double[k][];
        for (int s = 0; s < k; s++) {
            evokedGains[s] = forward.gains(evoked.dipoles[s]);
        }
        // background: random tangential dipoles anywhere under the helmet; columns scaled so the channel-mean
        // variance of the background equals backgroundAmplitude²
        double bgScale = cfg.backgroundAmplitude() / Math.sqrt(bgSources);
        for (int s = 0; s < bgSources; s++) {
            double[] g = forward.gains(ForwardModel.randomDipole(rnd, 0, 115, 0, 180, true));
            for (int c = 0; c < channels; c++) {
                mixing[c * sources + offBackground + s] = (float) (g[c] * bgScale);
            }
        }
        for (int a = 0; a < ALPHA_SOURCES; a++) {
            double[] g = forward.gains(ForwardModel.randomDipole(rnd, 60, 100, 140, 180, true));
            for (int c = 0; c < channels; c++) {
                mixing[c * sources + offAlpha + a] = (float) (g[c] * cfg.alphaAmplitude());
            }
        }
        // mains: nearly uniform over the helmet with a smooth gradient in amplitude and phase per harmonic
        alphaFreqHarm = new double[HARMONICS];
        for (int h = 0; h < HARMONICS; h++) {
            alphaFreqHarm[h] = cfg.lineFrequency() * (h + 1);
            double amp = cfg.lineAmplitude() * Math.sqrt(2) / (1 << h);
            double[] u = unit(rnd), v = unit(rnd);
            double phase0 = 2 * Math.PI * rnd.nextDouble();
            for (int c = 0; c < channels; c++) {
                double[] n = layout.normal(c);
                double gain = 1 + 0.4 * (n[0] * u[0] + n[1] * u[1] + n[2] * u[2]);
                double phase = phase0 + 0.3 * (n[0] * v[0] + n[1] * v[1] + n[2] * v[2]);
                mixing[c * sources + offLine + 2 * h] = (float) (amp * gain * Math.cos(phase));
                mixing[c * sources + offLine + 2 * h + 1] = (float) (-amp * gain * Math.sin(phase));
            }
        }

        // 1/f^β filter bank
        bgA = new double[SECTIONS];
        bgB = new double[SECTIONS];
        double fLo = 0.1, fHi = Math.min(200, fs / 4);
        double var = 0;
        for (int j = 0; j < SECTIONS; j++) {
            double fc = fLo * Math.pow(fHi / fLo, j / (double) (SECTIONS - 1));
            double a = Math.exp(-2 * Math.PI * fc / fs);
            double g = Math.pow(fc, -cfg.backgroundBeta() / 2);
            bgA[j] = a;
            bgB[j] = (1 - a) * g;
            var += g * g * (1 - a) / (1 + a);
        }
        double norm = 1 / Math.sqrt(var);
        for (int j = 0; j < SECTIONS; j++) {
            bgB[j] *= norm; // each background source has unit variance
        }
        bgKeys = new long[bgSources * SECTIONS / 4];
        for (int i = 0; i < bgKeys.length; i++) {
            bgKeys[i] = CounterRandom.streamKey(cfg.seed(), 10_000 + i);
        }
        // start in the filters' stationary distribution so there is no warm-up transient at sample 0
        bgState = new double[bgSources * SECTIONS];
        long initKey = CounterRandom.streamKey(cfg.seed(), 5005);
        for (int i = 0; i < bgState.length; i++) {
            int j = i % SECTIONS;
            double sd = bgB[j] / (1 - bgA[j]) * Math.sqrt((1 - bgA[j]) / (1 + bgA[j]));
            bgState[i] = sd * CounterRandom.gauss(initKey, i);
        }
        bgCursor = 0;
        checkpoints.add(bgState.clone());

        alphaKey = CounterRandom.streamKey(cfg.seed(), 6006);
        sensorKey = CounterRandom.streamKey(cfg.seed(), 7007);
        dropoutKey = CounterRandom.streamKey(cfg.seed(), 8008);
        transientKey = CounterRandom.streamKey(cfg.seed(), 9009);

        trialOnsetSample = new long[paradigm.events.size()];
        for (int i = 0; i < trialOnsetSample.length; i++) {
            trialOnsetSample[i] = paradigm.events.get(i).onsetSample(fs);
        }

        // SNR: RMS of a single trial's noise-free evoked field over channels and 0–1 s, at unit source gain
        evokedRmsUnit = evokedRms(evokedGains);
        noiseRms = Math.sqrt(cfg.backgroundAmplitude() * cfg.backgroundAmplitude()
                + cfg.sensorNoise() * cfg.sensorNoise());
        evokedGain = evokedRmsUnit > 0 ? cfg.snr() * noiseRms / evokedRmsUnit : 0;
        for (int s = 0; s < k; s++) {
            for (int c = 0; c < channels; c++) {
                mixing[c * sources + s] = (float) (evokedGains[s][c] * evokedGain);
            }
        }
        mixingBySource = new float[sources * channels];
        for (int s = 0; s < sources; s++) {
            for (int c = 0; c < channels; c++) {
                mixingBySource[s * channels + c] = mixing[c * sources + s];
            }
        }
    }

    private double evokedRms(double[][] gains) {
        int k = evoked.k;
        int n = Math.min(evoked.amplitudes.length / k, 48);
        int window = (int) Math.min(evoked.length, Math.round(fs));
        double ss = 0;
        long count = 0;
        double[] src = new double[k];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < window; t += 6) { // 5 ms steps: the narrowest waveform has σ ≥ 10 ms
                for (int s = 0; s < k; s++) {
                    src[s] = evoked.amplitudes[i * k + s] * evoked.waveforms[s * evoked.length + t];
                }
                for (int c = 0; c < channels; c++) {
                    double y = 0;
                    for (int s = 0; s < k; s++) {
                        y += gains[s][c] * src[s];
                    }
                    ss += y * y;
                    count++;
                }
            }
        }
        return count == 0 ? 0 : Math.sqrt(ss / count);
    }

    private static double[] unit(SplittableRandom rnd) {
        double x = rnd.nextGaussian(), y = rnd.nextGaussian(), z = rnd.nextGaussian();
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[]{x / n, y / n, z / n};
    }

    double evokedGain() {
        return evokedGain;
    }

    double noiseRms() {
        return noiseRms;
    }

    double evokedRmsUnit() {
        return evokedRmsUnit;
    }

    int sourceCount() {
        return sources;
    }

    /** Fills {@code dst[i * channels + c]} for samples firstSample .. firstSample + n − 1. */
    void generate(long firstSample, int n, float[] dst) {
        if (firstSample < 0) {
            throw new IllegalArgumentException("firstSample " + firstSample + " is negative");
        }
        if (n < 0 || (long) n * channels > dst.length) {
            throw new IllegalArgumentException("destination holds " + dst.length + " values, " + n + " samples × "
                    + channels + " channels requested");
        }
        if (n == 0) {
            return;
        }
        int need = n * sources;
        if (scratch.length < need) {
            scratch = new float[need];
        }
        float[] src = scratch;
        Arrays.fill(src, 0, need, 0f);
        background(firstSample, n, src);
        if (cfg.alphaAmplitude() > 0) {
            alpha(firstSample, n, src);
        }
        if (cfg.lineAmplitude() > 0 && cfg.lineFrequency() > 0) {
            line(firstSample, n, src);
        }
        if (evokedGain > 0) {
            evoked(firstSample, n, src);
        }
        mix(firstSample, n, src, dst);
        if (cfg.transientsPerHour() > 0 && cfg.transientAmplitude() > 0) {
            transients(firstSample, n, dst);
        }
        if (cfg.dropoutsPerHour() > 0) {
            dropouts(firstSample, n, dst);
        }
    }

    // ---- 1/f background ---------------------------------------------------------------------------------------

    private void background(long first, int n, float[] src) {
        seekBackground(first);
        for (int i = 0; i < n; i++) {
            stepBackground(src, i * sources + offBackground);
        }
    }

    private void seekBackground(long sample) {
        if (sample != bgCursor) {
            int k = (int) Math.min(sample / CHECKPOINT_SAMPLES, checkpoints.size() - 1);
            long cp = (long) k * CHECKPOINT_SAMPLES;
            if (sample < bgCursor || cp > bgCursor) {
                System.arraycopy(checkpoints.get(k), 0, bgState, 0, bgState.length);
                bgCursor = cp;
            }
            while (bgCursor < sample) {
                stepBackground(null, 0);
            }
        }
    }

    /** Advances the filters by one sample (the one at bgCursor), writing the source values if src is given. */
    private void stepBackground(float[] src, int off) {
        if (bgCursor % CHECKPOINT_SAMPLES == 0 && bgCursor / CHECKPOINT_SAMPLES == checkpoints.size()) {
            checkpoints.add(bgState.clone());
        }
        long idx = bgCursor;
        double[] st = bgState;
        for (int s = 0, p = 0; s < bgSources; s++) {
            double sum = 0;
            long h = 0;
            for (int j = 0; j < SECTIONS; j++, p++) {
                // one 64-bit draw feeds four sections with 16-bit uniform innovations (unit variance): after the
                // recursive filters the output is Gaussian by the central limit theorem, at a quarter of the cost
                if ((j & 3) == 0) {
                    h = CounterRandom.bits(bgKeys[p >> 2], idx);
                }
                double x = (((h >>> ((j & 3) << 4)) & 0xFFFF) - 32767.5) * UNIFORM16_SCALE;
                double y = bgA[j] * st[p] + bgB[j] * x;
                st[p] = y;
                sum += y;
            }
            if (src != null) {
                src[off + s] = (float) sum;
            }
        }
        bgCursor++;
    }

    // ---- alpha bursts -----------------------------------------------------------------------------------------

    private void alpha(long first, int n, float[] src) {
        long window = Math.round(fs); // one candidate burst per source per second
        long last = first + n;
        for (int a = 0; a < ALPHA_SOURCES; a++) {
            for (long w = Math.max(0, first / window - 3); w <= (last - 1) / window; w++) {
                long base = (w * ALPHA_SOURCES + a) * 8;
                if (CounterRandom.uniform(alphaKey, base) >= ALPHA_BURST_PROBABILITY) {
                    continue;
                }
                long start = w * window + (long) (CounterRandom.uniform(alphaKey, base + 1) * window);
                double dur = (0.3 + 0.9 * CounterRandom.uniform(alphaKey, base + 2)) * fs;
                double freq = 8 + 4 * CounterRandom.uniform(alphaKey, base + 3);
                double phase = 2 * Math.PI * CounterRandom.uniform(alphaKey, base + 4);
                double amp = 0.5 + CounterRandom.uniform(alphaKey, base + 5);
                long end = start + (long) dur;
                long from = Math.max(first, start), to = Math.min(last, end);
                double omega = 2 * Math.PI * freq / fs;
                for (long t = from; t < to; t++) {
                    double u = (t - start) / dur;
                    double env = Math.sin(Math.PI * u);
                    src[(int) (t - first) * sources + offAlpha + a] +=
                            (float) (amp * env * env * Math.sin(omega * (t - start) + phase));
                }
            }
        }
    }

    // ---- mains ------------------------------------------------------------------------------------------------

    private void line(long first, int n, float[] src) {
        for (int h = 0; h < HARMONICS; h++) {
            double cyclesPerSample = alphaFreqHarm[h] / fs;
            for (int i = 0; i < n; i++) {
                double cyc = cyclesPerSample * (first + i);
                double ph = 2 * Math.PI * (cyc - Math.floor(cyc));
                int o = i * sources + offLine + 2 * h;
                src[o] = (float) Math.cos(ph);
                src[o + 1] = (float) Math.sin(ph);
            }
        }
    }

    // ---- evoked -----------------------------------------------------------------------------------------------

    private void evoked(long first, int n, float[] src) {
        int len = evoked.length;
        int k = evoked.k;
        long last = first + n;
        // first trial whose response could still be running at `first`
        int lo = Arrays.binarySearch(trialOnsetSample, first - len + 1);
        if (lo < 0) {
            lo = -lo - 1;
        }
        while (lo > 0 && trialOnsetSample[lo - 1] > first - len) {
            lo--;
        }
        for (int tr = lo; tr < trialOnsetSample.length && trialOnsetSample[tr] < last; tr++) {
            long onset = trialOnsetSample[tr];
            if (onset + len <= first) {
                continue;
            }
            int stim = paradigm.stimulusIndex[tr];
            float gain = paradigm.trialGain[tr];
            long from = Math.max(first, onset), to = Math.min(last, onset + len);
            for (int s = 0; s < k; s++) {
                float amp = evoked.amplitudes[stim * k + s] * gain;
                int wo = s * len;
                for (long t = from; t < to; t++) {
                    src[(int) (t - first) * sources + s] += amp * evoked.waveforms[wo + (int) (t - onset)];
                }
            }
        }
    }

    // ---- sensor mix + white sensor noise ----------------------------------------------------------------------

    /**
     * dst row = Σ_s src[s] · column_s + sensor noise. Written as one 272-wide multiply-add per source over the
     * source-major copy of the mixing matrix: the inner loop has no reduction, so the JIT vectorises it.
     */
    private void mix(long first, int n, float[] src, float[] dst) {
        float[] g = mixingBySource;
        int s = sources;
        int ch = channels;
        double noise = cfg.sensorNoise();
        for (int i = 0; i < n; i++) {
            int so = i * s;
            int dOff = i * ch;
            if (noise > 0) {
                long sampleBase = (first + i) * ch;
                for (int c = 0; c < ch; c++) {
                    dst[dOff + c] = (float) (noise * CounterRandom.gauss(sensorKey, sampleBase + c));
                }
            } else {
                Arrays.fill(dst, dOff, dOff + ch, 0f);
            }
            for (int j = 0; j < s; j++) {
                float v = src[so + j];
                if (v == 0f) {
                    continue;
                }
                int go = j * ch;
                for (int c = 0; c < ch; c++) {
                    dst[dOff + c] += v * g[go + c];
                }
            }
        }
    }

    // ---- artefacts --------------------------------------------------------------------------------------------

    private long artefactWindow() {
        return Math.round(ARTEFACT_WINDOW_SECONDS * fs);
    }

    /** Dropout (start, length) in window w, or null. */
    long[] dropoutIn(long w) {
        double p = cfg.dropoutsPerHour() * ARTEFACT_WINDOW_SECONDS / 3600.0;
        if (CounterRandom.uniform(dropoutKey, 4 * w) >= p) {
            return null;
        }
        long win = artefactWindow();
        long len = Math.round((0.03 + 0.16 * CounterRandom.uniform(dropoutKey, 4 * w + 2)) * fs);
        long start = w * win + (long) (CounterRandom.uniform(dropoutKey, 4 * w + 1) * (win - len));
        return new long[]{start, len};
    }

    private void dropouts(long first, int n, float[] dst) {
        long win = artefactWindow();
        long last = first + n;
        for (long w = first / win; w <= (last - 1) / win; w++) {
            long[] d = dropoutIn(w);
            if (d == null) {
                continue;
            }
            long from = Math.max(first, d[0]), to = Math.min(last, d[0] + d[1]);
            if (from < to) {
                Arrays.fill(dst, (int) (from - first) * channels, (int) (to - first) * channels, 0f);
            }
        }
    }

    /** Transient {start, centreChannel, riseSamples, amplitude} in window w, or null. */
    double[] transientIn(long w) {
        double p = cfg.transientsPerHour() * ARTEFACT_WINDOW_SECONDS / 3600.0;
        if (CounterRandom.uniform(transientKey, 8 * w) >= p) {
            return null;
        }
        long win = artefactWindow();
        double rise = (0.005 + 0.02 * CounterRandom.uniform(transientKey, 8 * w + 3)) * fs;
        long start = w * win + (long) (CounterRandom.uniform(transientKey, 8 * w + 1) * (win - 12 * rise));
        int centre = (int) (CounterRandom.uniform(transientKey, 8 * w + 2) * channels);
        double sign = CounterRandom.uniform(transientKey, 8 * w + 4) < 0.5 ? -1 : 1;
        double amp = sign * cfg.transientAmplitude() * (0.5 + CounterRandom.uniform(transientKey, 8 * w + 5));
        return new double[]{start, centre, rise, amp};
    }

    private void transients(long first, int n, float[] dst) {
        long win = artefactWindow();
        long last = first + n;
        for (long w = Math.max(0, first / win - 1); w <= (last - 1) / win; w++) {
            double[] tr = transientIn(w);
            if (tr == null) {
                continue;
            }
            long start = (long) tr[0];
            int centre = (int) tr[1];
            double rise = tr[2], amp = tr[3];
            long end = start + (long) Math.ceil(12 * rise);
            long from = Math.max(first, start), to = Math.min(last, end);
            if (from >= to) {
                continue;
            }
            double cx = layout.x(centre), cy = layout.y(centre), cz = layout.z(centre);
            for (int c = 0; c < channels; c++) {
                double dx = layout.x(c) - cx, dy = layout.y(c) - cy, dz = layout.z(c) - cz;
                double spatial = Math.exp(-(dx * dx + dy * dy + dz * dz) / (2 * 0.03 * 0.03));
                if (spatial < 1e-3) {
                    continue;
                }
                for (long t = from; t < to; t++) {
                    double u = (t - start) / rise;
                    dst[(int) (t - first) * channels + c] += (float) (amp * spatial * u * Math.exp(1 - u));
                }
            }
        }
    }
}
