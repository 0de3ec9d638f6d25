package io.mindstream.lsl4j;

/**
 * The LSL clock: seconds of a monotonic clock. liblsl uses {@code std::chrono::steady_clock}, which on Linux is
 * CLOCK_MONOTONIC, the same source as {@link System#nanoTime()}, so processes on one host agree to the
 * microsecond and time correction between them is ~0.
 */
public final class LslClock {
    private LslClock() {
    }

    /** Current time in seconds of the monotonic clock. */
    public static double localClock() {
        return System.nanoTime() / 1e9;
    }
}
