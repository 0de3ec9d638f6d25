package io.mindstream.ingest.export;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.formats.fif.FifAnnotation;
import io.mindstream.formats.fif.FifChannel;
import io.mindstream.formats.fif.FifConstants;
import io.mindstream.formats.fif.FifInfo;
import io.mindstream.formats.fif.FifRawWriter;
import io.mindstream.journal.Recording;
import io.mindstream.journal.ReplayItem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A recorded session's MEG (or EEG) stream and its markers written as a raw FIF file that MNE opens:
 * <ul>
 *   <li>the data stream's channels named, typed and scaled to SI units from the stream's recorded description
 *       ({@link FifChannels}: labels, MNE channel types, units), float32 buffers; a stream
 *       recorded without a description gets {@code MEG001…} (kind MEG, unit T; EEG: {@code EEG001…}, V), and
 *       {@link Result#channelNote()} says so;</li>
 *   <li>when the stream has no stim channel of its own, a stim channel {@code STI101} carrying each marker's integer
 *       code as a pulse starting at the marker's sample ({@code pulseSamples} long, shortened so that pulses never
 *       merge), so MNE's {@code find_events} gives the markers back. When it has one (a Neuromag acquisition streams
 *       its STI channels with the data), that channel already holds the events and no second one is added: a coded
 *       marker it does not show (no onset of that code within a sample) becomes an annotation named by its code;</li>
 *   <li>labelled markers as annotations (description = label), onsets from the first sample;</li>
 *   <li>samples the recording lost (holes in the sequence numbers) as zeros under a {@code BAD_ACQ_SKIP}
 *       annotation, the way MNE marks acquisition skips.</li>
 * </ul>
 * The recording is read twice: once for the markers (small), once to stream the data into the file.
 */
public final class FifExport {

    /**
     * What was exported.
     *
     * @param stimChannel the channel the events are on: {@code STI101} (added) or the stream's own stim channel(s)
     * @param events      coded markers written as pulses on the added STI101, or found on the stream's own stim
     *                    channel
     * @param annotations annotations written from markers (labels, and codes the stream's stim channel lacks)
     * @param named       whether the channel names come from the stream's description
     * @param channelNote one line on where the channel names come from (and what fell back)
     */
    public record Result(String streamId, int channels, long samples, String stimChannel, int events,
                         int annotations, boolean named, String channelNote) {
    }

    /** The stim channel added when the stream has none: Neuromag's trigger sum channel, MNE's first default. */
    static final String ADDED_STIM = "STI101";

    private FifExport() {
    }

    public static Result write(Supplier<Recording> recordings, Path out, String dataStream, int pulseSamples)
            throws IOException {
        // pass 1: the data stream's shape and the markers
        SampleChunk first = null;
        List<Marker> markers = new ArrayList<>();
        java.util.Map<String, Long> next = new java.util.HashMap<>();
        java.util.Map<String, List<long[]>> holesOf = new java.util.HashMap<>();
        List<String> candidates = new ArrayList<>();
        FifChannels channels = null;
        StimOnsets onsets = null;
        SampleClock clock = new SampleClock();
        try (Recording rec = recordings.get()) {
            ReplayItem it;
            while ((it = rec.next()) != null) {
                if (it.marker() != null) {
                    markers.add(it.marker());
                } else if (!it.isEnd()) {
                    SampleChunk c = it.chunk();
                    boolean eligible = dataStream != null ? c.streamId().equals(dataStream)
                            : c.kind() == StreamKind.MEG || c.kind() == StreamKind.EEG;
                    if (eligible && !candidates.contains(c.streamId())) {
                        candidates.add(c.streamId());
                    }
                    if (eligible && first == null) {
                        first = c;
                        // its description precedes its data: known now, so its stim channels can be watched
                        channels = FifChannels.of(c.streamId(), c.kind(), c.totalChannels(),
                                rec.description(c.streamId()));
                        onsets = new StimOnsets(channels.stimIndices(), c.firstSequence());
                    }
                    if (eligible && c.streamId().equals(first.streamId())) {
                        onsets.scan(c);
                        clock.add(c);
                    }
                    if (eligible) {
                        Long expected = next.get(c.streamId());
                        if (expected != null && c.firstSequence() > expected) {
                            holesOf.computeIfAbsent(c.streamId(), k -> new ArrayList<>())
                                    .add(new long[]{expected, c.firstSequence() - expected});
                        }
                        next.merge(c.streamId(), c.firstSequence() + c.sampleCount(), Math::max);
                    }
                }
            }
        }
        if (first == null) {
            throw new IllegalArgumentException(dataStream != null ? "no stream '" + dataStream + "' in the recording"
                    : "no MEG or EEG stream in the recording");
        }
        if (candidates.size() > 1) {
            throw new IllegalArgumentException("several MEG/EEG streams " + candidates + ": choose one");
        }
        String id = first.streamId();
        int nchan = first.totalChannels();
        double rate = first.nominalRate();
        if (!(rate > 0)) {
            throw new IllegalArgumentException("stream " + id + " has no nominal rate: FIF raw needs a regular stream");
        }
        long seq0 = first.firstSequence();
        clock.seal(seq0, rate);

        boolean ownStim = !channels.stimIndices().isEmpty();
        List<FifChannel> chs = new ArrayList<>(channels.channels());
        if (!ownStim) {
            chs.add(new FifChannel(ADDED_STIM, nchan + 1, nchan + 1, FifConstants.CH_STIM, 1f, 1f, 0, new float[12],
                    FifConstants.UNIT_NONE, 0));
        }
        FifInfo info = new FifInfo(chs, rate, Optional.empty(), 0, rate / 2, Optional.empty(),
                "mindstream export of " + id, "", List.of(), List.of());

        // event pulses (on the added STI101), by sample index from the first sample
        List<long[]> pulses = new ArrayList<>();
        List<FifAnnotation> notes = new ArrayList<>();
        int onOwnStim = 0;
        for (Marker m : markers) {
            long at = clock.sampleAt(m.timestamp());
            if (at < 0) {
                continue;
            }
            if (m.code() != null && m.code() > 0) {
                if (!ownStim) {
                    pulses.add(new long[]{at, m.code()});
                } else if (onsets.has(at, m.code())) {
                    onOwnStim++;
                } else if (m.label() == null) {
                    notes.add(new FifAnnotation(at / rate, 0, Integer.toString(m.code()), List.of()));
                }
            }
            if (m.label() != null) {
                notes.add(new FifAnnotation(at / rate, 0, m.label(), List.of()));
            }
        }
        pulses.sort((a, b) -> Long.compare(a[0], b[0]));

        List<FifAnnotation> all = new ArrayList<>(notes);
        for (long[] h : holesOf.getOrDefault(id, List.of())) {
            all.add(new FifAnnotation((h[0] - seq0) / rate, h[1] / rate, "BAD_ACQ_SKIP", List.of()));
        }
        all.sort((a, b) -> Double.compare(a.onset(), b.onset()));

        // pass 2: the data, in sequence order, holes as zeros
        long written = 0;
        int nout = chs.size();
        double[] toSi = channels.toSi();
        try (Recording rec = recordings.get(); FifRawWriter w = FifRawWriter.create(out, info, 0, all)) {
            ReplayItem it;
            double[] buf = new double[0];
            int p = 0;
            while ((it = rec.next()) != null) {
                if (it.chunk() == null || it.isEnd() || !it.chunk().streamId().equals(id)) {
                    continue;
                }
                SampleChunk c = it.chunk();
                long start = c.firstSequence() - seq0;
                if (start < written) {
                    continue;                       // a duplicate the journal kept: already written
                }
                if (start > written) {
                    double[] zeros = new double[(int) Math.min(start - written, 1 << 16) * nout];
                    while (written < start) {
                        int k = (int) Math.min(start - written, zeros.length / nout);
                        w.write(zeros, k);
                        written += k;
                    }
                }
                int n = c.sampleCount();
                if (buf.length < n * nout) {
                    buf = new double[n * nout];
                }
                for (int s = 0; s < n; s++) {
                    for (int ch = 0; ch < nchan; ch++) {
                        buf[s * nout + ch] = c.value(s, ch) * toSi[ch];
                    }
                    if (ownStim) {
                        continue;
                    }
                    long sample = written + s;
                    while (p < pulses.size() && pulseEnd(pulses, p, pulseSamples) <= sample) {
                        p++;
                    }
                    buf[s * nout + nchan] = p < pulses.size() && pulses.get(p)[0] <= sample ? pulses.get(p)[1] : 0;
                }
                w.write(buf, n);
                written += n;
            }
        }
        String stim = ownStim ? String.join(",", channels.stimIndices().stream().map(i -> chs.get(i).name())
                .toList()) : ADDED_STIM;
        return new Result(id, nchan, written, stim, ownStim ? onOwnStim : pulses.size(), notes.size(),
                channels.named(), channels.note());
    }

    /**
     * Which sample a marker's stamp falls on, by the data's own stamps rather than the nominal rate: a session replayed
     * faster than real time ({@code replay --speed}) is stamped faster than its nominal rate, and a real amplifier's
     * clock drifts from it. Within a chunk the stamp is placed between the chunk's first and last stamps; between
     * chunks (a hole), between the last stamp before it and the first after it.
     */
    private static final class SampleClock {
        private record Span(long sequence, int samples, double first, double last) {
        }

        private final List<Span> spans = new ArrayList<>();
        private long seq0;
        private double rate;

        void add(SampleChunk c) {
            double[] ts = c.timestamps();
            spans.add(new Span(c.firstSequence(), c.sampleCount(), ts[0], ts[ts.length - 1]));
        }

        void seal(long firstSequence, double nominalRate) {
            spans.sort(java.util.Comparator.comparingLong(Span::sequence));
            this.seq0 = firstSequence;
            this.rate = nominalRate;
        }

        /** The sample index (from the first sample) nearest to stamp {@code t}; negative before the data. */
        long sampleAt(double t) {
            int lo = 0;
            int hi = spans.size() - 1;
            int k = -1;
            while (lo <= hi) {                   // the last span starting at or before t
                int mid = (lo + hi) >>> 1;
                if (spans.get(mid).first() <= t) {
                    k = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (k < 0) {
                return Math.round((t - spans.get(0).first()) * rate);
            }
            Span s = spans.get(k);
            long start = s.sequence() - seq0;
            if (t <= s.last() || k == spans.size() - 1) {
                double within = s.samples() > 1 && s.last() > s.first() && t <= s.last()
                        ? (t - s.first()) / (s.last() - s.first()) * (s.samples() - 1)
                        : (t - s.first()) * rate;
                return start + Math.round(within);
            }
            Span n = spans.get(k + 1);
            long end = start + s.samples() - 1;
            if (!(n.first() > s.last())) {
                return end;                      // overlapping stamps (a source clock stepping back)
            }
            double across = (t - s.last()) / (n.first() - s.last()) * (n.sequence() - seq0 - end);
            return end + Math.round(across);
        }
    }

    /**
     * Where the stream's own stim channels step up to a non-zero value (MNE's find_events onsets), by sample index
     * from the stream's first sample, so that markers those channels already show are not written twice.
     */
    private static final class StimOnsets {
        private final int[] stim;
        private final long seq0;
        private final double[] previous;
        private final java.util.Set<Onset> onsets = new java.util.HashSet<>();

        private record Onset(long sample, long code) {
        }

        StimOnsets(List<Integer> stimChannels, long seq0) {
            this.stim = stimChannels.stream().mapToInt(Integer::intValue).toArray();
            this.seq0 = seq0;
            this.previous = new double[stim.length];
        }

        void scan(SampleChunk c) {
            for (int k = 0; k < stim.length; k++) {
                for (int s = 0; s < c.sampleCount(); s++) {
                    double v = c.value(s, stim[k]);
                    if (v != previous[k] && v != 0) {
                        onsets.add(new Onset(c.firstSequence() - seq0 + s, (long) v));
                    }
                    previous[k] = v;
                }
            }
        }

        /** Whether a channel steps to {@code code} at {@code sample}, give or take one (the marker's rounding). */
        boolean has(long sample, int code) {
            for (long d = -1; d <= 1; d++) {
                if (onsets.contains(new Onset(sample + d, code))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Where pulse {@code p} ends: after its width, or where the next pulse starts (pulses never merge). */
    private static long pulseEnd(List<long[]> pulses, int p, int width) {
        long at = pulses.get(p)[0];
        long end = at + width;
        if (p + 1 < pulses.size()) {
            end = Math.min(end, pulses.get(p + 1)[0] - 1);   // a zero between pulses where there is room
        }
        return Math.max(end, at + 1);
    }
}
