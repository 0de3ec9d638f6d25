package io.mindstream.processor.fmri;

import io.mindstream.processor.step.SnapshotPart;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Per-voxel linear detrending against every volume so far: a cumulative least-squares line through (t, y), t the
 * volume's sequence number since the first, subtracted from the newest volume (0 until two volumes exist). Causal, so
 * live and offline agree. Owns the running sums.
 */
final class RunningDetrend implements SnapshotPart {

    private final int voxels;
    private final boolean enabled;
    private final double[] sumY;
    private final double[] sumTY;
    private long t0 = -1;
    private long count;
    private double sumT;
    private double sumTT;

    /** @param enabled false: the sums are kept, the values pass unchanged */
    RunningDetrend(int voxels, boolean enabled) {
        this.voxels = voxels;
        this.enabled = enabled;
        this.sumY = new double[voxels];
        this.sumTY = new double[voxels];
    }

    /** Volumes seen so far. */
    long count() {
        return count;
    }

    /** Adds volume {@code seq} and detrends {@code y} in place. */
    void apply(long seq, float[] y) {
        if (t0 < 0) {
            t0 = seq;
        }
        double t = seq - t0;
        count++;
        sumT += t;
        sumTT += t * t;
        double den = count * sumTT - sumT * sumT;
        for (int v = 0; v < voxels; v++) {
            sumY[v] += y[v];
            sumTY[v] += t * y[v];
            if (enabled) {
                if (count < 2 || den == 0) {
                    y[v] = 0f;
                } else {
                    double b = (count * sumTY[v] - sumT * sumY[v]) / den;
                    double a = (sumY[v] - b * sumT) / count;
                    y[v] = (float) (y[v] - (a + b * t));
                }
            }
        }
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(voxels);
        out.writeLong(t0);
        out.writeLong(count);
        out.writeDouble(sumT);
        out.writeDouble(sumTT);
        for (int v = 0; v < voxels; v++) {
            out.writeDouble(sumY[v]);
            out.writeDouble(sumTY[v]);
        }
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        if (in.readInt() != voxels) {
            throw new IOException("voxel count differs");
        }
        t0 = in.readLong();
        count = in.readLong();
        sumT = in.readDouble();
        sumTT = in.readDouble();
        for (int v = 0; v < voxels; v++) {
            sumY[v] = in.readDouble();
            sumTY[v] = in.readDouble();
        }
    }
}
