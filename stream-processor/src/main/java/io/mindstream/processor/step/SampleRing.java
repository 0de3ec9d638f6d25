package io.mindstream.processor.step;

/**
 * The recent samples of one continuous stream, addressed by absolute sample index (the stream's sequence number):
 * filtered values (what epochs are cut from), raw values (for the flat check), timestamps and per-sample
 * {@link io.mindstream.contracts.QualityFlags} bits. Fixed capacity; appending overwrites the oldest samples.
 * Primitive arrays only, so appending a chunk allocates nothing.
 */
public final class SampleRing {

    private final int channels;
    private final int capacity;
    private final float[] filtered;
    private final float[] raw;
    private final double[] times;
    private final byte[] flags;
    private long first;
    private long next;
    /** Start indices of monotonic timestamp runs (a backward clock jump starts a new one); newest last. */
    private long[] segments = new long[8];
    private int segmentCount;

    public SampleRing(int channels, int capacity) {
        this.channels = channels;
        this.capacity = capacity;
        filtered = new float[channels * capacity];
        raw = new float[channels * capacity];
        times = new double[capacity];
        flags = new byte[capacity];
    }

    public int channels() {
        return channels;
    }

    public int capacity() {
        return capacity;
    }

    /** Oldest index still held. */
    public long first() {
        return first;
    }

    /** One past the newest index. */
    public long next() {
        return next;
    }

    public boolean isEmpty() {
        return next == first;
    }

    /** Empties the ring and makes {@code index} the next one to be appended. */
    public void reset(long index) {
        first = index;
        next = index;
        segmentCount = 0;
    }

    /**
     * Appends {@code samples} frames; frame {@code n} takes index {@link #next()} + n. {@code rawValues} and
     * {@code filteredValues} are sample-major.
     */
    public void append(float[] filteredValues, float[] rawValues, int valueOffset, double[] stamps, int stampOffset,
                       byte[] sampleFlags, int samples) {
        if (samples > capacity) {
            throw new IllegalArgumentException("chunk of " + samples + " samples exceeds the ring (" + capacity + ")");
        }
        double previous = isEmpty() ? Double.NaN : time(next - 1);
        for (int n = 0; n < samples; n++) {
            long index = next + n;
            int slot = (int) (index % capacity);
            System.arraycopy(filteredValues, valueOffset + n * channels, filtered, slot * channels, channels);
            System.arraycopy(rawValues, valueOffset + n * channels, raw, slot * channels, channels);
            double t = stamps[stampOffset + n];
            if (segmentCount == 0 || t < previous) {
                addSegment(index);
            }
            previous = t;
            times[slot] = t;
            flags[slot] = sampleFlags[n];
        }
        next += samples;
        if (next - first > capacity) {
            first = next - capacity;
            int drop = 0;
            while (drop + 1 < segmentCount && segments[drop + 1] <= first) {
                drop++;
            }
            if (drop > 0) {
                System.arraycopy(segments, drop, segments, 0, segmentCount - drop);
                segmentCount -= drop;
            }
        }
    }

    private void addSegment(long index) {
        if (segmentCount == segments.length) {
            long[] s = new long[segments.length * 2];
            System.arraycopy(segments, 0, s, 0, segmentCount);
            segments = s;
        }
        segments[segmentCount++] = index;
    }

    public double time(long index) {
        return times[slot(index)];
    }

    public int flags(long index) {
        return flags[slot(index)];
    }

    public float filtered(long index, int channel) {
        return filtered[slot(index) * channels + channel];
    }

    public float raw(long index, int channel) {
        return raw[slot(index) * channels + channel];
    }

    /** Widens {@code min}/{@code max} per channel by the raw frame at {@code index}; returns its flags. */
    public int accumulateRaw(long index, float[] min, float[] max) {
        int base = slot(index) * channels;
        for (int c = 0; c < channels; c++) {
            float v = raw[base + c];
            if (v < min[c]) {
                min[c] = v;
            }
            if (v > max[c]) {
                max[c] = v;
            }
        }
        return flags[base / channels];
    }

    /** Copies one frame of filtered values into {@code dst}. */
    public void copyFiltered(long index, float[] dst, int offset) {
        System.arraycopy(filtered, slot(index) * channels, dst, offset, channels);
    }

    private int slot(long index) {
        if (index < first || index >= next) {
            throw new IndexOutOfBoundsException("sample " + index + " not held (" + first + " … " + (next - 1) + ")");
        }
        return (int) (index % capacity);
    }

    /**
     * The index whose timestamp is nearest to {@code t} (the earlier one on a tie), searching the newest monotonic
     * run whose span could contain {@code t}; {@code Long.MIN_VALUE} when {@code t} lies after the newest sample
     * (its data has not arrived yet), -1 when it lies before every held sample (its data is gone).
     */
    public long nearest(double t, double period) {
        if (isEmpty()) {
            return Long.MIN_VALUE;
        }
        for (int s = segmentCount - 1; s >= 0; s--) {
            long lo = Math.max(segments[s], first);
            long hi = (s + 1 < segmentCount ? segments[s + 1] : next) - 1;
            if (lo > hi) {
                continue;
            }
            if (t > time(hi)) {
                if (s == segmentCount - 1) {
                    // after the newest sample: nearest is decided only when the next sample arrives, unless the
                    // marker is within half a period of the newest one
                    return t - time(hi) <= period / 2 ? hi : Long.MIN_VALUE;
                }
                if (t - time(hi) <= period / 2) {
                    return hi;
                }
                continue;
            }
            if (t < time(lo)) {
                if (time(lo) - t <= period / 2) {
                    return lo;
                }
                continue;
            }
            long a = lo, b = hi; // time(a) <= t <= time(b)
            while (b - a > 1) {
                long m = (a + b) >>> 1;
                if (time(m) <= t) {
                    a = m;
                } else {
                    b = m;
                }
            }
            return (t - time(a) <= time(b) - t) ? a : b;
        }
        return -1;
    }
}
