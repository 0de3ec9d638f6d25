package io.mindstream.processor.step;

import io.mindstream.contracts.QualityFlags;

import java.util.Arrays;

/**
 * Cuts a span out of the ring and decimates it: every q-th filtered sample from {@code start} into channel-major
 * {@code data} (the anti-alias filter ran before the ring). Samples past the newest are held at the newest (an epoch
 * cut where the data ends). Reports the per-sample flags over the whole input span, plus FLAT when a channel's raw
 * peak-to-peak over it is at or below the threshold.
 */
public final class Decimator {

    private final SampleRing ring;
    private final int channels;
    private final int q;
    private final double flatThreshold;
    private final float[] frame;
    private final float[] min;
    private final float[] max;

    public Decimator(SampleRing ring, int q, double flatThreshold) {
        this.ring = ring;
        this.channels = ring.channels();
        this.q = q;
        this.flatThreshold = flatThreshold;
        this.frame = new float[channels];
        this.min = new float[channels];
        this.max = new float[channels];
    }

    public int q() {
        return q;
    }

    /** Fills {@code data} (channels × times) from sample {@code start}; returns the span's flags. */
    public int cut(long start, int times, float[] data) {
        long end = start + (long) (times - 1) * q;
        long lastHeld = Math.min(end, ring.next() - 1);
        for (int t = 0; t < times; t++) {
            long idx = Math.min(start + (long) t * q, lastHeld);
            ring.copyFiltered(idx, frame, 0);
            for (int c = 0; c < channels; c++) {
                data[c * times + t] = frame[c];
            }
        }
        int flags = 0;
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (long i = start; i <= lastHeld; i++) {
            flags |= ring.accumulateRaw(i, min, max);
        }
        for (int c = 0; c < channels; c++) {
            if (max[c] - min[c] <= flatThreshold) {
                flags |= QualityFlags.FLAT;
                break;
            }
        }
        return flags;
    }

    /** The index of the last input sample a cut of {@code times} from {@code start} uses. */
    public long lastUsed(long start, int times) {
        return Math.min(start + (long) (times - 1) * q, ring.next() - 1);
    }
}
