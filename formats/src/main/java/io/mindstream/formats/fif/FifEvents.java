package io.mindstream.formats.fif;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Events from stim channels with the semantics of MNE's {@code mne.find_events} (mne/event.py, 1.3): the channel is
 * truncated to integers (absolute value if negative), steps are found with a stop pad of 0, steps closer than the
 * minimum duration merged towards the earlier one, the mask applied, then onsets kept by the {@code consecutive}
 * rule, with orphaned onsets/offsets at the ends removed. Several stim channels: events of each, de-duplicated,
 * sorted by sample. A port, not a re-invention, so the same file gives the same events in Java and in MNE.
 */
public final class FifEvents {

    /** Which steps count as events ({@code consecutive}: "increasing", true, false in MNE). */
    public enum Consecutive { INCREASING, ANY, FROM_ZERO }

    /** How the mask is applied ({@code mask_type}). */
    public enum MaskType { AND, NOT_AND }

    /**
     * find_events' options, MNE's defaults from {@link #defaults()}.
     *
     * @param stimChannels  channel names; empty = MNE's choice (STI101, else STI 014, else every stim channel)
     * @param consecutive   which steps are onsets
     * @param minDuration   seconds a value must last to be an event (0 = any)
     * @param mask          bit mask, null = none
     * @param maskType      how the mask applies
     * @param initialEvent  whether a non-zero first value is an event
     * @param uintCast      read the channel as unsigned 16-bit (Neuromag STI016 workaround)
     */
    public record Options(List<String> stimChannels, Consecutive consecutive, double minDuration, Integer mask,
                          MaskType maskType, boolean initialEvent, boolean uintCast) {

        public static Options defaults() {
            return new Options(List.of(), Consecutive.INCREASING, 0, null, MaskType.AND, false, false);
        }

        public Options withStimChannels(List<String> names) {
            return new Options(List.copyOf(names), consecutive, minDuration, mask, maskType, initialEvent, uintCast);
        }

        public Options withMinDuration(double seconds) {
            return new Options(stimChannels, consecutive, seconds, mask, maskType, initialEvent, uintCast);
        }

        public Options withMask(Integer bits, MaskType type) {
            return new Options(stimChannels, consecutive, minDuration, bits, type, initialEvent, uintCast);
        }

        public Options withConsecutive(Consecutive rule) {
            return new Options(stimChannels, rule, minDuration, mask, maskType, initialEvent, uintCast);
        }

        public Options withInitialEvent(boolean on) {
            return new Options(stimChannels, consecutive, minDuration, mask, maskType, on, uintCast);
        }
    }

    private FifEvents() {
    }

    /** The stim channels find_events would read: the given ones (checked), else MNE's default choice. */
    public static List<String> stimChannels(FifInfo info, List<String> requested) {
        if (!requested.isEmpty()) {
            for (String n : requested) {
                if (info.indexOf(n) < 0) {
                    throw new IllegalArgumentException("no channel named '" + n + "' (stim channels: "
                            + info.channels().stream().filter(FifChannel::isStim).map(FifChannel::name).toList() + ")");
                }
            }
            return requested;
        }
        if (info.indexOf("STI101") >= 0) {
            return List.of("STI101");
        }
        if (info.indexOf("STI 014") >= 0) {
            return List.of("STI 014");
        }
        List<String> stim = info.channels().stream().filter(FifChannel::isStim).map(FifChannel::name).toList();
        if (stim.isEmpty()) {
            throw new IllegalArgumentException("no stim channel in the recording");
        }
        return stim;
    }

    /** Events of every channel in {@code data} (each the whole recording), de-duplicated and sorted by sample. */
    public static List<FifEvent> find(List<double[]> data, long firstSample, double sfreq, Options o) {
        Set<FifEvent> all = new LinkedHashSet<>();
        for (double[] d : data) {
            all.addAll(findOne(d, firstSample, sfreq, o));
        }
        List<FifEvent> out = new ArrayList<>(all);
        out.sort(Comparator.comparingLong(FifEvent::sample));
        return out;
    }

    /** MNE's _find_events for one channel. */
    static List<FifEvent> findOne(double[] channel, long firstSample, double sfreq, Options o) {
        double minSamples = o.minDuration() * sfreq;
        int merge = 0;
        if (minSamples > 0) {
            merge = (int) Math.floor(minSamples);
            if (merge == minSamples) {
                merge -= 1;
            }
        }
        long[] v = new long[channel.length];
        boolean negative = false;
        for (int i = 0; i < v.length; i++) {
            long x = (long) channel[i];          // numpy astype(int64): truncation toward zero
            if (o.uintCast()) {
                x = x & 0xFFFF;
            }
            v[i] = x;
            negative |= x < 0;
        }
        if (negative) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.abs(v[i]);
            }
        }
        List<long[]> steps = steps(v, firstSample, merge);
        if (v.length > 0 && v[0] != 0 && o.initialEvent()) {
            steps.add(0, new long[]{firstSample, 0, v[0]});
        }
        // mask, then drop steps the mask made flat
        if (o.mask() != null && !steps.isEmpty()) {
            long m = o.maskType() == MaskType.NOT_AND ? ~(long) o.mask() : o.mask();
            for (long[] s : steps) {
                s[1] &= m;
                s[2] &= m;
            }
        }
        steps.removeIf(s -> s[1] == s[2]);
        List<Integer> onsets = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            long before = steps.get(i)[1];
            long after = steps.get(i)[2];
            boolean on;
            boolean off;
            switch (o.consecutive()) {
                case INCREASING -> {
                    on = after > before;
                    off = (on || after == 0) && before > 0;
                }
                case ANY -> {
                    on = after > 0;
                    off = before > 0;
                }
                default -> {
                    on = before == 0;
                    off = after == 0;
                }
            }
            if (on) {
                onsets.add(i);
            }
            if (off) {
                offsets.add(i);
            }
        }
        if (onsets.isEmpty() || offsets.isEmpty()) {
            return List.of();
        }
        if (onsets.get(0) > offsets.get(0)) {
            offsets.remove(0);
        }
        if (offsets.isEmpty() || onsets.get(onsets.size() - 1) > offsets.get(offsets.size() - 1)) {
            onsets.remove(onsets.size() - 1);
        }
        List<FifEvent> out = new ArrayList<>(onsets.size());
        for (int i : onsets) {
            long[] s = steps.get(i);
            out.add(new FifEvent(s[0], (int) s[1], (int) s[2]));
        }
        return out;
    }

    /** MNE's _find_stim_steps with pad_stop=0 and the given merge: rows {sample, before, after}. */
    private static List<long[]> steps(long[] v, long firstSample, int merge) {
        List<long[]> steps = new ArrayList<>();
        for (int i = 0; i + 1 < v.length; i++) {
            if (v[i + 1] != v[i]) {
                steps.add(new long[]{i + 1 + firstSample, v[i], v[i + 1]});
            }
        }
        if (steps.isEmpty()) {
            return steps;
        }
        long last = steps.get(steps.size() - 1)[2];
        if (last != 0) {
            steps.add(new long[]{v.length + firstSample, last, 0});
        }
        if (merge != 0 && steps.size() > 1) {
            int n = steps.size();
            boolean[] close = new boolean[n - 1];
            boolean anyClose = false;
            for (int i = 0; i + 1 < n; i++) {
                close[i] = steps.get(i + 1)[0] - steps.get(i)[0] <= Math.abs(merge);
                anyClose |= close[i];
            }
            if (anyClose) {
                boolean[] keep = new boolean[n];
                if (merge > 0) {
                    // numpy assigns steps[where + 1] = steps[where] at once: read the original values first
                    long[] before = new long[n];
                    for (int i = 0; i < n; i++) {
                        before[i] = steps.get(i)[1];
                    }
                    for (int i = 0; i + 1 < n; i++) {
                        if (close[i]) {
                            steps.get(i + 1)[1] = before[i];
                        }
                        keep[i] = !close[i];
                    }
                    keep[n - 1] = true;
                } else {
                    // numpy applies steps[where] = steps[where + 1] all at once: read the originals first
                    long[] nextAfter = new long[n];
                    for (int i = 0; i + 1 < n; i++) {
                        nextAfter[i] = steps.get(i + 1)[2];
                    }
                    for (int i = 0; i + 1 < n; i++) {
                        if (close[i]) {
                            steps.get(i)[2] = nextAfter[i];
                        }
                    }
                    keep[0] = true;
                    for (int i = 1; i < n; i++) {
                        keep[i] = !close[i - 1];
                    }
                }
                List<long[]> kept = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (keep[i] && steps.get(i)[1] != steps.get(i)[2]) {
                        kept.add(steps.get(i));
                    }
                }
                return kept;
            }
        }
        return steps;
    }
}
