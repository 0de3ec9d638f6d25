package io.mindstream.processor.step;

import io.mindstream.contracts.QualityFlags;
import io.mindstream.processor.dsp.SosFilter;
import io.mindstream.processor.dsp.Biquad;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Flags GAP on the samples after a bridged hole (or a restart) for as long as the filter chain still carries the
 * hole's error. Owns the sequence number until which samples are flagged.
 *
 * <p>How long: {@code settle[k]} is the number of samples after a hole of up to 2^k samples during which the output
 * error can exceed {@value #SETTLED} of the signal's amplitude. Held values are off by about the signal's amplitude
 * A, so the error t samples after a hole of L samples is at most A·L·max_{s≥t}|h(s)|, with h the chain's impulse
 * response (a 0.1 Hz high-pass rings for seconds: about 2 s after a 70 ms hole). The last entry (the longest
 * bridgeable hole) also covers a restart, whose primed filters start from a constant past.
 */
public final class GapSettling implements SnapshotPart {

    static final double SETTLED = 0.01;

    private final long[] settle;
    private long until = Long.MIN_VALUE;

    /**
     * @param cascade     the filter chain the samples go through
     * @param maxHole     the longest hole that is bridged rather than restarted, in samples
     * @param horizon     how far to look at the impulse response, in samples
     */
    public GapSettling(List<Biquad> cascade, long maxHole, int horizon) {
        this.settle = table(cascade, maxHole, horizon);
    }

    static long[] table(List<Biquad> cascade, long maxHole, int horizon) {
        float[] h = new float[horizon];
        SosFilter f = new SosFilter(cascade, 1);
        f.prime(new float[1], 0); // at rest: unprimed, the first sample would seed the state instead
        float[] in = new float[1];
        float[] y = new float[1];
        for (int i = 0; i < horizon; i++) {
            in[0] = i == 0 ? 1f : 0f;
            f.process(in, 0, y, 0, 1);
            h[i] = Math.abs(y[0]);
        }
        for (int i = horizon - 2; i >= 0; i--) {
            h[i] = Math.max(h[i], h[i + 1]); // the envelope: max over s >= i
        }
        int k = 64 - Long.numberOfLeadingZeros(Math.max(1, maxHole) - 1);
        long[] out = new long[k + 1];
        for (int j = 0; j <= k; j++) {
            double threshold = SETTLED / (double) (1L << j);
            int t = horizon;
            while (t > 0 && h[t - 1] <= threshold) {
                t--;
            }
            out[j] = t;
        }
        return out;
    }

    /** A hole of {@code length} samples ending before sample {@code resume} was bridged. */
    public void afterHole(long resume, long length) {
        int k = 64 - Long.numberOfLeadingZeros(Math.max(1, length) - 1);
        until = resume + settle[Math.min(k, settle.length - 1)];
    }

    /** The stream restarted at {@code resume} (a hole too long to bridge). */
    public void afterRestart(long resume) {
        until = resume + settle[settle.length - 1];
    }

    /** Raises GAP in {@code flags[0…n)} for samples {@code firstSeq…} that are still settling. */
    public void mark(long firstSeq, int n, byte[] flags) {
        for (int s = 0; s < n && firstSeq + s < until; s++) {
            flags[s] |= QualityFlags.GAP;
        }
    }

    /** Samples flagged after a hole of {@code length} (for tests and docs). */
    public long samplesAfter(long length) {
        int k = 64 - Long.numberOfLeadingZeros(Math.max(1, length) - 1);
        return settle[Math.min(k, settle.length - 1)];
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(until);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        until = in.readLong();
    }
}
