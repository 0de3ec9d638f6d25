package io.mindstream.lsl4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The inlet's receive buffer: at most {@code maxSamples} samples (oldest dropped and counted when full), stored as
 * timestamps plus little-endian value bytes (numeric) or strings. Storage grows by doubling up to the maximum and
 * is then reused. All access is under this object's monitor; {@link #await} waits for data.
 */
final class SampleBuffer {
    /**
     * Most bytes of storage allocated before any sample has arrived (and for the first 256 samples at most): a
     * 100,000-channel float32 stream would otherwise claim ~100 MB per inlet up front. Storage then doubles only
     * as samples actually accumulate, up to the {@code maxSamples} the caller allows.
     */
    static final long INITIAL_BYTES = 1L << 20;
    private static final int INITIAL_SAMPLES = 256;

    private final ChannelFormat format;
    private final int channels;
    private final int sampleBytes;
    private final int maxSamples;
    private double[] ts;
    private byte[] values;
    private ByteBuffer view;
    private String[] strings;
    private int head;
    private int count;
    private long dropped;
    private String lostReason;

    SampleBuffer(ChannelFormat format, int channels, int maxSamples) {
        this.format = format;
        this.channels = channels;
        this.sampleBytes = channels * format.valueSize();
        this.maxSamples = Math.max(1, maxSamples);
        allocate(initialCapacity(format, channels, this.maxSamples));
    }

    /** Samples allocated up front: ≤ 256, ≤ {@link #INITIAL_BYTES} of storage, ≤ max, and at least one. */
    static int initialCapacity(ChannelFormat format, int channels, int maxSamples) {
        long perSample = bytesPerSample(format, channels);
        return (int) Math.max(1, Math.min(Math.max(1, maxSamples), Math.min(INITIAL_SAMPLES, INITIAL_BYTES / perSample)));
    }

    /** Storage per sample: its timestamp plus its values (a reference per channel for strings, counted as 8 bytes). */
    static long bytesPerSample(ChannelFormat format, int channels) {
        return 8L + (format.isNumeric() ? (long) channels * format.valueSize() : 8L * channels);
    }

    private void allocate(int cap) {
        double[] nts = new double[cap];
        byte[] nv = format.isNumeric() ? new byte[cap * sampleBytes] : null;
        String[] ns = format.isNumeric() ? null : new String[cap * channels];
        for (int i = 0; i < count; i++) {
            int from = (head + i) % ts.length;
            nts[i] = ts[from];
            if (nv != null) System.arraycopy(values, from * sampleBytes, nv, i * sampleBytes, sampleBytes);
            else System.arraycopy(strings, from * channels, ns, i * channels, channels);
        }
        ts = nts;
        values = nv;
        strings = ns;
        view = nv == null ? null : ByteBuffer.wrap(nv).order(ByteOrder.LITTLE_ENDIAN);
        head = 0;
    }

    private int slotForAppend() {
        if (count == ts.length) {
            if (ts.length < maxSamples) {
                allocate((int) Math.min(maxSamples, (long) ts.length * 2));
            } else {
                head = (head + 1) % ts.length;
                count--;
                dropped++;
            }
        }
        int slot = (head + count) % ts.length;
        count++;
        return slot;
    }

    synchronized void putNumeric(double timestamp, byte[] le) {
        int slot = slotForAppend();
        ts[slot] = timestamp;
        System.arraycopy(le, 0, values, slot * sampleBytes, sampleBytes);
        notifyAll();
    }

    synchronized void putStrings(double timestamp, String[] vals) {
        int slot = slotForAppend();
        ts[slot] = timestamp;
        System.arraycopy(vals, 0, strings, slot * channels, channels);
        notifyAll();
    }

    /** Waits up to {@code timeoutSeconds} for a sample; true if one is available. Caller holds the monitor. */
    boolean await(double timeoutSeconds) throws InterruptedException {
        if (count > 0) return true;
        if (timeoutSeconds <= 0) return false;
        long deadline = System.nanoTime() + (long) Math.min(timeoutSeconds * 1e9, Long.MAX_VALUE / 4);
        while (count == 0 && lostReason == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            long ms = left / 1_000_000L;
            wait(ms, ms == 0 ? (int) Math.max(1, left % 1_000_000L) : 0);
        }
        return count > 0;
    }

    int size() { return count; }

    /** Samples the storage holds now (grows by doubling as samples accumulate, never past {@code maxSamples}). */
    synchronized int capacity() { return ts.length; }

    /** Bytes of storage allocated now, by the measure of {@link #bytesPerSample}. */
    synchronized long capacityBytes() { return ts.length * bytesPerSample(format, channels); }

    int headSlot() { return head; }
    double headTimestamp() { return ts[head]; }

    void pop() {
        if (strings != null) java.util.Arrays.fill(strings, head * channels, head * channels + channels, null);
        head = (head + 1) % ts.length;
        count--;
    }

    synchronized void clear() {
        while (count > 0) pop();
    }

    float getFloat(int slot, int k) {
        int o = slot * sampleBytes + k * format.valueSize();
        return switch (format) {
            case FLOAT32 -> view.getFloat(o);
            case DOUBLE64 -> (float) view.getDouble(o);
            case INT8 -> values[o];
            case INT16 -> view.getShort(o);
            case INT32 -> view.getInt(o);
            case INT64 -> view.getLong(o);
            case STRING -> (float) SampleWriter.parseNumber(strings[slot * channels + k]);
        };
    }

    double getDouble(int slot, int k) {
        int o = slot * sampleBytes + k * format.valueSize();
        return switch (format) {
            case FLOAT32 -> view.getFloat(o);
            case DOUBLE64 -> view.getDouble(o);
            case INT8 -> values[o];
            case INT16 -> view.getShort(o);
            case INT32 -> view.getInt(o);
            case INT64 -> view.getLong(o);
            case STRING -> SampleWriter.parseNumber(strings[slot * channels + k]);
        };
    }

    long getLong(int slot, int k) {
        int o = slot * sampleBytes + k * format.valueSize();
        return switch (format) {
            case FLOAT32 -> (long) view.getFloat(o);
            case DOUBLE64 -> (long) view.getDouble(o);
            case INT8 -> values[o];
            case INT16 -> view.getShort(o);
            case INT32 -> view.getInt(o);
            case INT64 -> view.getLong(o);
            case STRING -> (long) SampleWriter.parseNumber(strings[slot * channels + k]);
        };
    }

    String getString(int slot, int k) {
        return switch (format) {
            case STRING -> strings[slot * channels + k];
            case FLOAT32, DOUBLE64 -> SampleWriter.formatNumber(getDouble(slot, k));
            default -> Long.toString(getLong(slot, k));
        };
    }

    synchronized long dropped() { return dropped; }

    synchronized void markLost(String reason) {
        if (lostReason == null) lostReason = reason;
        notifyAll();
    }

    String lostReason() { return lostReason; }
}
