package io.mindstream.decoder.metrics;

/**
 * Retrieval accuracy over a set of labelled decodes, with the chance levels for the same candidate-set sizes.
 *
 * @param count                    decodes counted
 * @param top1                     share retrieved first
 * @param top5                     share within the best five
 * @param medianRelativeRank       median of rank / candidates (0 = always first; chance ≈ 0.5)
 * @param chanceTop1               expected top-1 for random guessing (mean of 1/N)
 * @param chanceTop5               expected top-5 for random guessing (mean of min(5, N)/N)
 * @param chanceMedianRelativeRank 0.5 (rank / N of a uniformly random rank, approximately)
 */
public record RetrievalSummary(int count, double top1, double top5, double medianRelativeRank, double chanceTop1,
                               double chanceTop5, double chanceMedianRelativeRank) {

    public static final RetrievalSummary EMPTY = new RetrievalSummary(0, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, 0.5);

    @Override
    public String toString() {
        return count == 0 ? "no labelled decodes" : String.format(java.util.Locale.ROOT,
                "n=%d top-1 %.3f (chance %.3f) top-5 %.3f (chance %.3f) median rank %.3f (chance %.2f)", count, top1,
                chanceTop1, top5, chanceTop5, medianRelativeRank, chanceMedianRelativeRank);
    }

    /** Summarises ranks (0 = best) each out of {@code candidates[i]}. */
    public static RetrievalSummary of(int[] ranks, int[] candidates, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return EMPTY;
        }
        double[] rel = new double[n];
        int t1 = 0, t5 = 0;
        double c1 = 0, c5 = 0;
        for (int i = from; i < to; i++) {
            int r = ranks[i];
            int c = candidates[i];
            t1 += r < 1 ? 1 : 0;
            t5 += r < 5 ? 1 : 0;
            c1 += 1.0 / c;
            c5 += Math.min(5, c) / (double) c;
            rel[i - from] = r / (double) c;
        }
        java.util.Arrays.sort(rel);
        double median = n % 2 == 1 ? rel[n / 2] : (rel[n / 2 - 1] + rel[n / 2]) / 2;
        return new RetrievalSummary(n, t1 / (double) n, t5 / (double) n, median, c1 / n, c5 / n, 0.5);
    }
}
