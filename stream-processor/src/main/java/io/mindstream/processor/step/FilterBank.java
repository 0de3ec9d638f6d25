package io.mindstream.processor.step;

import io.mindstream.processor.dsp.Biquad;
import io.mindstream.processor.dsp.SosFilter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The causal filter chain (band-pass, notches, anti-alias low-pass) with its state carried across chunks; seeded
 * with the steady state of the first frame it sees, and again after a restart. Owns the filter state.
 */
public final class FilterBank implements SnapshotPart {

    private final int channels;
    private final SosFilter filter;
    private boolean primeOnNext;

    public FilterBank(List<Biquad> cascade, int channels) {
        this.channels = channels;
        this.filter = new SosFilter(cascade, channels);
    }

    /** Filters {@code n} sample-major frames of {@code in} into {@code out}. */
    public void filter(float[] in, float[] out, int n) {
        if (primeOnNext) {
            filter.prime(in, 0);
            primeOnNext = false;
        }
        filter.process(in, 0, out, 0, n);
    }

    /** Forgets the state; the next frame seeds it (the stream restarts after a long hole). */
    public void restart() {
        filter.restore(new double[channels * filter.sections() * 2]);
        primeOnNext = true;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeBoolean(filter.primed() && !primeOnNext);
        // value by value, not through a copy of the state (272 channels × 17 sections: 74 KB per snapshot)
        int n = filter.stateLength();
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeDouble(filter.stateAt(i));
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        boolean primed = in.readBoolean();
        double[] st = new double[in.readInt()];
        for (int i = 0; i < st.length; i++) {
            st[i] = in.readDouble();
        }
        if (primed) {
            filter.restore(st);
        }
    }
}
