package io.mindstream.contracts;

/** Bits of {@link Epoch#qualityFlags()}: what is wrong with an epoch's data. A clean epoch has 0. */
public final class QualityFlags {
    /** Samples were missing inside the epoch (by sequence number or timestamp). */
    public static final int GAP = 1;
    /** At least one channel was flat (dropout). */
    public static final int FLAT = 1 << 1;
    /** Peak-to-peak amplitude over the rejection threshold on at least one channel. */
    public static final int PEAK_TO_PEAK = 1 << 2;
    /** NaN or infinite input samples were found (and replaced). */
    public static final int NON_FINITE = 1 << 3;
    /** Values were clamped to ±20 after robust scaling. */
    public static final int CLAMPED = 1 << 4;
    /** The source stream's clock jumped or drifted inside the epoch. */
    public static final int CLOCK = 1 << 5;
    /** Emitted late (marker arrived after its data, or by wall-clock flush). */
    public static final int LATE = 1 << 6;
    /** Preprocessing statistics were not yet frozen (no calibration): values are not comparable across runs. */
    public static final int UNCALIBRATED = 1 << 7;

    private QualityFlags() {
    }

    public static String describe(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"GAP", "FLAT", "PEAK_TO_PEAK", "NON_FINITE", "CLAMPED", "CLOCK", "LATE", "UNCALIBRATED"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append(names[i]);
            }
        }
        return sb.isEmpty() ? "OK" : sb.toString();
    }
}
