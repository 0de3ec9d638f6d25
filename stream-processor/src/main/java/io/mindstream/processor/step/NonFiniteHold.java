package io.mindstream.processor.step;

import io.mindstream.contracts.QualityFlags;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Replaces NaN and ±Inf with the channel's last finite value (0 before there was one) and flags the sample
 * NON_FINITE; also supplies those held values to bridge a hole. Owns the last finite frame.
 */
public final class NonFiniteHold implements SnapshotPart {

    private final int channels;
    private final float[] lastFinite;
    private boolean haveLast;

    public NonFiniteHold(int channels) {
        this.channels = channels;
        this.lastFinite = new float[channels];
    }

    /**
     * Cleans {@code n} sample-major frames of {@code frames} in place, from frame {@code from}, writing them to frame
     * 0 on; raises NON_FINITE in {@code flags[0…n)}. Returns the number of values replaced.
     */
    public int clean(float[] frames, int from, int n, byte[] flags) {
        int replaced = 0;
        for (int s = 0; s < n; s++) {
            int src = (from + s) * channels;
            int dst = s * channels;
            for (int ch = 0; ch < channels; ch++) {
                float v = frames[src + ch];
                if (!Float.isFinite(v)) {
                    v = haveLast ? lastFinite[ch] : 0f;
                    flags[s] |= QualityFlags.NON_FINITE;
                    replaced++;
                }
                frames[dst + ch] = v;
                lastFinite[ch] = v;
            }
            haveLast = true;
        }
        return replaced;
    }

    /** Writes {@code n} frames of held values (to bridge a hole). */
    public void fill(float[] frames, int n) {
        for (int s = 0; s < n; s++) {
            System.arraycopy(lastFinite, 0, frames, s * channels, channels);
        }
    }

    /** Forgets the held values (the stream restarts after a long hole). */
    public void reset() {
        haveLast = false;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeBoolean(haveLast);
        out.writeInt(channels);
        for (float v : lastFinite) {
            out.writeFloat(v);
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        haveLast = in.readBoolean();
        if (in.readInt() != channels) {
            throw new IOException("channel count differs");
        }
        for (int c = 0; c < channels; c++) {
            lastFinite[c] = in.readFloat();
        }
    }
}
