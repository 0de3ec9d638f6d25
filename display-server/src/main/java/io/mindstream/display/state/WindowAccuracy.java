package io.mindstream.display.state;

/**
 * The sliding-window decoder's accuracy against the time since stimulus onset: each scored window (its image on
 * screen is among the candidates) counts in the bin of {@code window end − onset}, as a top-1 and a top-5 hit or not.
 * Read at 1 Hz for the page: how soon after onset decoding rises above chance, and how long it stays.
 */
public final class WindowAccuracy {

    /** One bin: windows scored, and of those top-1 and top-5 hits. */
    public record Bin(double fromS, long n, long top1, long top5) {
    }

    private final double binS;
    private final long[] n;
    private final long[] top1;
    private final long[] top5;

    /**
     * @param binS  bin width in seconds (the window step, so each trial adds one window per bin)
     * @param spanS the lags kept: 0 … spanS after onset
     */
    public WindowAccuracy(double binS, double spanS) {
        if (!(binS > 0) || !(spanS >= binS)) {
            throw new IllegalArgumentException("bins of " + binS + " s over " + spanS + " s");
        }
        this.binS = binS;
        int bins = (int) Math.round(spanS / binS);
        this.n = new long[bins];
        this.top1 = new long[bins];
        this.top5 = new long[bins];
    }

    /** Counts one window {@code lagS} after its onset whose image ranked {@code rank} (0 = first). */
    public synchronized void record(double lagS, int rank) {
        if (!(lagS >= 0) || rank < 0) {
            return;
        }
        int b = (int) Math.floor(lagS / binS + 1e-9);
        if (b >= n.length) {
            return;
        }
        n[b]++;
        if (rank < 1) {
            top1[b]++;
        }
        if (rank < 5) {
            top5[b]++;
        }
    }

    public double binSeconds() {
        return binS;
    }

    /** Every bin, in lag order. */
    public synchronized Bin[] bins() {
        Bin[] out = new Bin[n.length];
        for (int i = 0; i < n.length; i++) {
            out[i] = new Bin(i * binS, n[i], top1[i], top5[i]);
        }
        return out;
    }
}
