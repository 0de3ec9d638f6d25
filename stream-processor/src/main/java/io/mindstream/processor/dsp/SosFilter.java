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
    /** {@code state[(c * sections + s) * 2 + {0,1}]}. */
    private final double[] state;
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
        state = new double[channels * sections * 2];
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
            int base = c * sections * 2;
            for (int s = 0; s < sections; s++) {
                double y = u * (b0[s] + b1[s] + b2[s]) / (1 + a1[s] + a2[s]);
                state[base + 2 * s + 1] = b2[s] * u - a2[s] * y;
                state[base + 2 * s] = (b1[s] + b2[s]) * u - (a1[s] + a2[s]) * y;
                u = y;
            }
        }
        primed = true;
    }

    /**
     * Filters {@code samples} sample-major frames from {@code in[inOffset…]} into {@code out[outOffset…]} (may be
     * the same array and offset).
     */
    public void process(float[] in, int inOffset, float[] out, int outOffset, int samples) {
        if (!primed && samples > 0) {
            prime(in, inOffset);
        }
        for (int n = 0; n < samples; n++) {
            int frame = n * channels;
            for (int c = 0; c < channels; c++) {
                double x = in[inOffset + frame + c];
                int base = c * sections * 2;
                for (int s = 0; s < sections; s++) {
                    int k = base + 2 * s;
                    double y = b0[s] * x + state[k];
                    state[k] = b1[s] * x - a1[s] * y + state[k + 1];
                    state[k + 1] = b2[s] * x - a2[s] * y;
                    x = y;
                }
                out[outOffset + frame + c] = (float) x;
            }
        }
    }

    /** A copy of the internal state (for snapshots). */
    public double[] state() {
        return state.clone();
    }

    public void restore(double[] saved) {
        if (saved.length != state.length) {
            throw new IllegalArgumentException("filter state holds " + saved.length + " values, expected "
                    + state.length + " (" + channels + " channels × " + sections + " sections × 2)");
        }
        System.arraycopy(saved, 0, state, 0, state.length);
        primed = true;
    }
}
