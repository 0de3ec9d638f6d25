package io.mindstream.processor.step;

/**
 * Where the next sliding window ends: windows of {@code length} output samples (every q-th input sample) end every
 * {@code hop} input samples, on a grid aligned to sequence 0, so a window's index is its end's sequence / hop whatever
 * the stream's start. Owns the next window's end; the journal persists it ({@code windowProgress}).
 */
public final class SlidingWindows {

    private final int hop;
    private final int length;
    private final int q;
    private long next = Long.MIN_VALUE;

    /**
     * @param hop    input samples between window ends
     * @param length output samples per window
     * @param q      decimation factor
     */
    public SlidingWindows(int hop, int length, int q) {
        this.hop = hop;
        this.length = length;
        this.q = q;
    }

    public int length() {
        return length;
    }

    /** The end (input sequence) of the next window to emit. */
    public long next() {
        return next;
    }

    /** The stream (re)starts at {@code seq}: the first window is the first whole one after it. */
    public void startAt(long seq) {
        long firstEnd = seq + (long) (length - 1) * q;
        next = Math.max(next, Math.floorDiv(firstEnd + hop - 1, hop) * hop);
    }

    /** After a restart of the stream: no window may reach back across it. */
    public void forget() {
        next = Long.MIN_VALUE;
    }

    /** The first input sample of the window ending at {@link #next()}. */
    public long start() {
        return next - (long) (length - 1) * q;
    }

    /** The index of the window ending at {@link #next()}. */
    public long index() {
        return next / hop;
    }

    public void advance() {
        next += hop;
    }

    /** Restores the journaled progress (never moves backwards). */
    public void restore(long journaledNext) {
        if (journaledNext != Long.MIN_VALUE) {
            next = Math.max(next, journaledNext);
        }
    }
}
