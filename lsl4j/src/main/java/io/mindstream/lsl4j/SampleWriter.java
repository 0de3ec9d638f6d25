package io.mindstream.lsl4j;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one sample (tag, optional timestamp, values) in protocol 1.10 little-endian form into a reused buffer.
 * Values given in any Java type are converted to the stream's format as liblsl converts them (numeric casts,
 * numbers from/to decimal text for string streams). No allocation for numeric samples.
 */
final class SampleWriter {
    private static final java.lang.invoke.VarHandle LE_FLOAT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(float[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final ChannelFormat format;
    private byte[] buf;
    private int pos;
    /** Where each sample of the batch ends in {@link #buffer()}; {@link #finish()} closes the last one. */
    private int[] ends = new int[16];
    private int samples;
    private boolean open;

    SampleWriter(ChannelFormat format, int channels) {
        this.format = format;
        this.buf = new byte[9 + channels * Math.max(format.valueSize(), 2)];
    }

    byte[] buffer() { return buf; }
    int length() { return pos; }

    /**
     * Starts a sample, forgetting what was written before: tag 1 for {@link Wire#DEDUCED_TIMESTAMP}, else tag 2 +
     * the timestamp. It is also the first sample of a batch that {@link #next} extends.
     */
    void begin(double timestamp) {
        pos = 0;
        samples = 0;
        header(timestamp);
    }

    /** Ends the sample being written and starts the next one of the batch right after it. */
    void next(double timestamp) {
        endSample();
        header(timestamp);
    }

    /**
     * Ends the batch's last sample and hands the batch over: returns how many samples it holds (0 when none was
     * begun since the last finish), whose bytes and {@link #ends()} stay readable until the next {@link #begin}.
     */
    int finish() {
        endSample();
        int n = samples;
        samples = 0;
        return n;
    }

    /** End offsets of the batch's samples in {@link #buffer()} (the first {@link #finish()} of them). */
    int[] ends() { return ends; }

    private void endSample() {
        if (!open) return;
        if (samples == ends.length) ends = Arrays.copyOf(ends, samples * 2);
        ends[samples++] = pos;
        open = false;
    }

    private void header(double timestamp) {
        open = true;
        ensure(9);
        if (timestamp == Wire.DEDUCED_TIMESTAMP) {
            buf[pos++] = Wire.TAG_DEDUCED;
        } else {
            buf[pos++] = Wire.TAG_EXPLICIT;
            putRawLong(Double.doubleToRawLongBits(timestamp), 8);
        }
    }

    void putDouble(double v) {
        switch (format) {
            case FLOAT32 -> putRawLong(Float.floatToRawIntBits((float) v) & 0xffffffffL, 4);
            case DOUBLE64 -> putRawLong(Double.doubleToRawLongBits(v), 8);
            case INT8 -> putRawLong((byte) (long) v, 1);
            case INT16 -> putRawLong((short) (long) v, 2);
            case INT32 -> putRawLong((int) (long) v, 4);
            case INT64 -> putRawLong((long) v, 8);
            case STRING -> putString(formatNumber(v));
        }
    }

    void putFloat(float v) {
        if (format == ChannelFormat.FLOAT32) putRawLong(Float.floatToRawIntBits(v) & 0xffffffffL, 4);
        else putDouble(v);
    }

    /** {@code n} values from {@code x[off]}: for a float32 stream one bounds check and a little-endian store each. */
    void putFloats(float[] x, int off, int n) {
        if (format != ChannelFormat.FLOAT32) {
            for (int k = 0; k < n; k++) putDouble(x[off + k]);
            return;
        }
        ensure(4 * n);
        for (int k = 0; k < n; k++, pos += 4) LE_FLOAT.set(buf, pos, x[off + k]);
    }

    void putLong(long v) {
        switch (format) {
            case FLOAT32 -> putRawLong(Float.floatToRawIntBits((float) v) & 0xffffffffL, 4);
            case DOUBLE64 -> putRawLong(Double.doubleToRawLongBits((double) v), 8);
            case INT8 -> putRawLong((byte) v, 1);
            case INT16 -> putRawLong((short) v, 2);
            case INT32 -> putRawLong((int) v, 4);
            case INT64 -> putRawLong(v, 8);
            case STRING -> putString(Long.toString(v));
        }
    }

    void putString(String s) {
        if (format != ChannelFormat.STRING) {
            putDouble(parseNumber(s));
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(9 + b.length);
        if (b.length <= 0xFF) {
            buf[pos++] = 1;
            buf[pos++] = (byte) b.length;
        } else {
            buf[pos++] = 4;
            putRawLong(b.length, 4);
        }
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void putRawLong(long v, int bytes) {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            buf[pos++] = (byte) v;
            v >>>= 8;
        }
    }

    private void ensure(int more) {
        if (pos + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }

    static String formatNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    static double parseNumber(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return 0.0;
        }
    }
}
