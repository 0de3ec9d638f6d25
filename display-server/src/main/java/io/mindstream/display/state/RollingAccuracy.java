package io.mindstream.display.state;

import io.mindstream.contracts.Match;

import java.util.List;
import java.util.Set;

/**
 * Top-1 / top-5 retrieval accuracy over the last {@code window} scorable results, and since start. A result is
 * scorable when its trigger names the stimulus image (marker-locked epochs) and that image is among the decoder's
 * retrieval candidates; sliding windows, and trials of images the decoder cannot retrieve (e.g. training images when
 * it retrieves among the test split), are not scored. Chance is what picking {@code k} of the {@code N} candidates at
 * random would score: {@code k / N}.
 */
public final class RollingAccuracy {

    /** Whether one result's top-k held the true image. */
    public record Hit(boolean top1, boolean top5) {
    }

    /** The numbers the page shows. Chance values are NaN when the bank size is unknown. */
    public record Summary(int window, int n, double top1, double top5, long total, double totalTop1,
                          double totalTop5, double chance1, double chance5) {
    }

    private final int window;
    private final int candidateCount;     // N of the chance level k / N; 0 if unknown
    private final Set<String> candidates; // null: every image of the bank
    private final byte[] ring;             // bit 0 = top-1 hit, bit 1 = top-5 hit
    private int head;
    private int n;
    private int sum1;
    private int sum5;
    private long total;
    private long total1;
    private long total5;

    /** @param bankSize images in the bank the decoder retrieves from; 0 if unknown */
    public RollingAccuracy(int window, int bankSize) {
        this(window, bankSize, null);
    }

    /**
     * @param bankSize   images in the bank; 0 if unknown
     * @param candidates ids of the images the decoder retrieves among (only their trials are scored, and chance is
     *                   {@code k / candidates.size()}); null when it retrieves among the whole bank
     */
    public RollingAccuracy(int window, int bankSize, Set<String> candidates) {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be > 0");
        }
        if (candidates != null && candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates must not be empty (null = the whole bank)");
        }
        this.window = window;
        this.candidates = candidates == null ? null : Set.copyOf(candidates);
        this.candidateCount = this.candidates != null ? this.candidates.size() : Math.max(0, bankSize);
        this.ring = new byte[window];
    }

    /** Scores one result; null (and nothing counted) when the trigger names no image or one not among the candidates. */
    public synchronized Hit score(String trueImageId, List<Match> topK) {
        if (trueImageId == null || trueImageId.isEmpty() || (candidates != null && !candidates.contains(trueImageId))) {
            return null;
        }
        boolean h1 = !topK.isEmpty() && topK.get(0).imageId().equals(trueImageId);
        boolean h5 = false;
        for (int i = 0; i < Math.min(5, topK.size()); i++) {
            h5 |= topK.get(i).imageId().equals(trueImageId);
        }
        byte bits = (byte) ((h1 ? 1 : 0) | (h5 ? 2 : 0));
        if (n == window) {
            byte old = ring[head];
            sum1 -= old & 1;
            sum5 -= (old >> 1) & 1;
        } else {
            n++;
        }
        ring[head] = bits;
        head = (head + 1) % window;
        sum1 += h1 ? 1 : 0;
        sum5 += h5 ? 1 : 0;
        total++;
        total1 += h1 ? 1 : 0;
        total5 += h5 ? 1 : 0;
        return new Hit(h1, h5);
    }

    public synchronized Summary summary() {
        double c1 = candidateCount > 0 ? 1.0 / candidateCount : Double.NaN;
        double c5 = candidateCount > 0 ? Math.min(5, candidateCount) / (double) candidateCount : Double.NaN;
        return new Summary(window, n, n == 0 ? Double.NaN : sum1 / (double) n, n == 0 ? Double.NaN : sum5 / (double) n,
                total, total == 0 ? Double.NaN : total1 / (double) total,
                total == 0 ? Double.NaN : total5 / (double) total, c1, c5);
    }
}
