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
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A recorded session's MEG (or EEG) stream and its markers written as a raw FIF file that MNE opens:
 * <ul>
 *   <li>the data stream's channels as {@code MEG001…} (kind MEG, unit T; EEG: {@code EEG001…}, V), values as recorded
 *       (float32 buffers, calibration 1);</li>
 *   <li>a stim channel {@code STI101} carrying each marker's integer code as a pulse starting at the marker's sample
 *       ({@code pulseSamples} long, shortened so that pulses never merge), so MNE's {@code find_events} gives the
 *       markers back;</li>
 *   <li>labelled markers as annotations (description = label), onsets from the first sample;</li>
 *   <li>samples the recording lost (holes in the sequence numbers) as zeros under a {@code BAD_ACQ_SKIP}
 *       annotation, the way MNE marks acquisition skips.</li>
 * </ul>
 * The recording is read twice: once for the markers (small), once to stream the data into the file.
 */
public final class FifExport {

    /** What was exported. */
    public record Result(String streamId, int channels, long samples, int events, int annotations) {
    }

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
        double t0 = first.timestamps()[0];
        long seq0 = first.firstSequence();

        List<FifChannel> chs = new ArrayList<>();
        boolean meg = first.kind() == StreamKind.MEG;
        for (int c = 0; c < nchan; c++) {
            chs.add(new FifChannel(String.format(Locale.ROOT, meg ? "MEG%03d" : "EEG%03d", c + 1), c + 1, c + 1,
                    meg ? FifConstants.CH_MEG : FifConstants.CH_EEG, 1f, 1f, 0, new float[12],
                    meg ? FifConstants.UNIT_T : FifConstants.UNIT_V, 0));
        }
        chs.add(new FifChannel("STI101", nchan + 1, nchan + 1, FifConstants.CH_STIM, 1f, 1f, 0, new float[12],
                FifConstants.UNIT_NONE, 0));
        FifInfo info = new FifInfo(chs, rate, Optional.empty(), 0, rate / 2, Optional.empty(),
                "mindstream export of " + id, "", List.of(), List.of());

        // event pulses, by sample index from the first sample
        List<long[]> pulses = new ArrayList<>();
        List<FifAnnotation> notes = new ArrayList<>();
        for (Marker m : markers) {
            long at = Math.round((m.timestamp() - t0) * rate);
            if (at < 0) {
                continue;
            }
            if (m.code() != null && m.code() > 0) {
                pulses.add(new long[]{at, m.code()});
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
        int nout = nchan + 1;
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
                        buf[s * nout + ch] = c.value(s, ch);
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
        return new Result(id, nchan, written, pulses.size(), notes.size());
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
