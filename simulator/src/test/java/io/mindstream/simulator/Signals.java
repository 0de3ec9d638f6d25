package io.mindstream.simulator;

/** Small signal-analysis helpers for the simulator tests: Welch PSD by radix-2 FFT, band power, log-log slope. */
final class Signals {

    private Signals() {
    }

    /** In-place radix-2 FFT; n must be a power of two. */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(ang * k), wi = Math.sin(ang * k);
                    int a = i + k, b = i + k + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
            }
        }
    }

    /** Welch PSD (Hann window, 50 % overlap) of x; returns power per bin, bin k at k·fs/n. */
    static double[] welch(double[] x, int n) {
        double[] psd = new double[n / 2 + 1];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        }
        int segs = 0;
        for (int start = 0; start + n <= x.length; start += n / 2) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[start + i];
            }
            mean /= n;
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = (x[start + i] - mean) * w[i];
            }
            fft(re, im);
            for (int k = 0; k <= n / 2; k++) {
                psd[k] += re[k] * re[k] + im[k] * im[k];
            }
            segs++;
        }
        for (int k = 0; k < psd.length; k++) {
            psd[k] /= Math.max(1, segs);
        }
        return psd;
    }

    /** Mean PSD over channels, from a sample-major block. */
    static double[] channelMeanPsd(float[] data, int channels, int samples, int n, int channelStep) {
        double[] acc = null;
        int used = 0;
        double[] x = new double[samples];
        for (int c = 0; c < channels; c += channelStep) {
            for (int i = 0; i < samples; i++) {
                x[i] = data[i * channels + c];
            }
            double[] p = welch(x, n);
            if (acc == null) {
                acc = p;
            } else {
                for (int k = 0; k < p.length; k++) {
                    acc[k] += p[k];
                }
            }
            used++;
        }
        for (int k = 0; k < acc.length; k++) {
            acc[k] /= used;
        }
        return acc;
    }

    static double bandPower(double[] psd, double fs, int n, double lo, double hi) {
        double s = 0;
        int cnt = 0;
        for (int k = 0; k < psd.length; k++) {
            double f = k * fs / n;
            if (f >= lo && f <= hi) {
                s += psd[k];
                cnt++;
            }
        }
        return s / Math.max(1, cnt);
    }

    /** Least-squares slope of log10(psd) against log10(f) over [lo, hi] Hz. */
    static double logLogSlope(double[] psd, double fs, int n, double lo, double hi) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int m = 0;
        for (int k = 1; k < psd.length; k++) {
            double f = k * fs / n;
            if (f >= lo && f <= hi) {
                double lx = Math.log10(f), ly = Math.log10(psd[k]);
                sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
                m++;
            }
        }
        return (m * sxy - sx * sy) / (m * sxx - sx * sx);
    }
}
