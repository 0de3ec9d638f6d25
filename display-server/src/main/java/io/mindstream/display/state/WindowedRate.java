package io.mindstream.display.state;

import java.util.ArrayDeque;

/**
 * A count's rate per second over the reports of the last {@link #WINDOW_US}, not over the last report period: a
 * marker stream or the results (one every second or two) would read 0.00/s half of the time over one 1 s period
 * while they flow. Fed once per report; not thread-safe (its owner reports under its own lock).
 */
public final class WindowedRate {

    public static final long WINDOW_US = 10_000_000L;

    /** {report µs, count} of the reports in the window (and the newest before it, as the baseline), oldest first. */
    private final ArrayDeque<long[]> history = new ArrayDeque<>();

    /**
     * The rate of {@code count} at {@code nowUs}, then remembers this report.
     *
     * @param previousReportUs the owner's previous report (0: none), the baseline of a count with no history yet
     *                         (it counted from 0 since then)
     */
    public double rate(long nowUs, long count, long previousReportUs) {
        while (history.size() >= 2) {
            long[] first = history.pollFirst();
            if (history.peekFirst()[0] > nowUs - WINDOW_US) {
                history.addFirst(first);
                break;
            }
        }
        long[] base = history.isEmpty() ? new long[]{previousReportUs, 0} : history.peekFirst();
        history.addLast(new long[]{nowUs, count});
        return base[0] == 0 ? Double.NaN : (count - base[1]) / ((nowUs - base[0]) / 1e6);
    }
}
