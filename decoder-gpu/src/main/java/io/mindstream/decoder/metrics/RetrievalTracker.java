package io.mindstream.decoder.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running retrieval metrics on a labelled stream, per key (a subject, a session, or both): every labelled decode adds
 * the rank of the true image among its candidates; {@link #snapshot} gives the cumulative summary and the summary of
 * the last {@code window} decodes (the rolling view a live display shows). Thread-safe.
 */
public final class RetrievalTracker {

    /** Cumulative and rolling accuracy of one key. */
    public record Snapshot(String key, RetrievalSummary cumulative, RetrievalSummary rolling, int window) {
    }

    private static final class Series {
        int[] ranks = new int[64];
        int[] candidates = new int[64];
        int n;

        void add(int rank, int cands) {
            if (n == ranks.length) {
                ranks = Arrays.copyOf(ranks, n * 2);
                candidates = Arrays.copyOf(candidates, n * 2);
            }
            ranks[n] = rank;
            candidates[n] = cands;
            n++;
        }
    }

    private final int window;
    private final Map<String, Series> series = new LinkedHashMap<>();

    public RetrievalTracker(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("rolling window must be >= 1, was " + window);
        }
        this.window = window;
    }

    /**
     * Records one labelled decode.
     *
     * @param rank       how many candidates scored above the true image (0 = first)
     * @param candidates how many candidates there were
     */
    public synchronized Snapshot record(String key, int rank, int candidates) {
        if (candidates < 1 || rank < 0 || rank >= candidates) {
            throw new IllegalArgumentException("rank " + rank + " out of " + candidates + " candidates");
        }
        Series s = series.computeIfAbsent(key, k -> new Series());
        s.add(rank, candidates);
        return snapshotOf(key, s);
    }

    public synchronized Snapshot snapshot(String key) {
        Series s = series.get(key);
        return s == null ? new Snapshot(key, RetrievalSummary.EMPTY, RetrievalSummary.EMPTY, window) : snapshotOf(key, s);
    }

    public synchronized Map<String, Snapshot> snapshots() {
        Map<String, Snapshot> out = new LinkedHashMap<>();
        series.forEach((k, s) -> out.put(k, snapshotOf(k, s)));
        return out;
    }

    private Snapshot snapshotOf(String key, Series s) {
        return new Snapshot(key, RetrievalSummary.of(s.ranks, s.candidates, 0, s.n),
                RetrievalSummary.of(s.ranks, s.candidates, Math.max(0, s.n - window), s.n), window);
    }
}
