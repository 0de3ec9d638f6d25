package io.mindstream.lsl4j;

/**
 * Deterministic sample values and timestamps shared by the two processes of {@link CrossProcessTest}: the outlet
 * process generates them, the inlet process expects exactly the same.
 */
final class TestData {
    private TestData() {
    }

    static final int SAMPLES = 60;
    static final int CHANNELS = 5;
    static final double SRATE = 250;

    enum TsMode { EXPLICIT, DEDUCED }

    /** A value for sample s, channel k that exercises sign, range and (for floats) fractions. */
    static long integral(ChannelFormat f, int s, int k) {
        long base = (long) s * 1009 + k * 37L;
        return switch (f) {
            case INT8 -> (byte) (base * (k % 2 == 0 ? 1 : -1));
            case INT16 -> (short) (base * 101 * (k % 2 == 0 ? 1 : -1));
            case INT32 -> (int) (base * 1_000_003L * (k % 2 == 0 ? 1 : -1));
            case INT64 -> base * 9_000_000_000_017L * (k % 2 == 0 ? 1 : -1);
            default -> base;
        };
    }

    static double real(int s, int k) {
        return (s * 0.37 - k * 11.125) * (k % 2 == 0 ? 1 : -1) + (s == 3 ? 1e-310 : 0);
    }

    static String text(int s, int k) {
        return s % 7 == 3 ? "" : "mrk s=" + s + " k=" + k + (s % 11 == 5 ? " é€😀 " + "y".repeat(280) : "");
    }

    static double explicitTs(int s) {
        return 1234.5 + s * 0.004 + s * s * 1e-7;
    }

    /** Fills a sample-major chunk of all samples into the natural array type of the format. */
    static Object chunk(ChannelFormat f) {
        int n = SAMPLES * CHANNELS;
        switch (f) {
            case FLOAT32: {
                float[] a = new float[n];
                for (int s = 0; s < SAMPLES; s++) for (int k = 0; k < CHANNELS; k++) a[s * CHANNELS + k] = (float) real(s, k);
                return a;
            }
            case DOUBLE64: {
                double[] a = new double[n];
                for (int s = 0; s < SAMPLES; s++) for (int k = 0; k < CHANNELS; k++) a[s * CHANNELS + k] = real(s, k);
                return a;
            }
            case INT8: {
                byte[] a = new byte[n];
                for (int s = 0; s < SAMPLES; s++) for (int k = 0; k < CHANNELS; k++) a[s * CHANNELS + k] = (byte) integral(f, s, k);
                return a;
            }
            case INT16: {
                short[] a = new short[n];
                for (int s = 0; s < SAMPLES; s++) for (int k = 0; k < CHANNELS; k++) a[s * CHANNELS + k] = (short) integral(f, s, k);
                return a;
            }
            case INT32: {
                int[] a = new int[n];
                for (int s = 0; s < SAMPLES; s++) for (int k = 0; k < CHANNELS; k++) a[s * CHANNELS + k] = (int) integral(f, s, k);
                return a;
            }
            case INT64: {
                long[] a = new long[n];
                for (int s = 0; s < SAMPLES; s++) for (int k = 0; k < CHANNELS; k++) a[s * CHANNELS + k] = integral(f, s, k);
                return a;
            }
            default: {
                String[] a = new String[n];
                for (int s = 0; s < SAMPLES; s++) for (int k = 0; k < CHANNELS; k++) a[s * CHANNELS + k] = text(s, k);
                return a;
            }
        }
    }

    /** Expected timestamps at the inlet for the given push style (see {@link CrossProcessOutlets}). */
    static double[] expectedTimestamps(boolean chunked, TsMode mode) {
        double[] t = new double[SAMPLES];
        if (mode == TsMode.EXPLICIT) {
            for (int s = 0; s < SAMPLES; s++) t[s] = explicitTs(s);
            return t;
        }
        // deduced: the first sample carries a timestamp, the rest are previous + 1/srate at the receiver
        t[0] = chunked ? explicitTs(SAMPLES - 1) - (SAMPLES - 1) / SRATE : explicitTs(0);
        for (int s = 1; s < SAMPLES; s++) t[s] = t[s - 1] + 1.0 / SRATE;
        return t;
    }

    static Object slice(Object chunk, int s) {
        int from = s * CHANNELS;
        int to = from + CHANNELS;
        if (chunk instanceof float[] a) return java.util.Arrays.copyOfRange(a, from, to);
        if (chunk instanceof double[] a) return java.util.Arrays.copyOfRange(a, from, to);
        if (chunk instanceof byte[] a) return java.util.Arrays.copyOfRange(a, from, to);
        if (chunk instanceof short[] a) return java.util.Arrays.copyOfRange(a, from, to);
        if (chunk instanceof int[] a) return java.util.Arrays.copyOfRange(a, from, to);
        if (chunk instanceof long[] a) return java.util.Arrays.copyOfRange(a, from, to);
        return java.util.Arrays.copyOfRange((String[]) chunk, from, to);
    }

    static String streamName(String prefix, ChannelFormat f, boolean chunked, TsMode mode) {
        return prefix + "-" + f.lslName() + "-" + (chunked ? "chunk" : "single") + "-" + mode.name().toLowerCase();
    }
}
