package io.mindstream.processor.dsp;

import java.util.ArrayList;
import java.util.List;

/**
 * Digital IIR designs as second-order sections, following scipy.signal's recipe step by step (analog prototype →
 * frequency transform → bilinear transform with pre-warping, {@code fs = 2} normalisation) so that the transfer
 * functions are the ones {@code scipy.signal.butter/cheby1/iirnotch} return; the reference vectors in the tests check
 * the outputs against scipy.
 */
public final class FilterDesign {

    private static final double FS2 = 4.0; // 2 * fs with scipy's fs = 2 normalisation

    private FilterDesign() {
    }

    /** Butterworth band-pass {@code low … high} Hz of prototype order {@code order} (2·order poles). */
    public static List<Biquad> butterworthBandPass(int order, double lowHz, double highHz, double fs) {
        checkBand(lowHz, highHz, fs);
        double lo = warp(lowHz, fs);
        double hi = warp(highHz, fs);
        double bw = hi - lo;
        double wo = Math.sqrt(lo * hi);
        List<Complex> poles = new ArrayList<>();
        for (Complex p : butterworthPrototype(order)) {
            Complex half = p.times(bw / 2);
            Complex root = half.times(half).minus(Complex.real(wo * wo)).sqrt();
            poles.add(half.plus(root));
            poles.add(half.minus(root));
        }
        double k = Math.pow(bw, order);
        // analog zeros: order zeros at s = 0 → digital z = +1; the other order zeros (at infinity) → z = -1
        List<Double> zeros = new ArrayList<>();
        for (int i = 0; i < order; i++) {
            zeros.add(1.0);
            zeros.add(-1.0);
        }
        double gain = k * Math.pow(FS2, order) / prodFs2Minus(poles);
        return toSections(bilinear(poles), zeros, gain);
    }

    /** Butterworth low-pass. */
    public static List<Biquad> butterworthLowPass(int order, double cutoffHz, double fs) {
        checkBand(cutoffHz / 2, cutoffHz, fs);
        double wo = warp(cutoffHz, fs);
        List<Complex> poles = new ArrayList<>();
        for (Complex p : butterworthPrototype(order)) {
            poles.add(p.times(wo));
        }
        double k = Math.pow(wo, order);
        List<Double> zeros = new ArrayList<>();
        for (int i = 0; i < order; i++) {
            zeros.add(-1.0);
        }
        return toSections(bilinear(poles), zeros, k / prodFs2Minus(poles));
    }

    /** Butterworth high-pass. */
    public static List<Biquad> butterworthHighPass(int order, double cutoffHz, double fs) {
        checkBand(cutoffHz, cutoffHz, fs);
        double wo = warp(cutoffHz, fs);
        List<Complex> poles = new ArrayList<>();
        Complex prodMinusP = Complex.ONE;
        for (Complex p : butterworthPrototype(order)) {
            poles.add(Complex.real(wo).div(p));
            prodMinusP = prodMinusP.times(p.times(-1));
        }
        double k = 1.0 / prodMinusP.re();
        List<Double> zeros = new ArrayList<>();
        for (int i = 0; i < order; i++) {
            zeros.add(1.0);
        }
        return toSections(bilinear(poles), zeros, k * Math.pow(FS2, order) / prodFs2Minus(poles));
    }

    /**
     * Chebyshev type I low-pass ({@code scipy.signal.cheby1(order, rippleDb, cutoff)}); {@code cheby1(8, 0.05,
     * 0.8/q)} is the anti-aliasing filter of {@code scipy.signal.decimate}.
     */
    public static List<Biquad> chebyshev1LowPass(int order, double rippleDb, double cutoffHz, double fs) {
        checkBand(cutoffHz / 2, cutoffHz, fs);
        double eps = Math.sqrt(Math.pow(10, 0.1 * rippleDb) - 1);
        double mu = asinh(1 / eps) / order;
        List<Complex> proto = new ArrayList<>();
        Complex prodMinusP = Complex.ONE;
        for (int m = -order + 1; m < order; m += 2) {
            double theta = Math.PI * m / (2.0 * order);
            // p = -sinh(mu + i theta)
            Complex p = new Complex(-Math.sinh(mu) * Math.cos(theta), -Math.cosh(mu) * Math.sin(theta));
            proto.add(p);
            prodMinusP = prodMinusP.times(p.times(-1));
        }
        double k = prodMinusP.re();
        if (order % 2 == 0) {
            k /= Math.sqrt(1 + eps * eps);
        }
        double wo = warp(cutoffHz, fs);
        List<Complex> poles = new ArrayList<>();
        for (Complex p : proto) {
            poles.add(p.times(wo));
        }
        k *= Math.pow(wo, order);
        List<Double> zeros = new ArrayList<>();
        for (int i = 0; i < order; i++) {
            zeros.add(-1.0);
        }
        return toSections(bilinear(poles), zeros, k / prodFs2Minus(poles));
    }

    /** Second-order notch at {@code f0} with quality factor {@code q}: {@code scipy.signal.iirnotch(f0, q, fs)}. */
    public static Biquad notch(double f0, double q, double fs) {
        if (!(f0 > 0 && f0 < fs / 2) || !(q > 0)) {
            throw new IllegalArgumentException("notch needs 0 < f0 < fs/2 and q > 0, got f0=" + f0 + " q=" + q
                    + " fs=" + fs);
        }
        double w0 = f0 / (fs / 2);
        double bw = w0 / q;
        double beta = Math.tan(bw * Math.PI / 2);
        double gain = 1 / (1 + beta);
        double c = Math.cos(w0 * Math.PI);
        return new Biquad(gain, -2 * c * gain, gain, -2 * gain * c, 2 * gain - 1);
    }

    private static List<Complex> butterworthPrototype(int order) {
        if (order < 1 || order > 12) {
            throw new IllegalArgumentException("filter order must be 1…12, got " + order);
        }
        List<Complex> poles = new ArrayList<>();
        for (int m = -order + 1; m < order; m += 2) {
            double a = Math.PI * m / (2.0 * order);
            poles.add(new Complex(-Math.cos(a), -Math.sin(a)));
        }
        return poles;
    }

    private static double warp(double hz, double fs) {
        return FS2 * Math.tan(Math.PI * hz / fs);
    }

    private static void checkBand(double lowHz, double highHz, double fs) {
        if (!(lowHz > 0 && highHz >= lowHz && highHz < fs / 2)) {
            throw new IllegalArgumentException("filter band " + lowHz + "…" + highHz + " Hz is not inside (0, "
                    + fs / 2 + ") Hz for a sampling rate of " + fs + " Hz");
        }
    }

    private static double prodFs2Minus(List<Complex> poles) {
        Complex prod = Complex.ONE;
        for (Complex p : poles) {
            prod = prod.times(Complex.real(FS2).minus(p));
        }
        return prod.re();
    }

    private static List<Complex> bilinear(List<Complex> analogPoles) {
        List<Complex> out = new ArrayList<>(analogPoles.size());
        for (Complex p : analogPoles) {
            out.add(Complex.real(FS2).plus(p).div(Complex.real(FS2).minus(p)));
        }
        return out;
    }

    /** Pairs conjugate poles (and leftover real poles) into sections; the overall gain goes into the first one. */
    private static List<Biquad> toSections(List<Complex> poles, List<Double> zeros, double gain) {
        List<double[]> denominators = new ArrayList<>();
        List<Double> reals = new ArrayList<>();
        for (Complex p : poles) {
            if (Math.abs(p.im()) > 1e-14) {
                if (p.im() > 0) {
                    denominators.add(new double[]{-2 * p.re(), p.abs2()});
                }
            } else {
                reals.add(p.re());
            }
        }
        for (int i = 0; i + 1 < reals.size(); i += 2) {
            denominators.add(new double[]{-(reals.get(i) + reals.get(i + 1)), reals.get(i) * reals.get(i + 1)});
        }
        boolean single = reals.size() % 2 == 1;
        if (single) {
            denominators.add(new double[]{-reals.get(reals.size() - 1), 0});
        }
        List<Biquad> sections = new ArrayList<>();
        int zi = 0;
        for (int s = 0; s < denominators.size(); s++) {
            double[] a = denominators.get(s);
            boolean firstOrder = single && s == denominators.size() - 1;
            double b0 = 1, b1, b2;
            if (firstOrder) {
                b1 = -zeros.get(zi++);
                b2 = 0;
            } else {
                double z1 = zeros.get(zi++);
                double z2 = zeros.get(zi++);
                b1 = -(z1 + z2);
                b2 = z1 * z2;
            }
            double g = s == 0 ? gain : 1;
            sections.add(new Biquad(b0 * g, b1 * g, b2 * g, a[0], a[1]));
        }
        return sections;
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }
}
