package io.mindstream.processor.dsp;

import java.util.List;

/**
 * A causal cascade of second-order sections applied to every channel of a sample-major stream, with the per-channel
 * state kept between calls so that filtering chunk by chunk equals filtering the whole recording at once
 * ({@code scipy.signal.sosfilt} with carried {@code zi}). Direct form II transposed, double precision.
 *
 * <p>Not thread-safe; one instance per stream. The state is exposed ({@link #state()}) so that a restarted processor
 * can resume exactly where it stopped.
 */
public final class SosFilter {

    private final int channels;
    private final int sections;
    private final double[] b0, b1, b2, a1, a2;
    /** Section states, section-major then channel: {@code s0[s * channels + c]}, {@code s1[…]}. */
    private final double[] s0;
    private final double[] s1;
    /** One frame in double precision while it passes the sections. */
    private final double[] work;
    private boolean primed;

    public SosFilter(List<Biquad> cascade, int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive");
        }
        this.channels = channels;
        this.sections = cascade.size();
        b0 = new double[sections];
        b1 = new double[sections];
        b2 = new double[sections];
        a1 = new double[sections];
        a2 = new double[sections];
        for (int s = 0; s < sections; s++) {
            Biquad q = cascade.get(s);
            b0[s] = q.b0();
            b1[s] = q.b1();
            b2[s] = q.b2();
            a1[s] = q.a1();
            a2[s] = q.a2();
        }
        s0 = new double[channels * sections];
        s1 = new double[channels * sections];
        work = new double[channels];
    }

    public int channels() {
        return channels;
    }

    public int sections() {
        return sections;
    }

    /** True once the state has been seeded (by {@link #prime} or by {@link #restore}). */
    public boolean primed() {
        return primed;
    }

    /**
     * Seeds every section with its steady state for a constant input equal to {@code values[c]} (scipy's
     * {@code sosfilt_zi(sos) * x[0]}), so a stream that starts at a large DC offset does not ring through the
     * high-pass for seconds.
     */
    public void prime(float[] values, int offset) {
        for (int c = 0; c < channels; c++) {
            double u = values[offset + c];
            for (int s = 0; s < sections; s++) {
                double y = u * (b0[s] + b1[s] + b2[s]) / (1 + a1[s] + a2[s]);
                s1[s * channels + c] = b2[s] * u - a2[s] * y;
                s0[s * channels + c] = (b1[s] + b2[s]) * u - (a1[s] + a2[s]) * y;
                u = y;
            }
        }
        primed = true;
    }

    /**
     * Filters {@code samples} sample-major frames from {@code in[inOffset…]} into {@code out[outOffset…]} (may be
     * the same array and offset). Channels are the inner loop: their recursions are independent, so the JIT can
     * pipeline (and vectorise) them, where a channel-by-channel loop would wait on each section's feedback.
     */
    public void process(float[] in, int inOffset, float[] out, int outOffset, int samples) {
        if (!primed && samples > 0) {
            prime(in, inOffset);
        }
        final int ch = channels;
        final double[] w = work;
        for (int n = 0; n < samples; n++) {
            int frame = n * ch;
            for (int c = 0; c < ch; c++) {
                w[c] = in[inOffset + frame + c];
            }
            for (int s = 0; s < sections; s++) {
                final double B0 = b0[s], B1 = b1[s], B2 = b2[s], A1 = a1[s], A2 = a2[s];
                final int o = s * ch;
                for (int c = 0; c < ch; c++) {
                    double x = w[c];
                    double y = B0 * x + s0[o + c];
                    s0[o + c] = B1 * x - A1 * y + s1[o + c];
                    s1[o + c] = B2 * x - A2 * y;
                    w[c] = y;
                }
            }
            for (int c = 0; c < ch; c++) {
                out[outOffset + frame + c] = (float) w[c];
            }
        }
    }

    /** A copy of the internal state (for snapshots): {@code s0} then {@code s1}, section-major. */
    public double[] state() {
        double[] st = new double[2 * s0.length];
        System.arraycopy(s0, 0, st, 0, s0.length);
        System.arraycopy(s1, 0, st, s0.length, s1.length);
        return st;
    }

    /** How many values {@link #state()} holds. */
    public int stateLength() {
        return 2 * s0.length;
    }

    /** Value {@code i} of the state as {@link #state()} lays it out: to write the state out without copying it. */
    public double stateAt(int i) {
        return i < s0.length ? s0[i] : s1[i - s0.length];
    }

    public void restore(double[] saved) {
        if (saved.length != 2 * s0.length) {
            throw new IllegalArgumentException("filter state holds " + saved.length + " values, expected "
                    + 2 * s0.length + " (" + channels + " channels × " + sections + " sections × 2)");
        }
        System.arraycopy(saved, 0, s0, 0, s0.length);
        System.arraycopy(saved, s0.length, s1, 0, s1.length);
        primed = true;
    }
}
