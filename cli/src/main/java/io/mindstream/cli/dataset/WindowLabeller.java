package io.mindstream.cli.dataset;

import io.mindstream.contracts.Epoch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Pairs sliding windows with the trials they fall in, for {@code dataset export --windows}: a window whose end is at
 * time t belongs to every trial whose onset marker lies at t − offset for an offset in [{@code from} − step/2,
 * {@code to} + step/2), so each trial gets exactly one window per step-wide offset bin centred on from, from + step,
 * … to. Where two trials' spans overlap (onsets less than to − from + step apart), the window is labelled for both:
 * time-resolved decoding scores every trial at every offset, as the paper's epochs overlap too.
 *
 * <p>Windows come before the markers that may label them (a window ending 0.2 s before an onset is cut before that
 * onset's marker arrives), so windows wait here until the caller says that every marker up to some time has arrived
 * ({@link #knownUntil}); the wait is bounded by the span before onset (≈ 0.2 s of windows). Not thread-safe.
 */
final class WindowLabeller {

    /** An onset marker: the trial's image, split and number, and its time on the stream clock. */
    record Trial(double onset, String imageId, String split, int trial) {
    }

    /** A window labelled for one trial; {@code offset} = window end time − the trial's onset. */
    record Labelled(Epoch window, Trial trial, double offset) {
    }

    /**
     * Window ends and onsets lie on sample grids, so an offset can fall exactly on a bin edge; computed in floating
     * point it may land a hair either side. Edges are moved down by this much so that such an offset always counts as
     * the lower edge of its bin (a trial then always has one window per bin).
     */
    static final double EDGE = 1e-9;

    private final double lo;
    private final double hi;
    private final Deque<Epoch> pending = new ArrayDeque<>();
    private final Deque<Trial> trials = new ArrayDeque<>();
    private long unlabelled;

    /**
     * @param from first offset bin centre (seconds, e.g. −0.2)
     * @param to   last offset bin centre (e.g. 1.3)
     * @param step bin width: the windows' hop (0.05)
     */
    WindowLabeller(double from, double to, double step) {
        if (!(to >= from) || !(step > 0)) {
            throw new IllegalArgumentException("offset range " + from + " … " + to + " step " + step);
        }
        this.lo = from - step / 2 - EDGE;
        this.hi = to + step / 2 - EDGE;
    }

    /** An onset marker (in arrival order: onsets never go back in time). */
    void trial(Trial t) {
        trials.addLast(t);
    }

    /** A window the processor cut; it waits until the markers that may label it are known. */
    void window(Epoch w) {
        pending.addLast(w);
    }

    /** Every marker stamped at or before {@code time} has arrived: labels the windows that only such markers label. */
    List<Labelled> knownUntil(double time) {
        List<Labelled> out = new ArrayList<>();
        // a window ending at t is labelled by onsets in (t − hi, t − lo]: all known once time ≥ t − lo
        while (!pending.isEmpty() && pending.peekFirst().trigger().eventTime() - lo <= time) {
            label(pending.removeFirst(), out);
        }
        return out;
    }

    /** End of input: labels every window still waiting with the trials known. */
    List<Labelled> flush() {
        return knownUntil(Double.POSITIVE_INFINITY);
    }

    /** Windows labelled for no trial so far (between blocks, around catch trials, before the first onset). */
    long unlabelled() {
        return unlabelled;
    }

    private void label(Epoch w, List<Labelled> out) {
        double t = w.trigger().eventTime();
        // trials too early for this window are too early for every later one
        while (!trials.isEmpty() && t - trials.peekFirst().onset() >= hi) {
            trials.removeFirst();
        }
        int before = out.size();
        for (Trial tr : trials) {
            double offset = t - tr.onset();
            if (offset < lo) {
                break;
            }
            out.add(new Labelled(w, tr, offset));
        }
        if (out.size() == before) {
            unlabelled++;
        }
    }
}
