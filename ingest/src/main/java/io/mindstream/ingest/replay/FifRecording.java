package io.mindstream.ingest.replay;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.formats.fif.FifAnnotation;
import io.mindstream.formats.fif.FifChannel;
import io.mindstream.formats.fif.FifConstants;
import io.mindstream.formats.fif.FifEvent;
import io.mindstream.formats.fif.FifEvents;
import io.mindstream.formats.fif.FifInfo;
import io.mindstream.formats.fif.FifProjector;
import io.mindstream.formats.fif.FifRaw;
import io.mindstream.journal.Recording;
import io.mindstream.journal.ReplayItem;
import io.mindstream.lsl4j.XmlElement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A FIF raw recording as a {@link Recording}, for replay onto LSL as a live acquisition would publish it:
 * <ul>
 *   <li>stream {@code <id>}: every channel (stim included, as a Neuromag acquisition streams it), calibrated to SI
 *       units, float32, in chunks of {@code chunkSeconds}; a data skip is a gap in time, not zeros;</li>
 *   <li>stream {@code <id>-events}: the stim channel's events (MNE's find_events), int32 codes;</li>
 *   <li>stream {@code <id>-annotations}: the annotations' descriptions as string markers (skips excluded).</li>
 * </ul>
 * Stamps are seconds from the first sample. The events are found once (they need the whole stim channel); each
 * {@link #open()} then streams the file segment by segment.
 */
public final class FifRecording {

    private final Path file;
    private final String streamId;
    private final String session;
    private final double chunkSeconds;
    private final List<FifEvent> events;
    private final List<FifAnnotation> annotations;
    private final FifInfo info;
    private final long firstSample;

    /**
     * @param file         the FIF file (split continuations are followed)
     * @param streamId     the data stream's id (also the markers' prefix)
     * @param session      the session the records carry
     * @param eventOptions find_events options; null = publish no events
     * @param annotations  whether to publish the annotations
     * @param chunkSeconds how much data each chunk holds
     */
    public FifRecording(Path file, String streamId, String session, FifReplayConfig config) throws IOException {
        this(file, streamId, session, config.events(), config.annotations(), config.chunkSeconds());
    }

    public FifRecording(Path file, String streamId, String session, FifEvents.Options eventOptions,
                        boolean annotations, double chunkSeconds) throws IOException {
        this.file = file;
        this.streamId = streamId;
        this.session = session;
        this.chunkSeconds = chunkSeconds;
        try (FifRaw raw = FifRaw.open(file)) {
            this.info = raw.info();
            this.firstSample = raw.firstSample();
            boolean hasStim = info.channels().stream().anyMatch(FifChannel::isStim)
                    || eventOptions != null && !eventOptions.stimChannels().isEmpty();
            this.events = eventOptions == null || !hasStim ? List.of() : raw.findEvents(eventOptions);
            this.annotations = annotations ? raw.annotations().stream()
                    .filter(a -> !a.description().equals("BAD_ACQ_SKIP")).toList() : List.of();
        }
    }

    public String streamId() {
        return streamId;
    }

    public String eventStreamId() {
        return streamId + "-events";
    }

    public String annotationStreamId() {
        return streamId + "-annotations";
    }

    public List<FifEvent> events() {
        return events;
    }

    public FifInfo info() {
        return info;
    }

    /** A fresh pass over the recording (replay reads it twice: once to open every outlet, once to play). */
    public Supplier<Recording> recordings() {
        return () -> {
            try {
                return new Pass(FifRaw.open(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The data stream's kind: MEG when it has MEG channels, else EEG. */
    public StreamKind kind() {
        return info.channels().stream().anyMatch(c -> c.kind() == FifConstants.CH_MEG) ? StreamKind.MEG
                : StreamKind.EEG;
    }

    /** One pass: data chunks and markers merged in time order. */
    private final class Pass implements Recording {
        private final FifRaw raw;
        private final int nchan;
        private final int chunk;
        private final List<FifRaw.Segment> segments;
        private int segment = -1;
        private double[] values = new double[0];
        private int inSegment;
        private int event;
        private int annotation;
        private long sequence;
        private ReplayItem pendingChunk;

        Pass(FifRaw raw) {
            this.raw = raw;
            this.nchan = info.channelCount();
            this.chunk = Math.max(1, (int) Math.round(chunkSeconds * info.samplingRate()));
            this.segments = raw.segments();
        }

        @Override
        public ReplayItem next() {
            if (pendingChunk == null) {
                pendingChunk = nextChunk();
            }
            double tChunk = pendingChunk == null ? Double.POSITIVE_INFINITY : pendingChunk.firstTimestamp();
            double tEvent = event < events.size() ? time(events.get(event).sample()) : Double.POSITIVE_INFINITY;
            double tAnn = annotation < annotations.size() ? annotations.get(annotation).onset()
                    : Double.POSITIVE_INFINITY;
            if (tEvent <= tChunk && tEvent <= tAnn && tEvent < Double.POSITIVE_INFINITY) {
                FifEvent e = events.get(event++);
                return ReplayItem.of(new Marker(session, eventStreamId(), event - 1, tEvent, null, e.code(), null,
                        TraceStamps.empty()));
            }
            if (tAnn <= tChunk && tAnn < Double.POSITIVE_INFINITY) {
                FifAnnotation a = annotations.get(annotation++);
                return ReplayItem.of(new Marker(session, annotationStreamId(), annotation - 1, tAnn,
                        a.description(), null, null, TraceStamps.empty()));
            }
            ReplayItem c = pendingChunk;
            pendingChunk = null;
            return c;
        }

        private double time(long sample) {
            return (sample - firstSample) / info.samplingRate();
        }

        private ReplayItem nextChunk() {
            try {
                while (segment < 0 || inSegment >= segments.get(segment).sampleCount()) {
                    segment++;
                    inSegment = 0;
                    if (segment >= segments.size()) {
                        return null;
                    }
                    FifRaw.Segment s = segments.get(segment);
                    if (s.isSkip()) {
                        // nothing was acquired: the stream has a gap here, as the live acquisition had
                        inSegment = s.sampleCount();
                        continue;
                    }
                    int need = s.sampleCount() * nchan;
                    if (values.length < need) {
                        values = new double[need];
                    }
                    raw.read(s, values);
                }
                FifRaw.Segment s = segments.get(segment);
                int n = Math.min(chunk, s.sampleCount() - inSegment);
                double[] ts = new double[n];
                float[] v = new float[n * nchan];
                for (int i = 0; i < n; i++) {
                    ts[i] = time(s.firstSample() + inSegment + i);
                }
                int from = inSegment * nchan;
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) values[from + i];
                }
                inSegment += n;
                SampleChunk c = SampleChunk.ofFloats(session, streamId, kind(), nchan, info.samplingRate(), sequence,
                        ts, v, TraceStamps.empty());
                sequence += n;
                return ReplayItem.of(c);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                raw.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The data stream's LSL description, after the XDF meta-data conventions (channels with label, type, unit) plus
     * what FIF adds: coil type, calibration, location, the acquisition's filter settings, line frequency, date,
     * first sample, bad channels and the SSP projectors (as metadata: replay publishes the data unprojected).
     */
    public StreamDescriber describer() {
        return (id, desc) -> {
            if (id.equals(streamId)) {
                describeData(desc);
                return;
            }
            if (!id.equals(eventStreamId()) && !id.equals(annotationStreamId())) {
                return;
            }
            XmlElement src = desc.appendChild("source");
            src.appendChildValue("format", "FIF");
            src.appendChildValue("file", file.getFileName().toString());
        };
    }

    private void describeData(XmlElement desc) {
        XmlElement channels = desc.appendChild("channels");
        for (FifChannel c : info.channels()) {
            XmlElement ch = channels.appendChild("channel");
            ch.appendChildValue("label", c.name());
            ch.appendChildValue("type", c.kindName());
            ch.appendChildValue("unit", c.unitName());
            ch.appendChildValue("fiff_kind", Integer.toString(c.kind()));
            ch.appendChildValue("coil_type", Integer.toString(c.coilType()));
            ch.appendChildValue("scan_no", Integer.toString(c.scanNo()));
            ch.appendChildValue("log_no", Integer.toString(c.logNo()));
            ch.appendChildValue("range", Float.toString(c.range()));
            ch.appendChildValue("cal", Float.toString(c.cal()));
            ch.appendChildValue("unit_mul", Integer.toString(c.unitMul()));
            StringBuilder loc = new StringBuilder();
            for (float x : c.loc()) {
                loc.append(loc.isEmpty() ? "" : " ").append(x);
            }
            ch.appendChildValue("loc", loc.toString());
        }
        XmlElement acq = desc.appendChild("acquisition");
        acq.appendChildValue("format", "FIF");
        acq.appendChildValue("file", file.getFileName().toString());
        info.measDate().ifPresent(d -> acq.appendChildValue("meas_date", d.toString()));
        acq.appendChildValue("first_sample", Long.toString(firstSample));
        acq.appendChildValue("highpass", fmt(info.highpass()));
        acq.appendChildValue("lowpass", fmt(info.lowpass()));
        info.lineFreq().ifPresent(f -> acq.appendChildValue("line_freq", fmt(f)));
        if (!info.description().isEmpty()) {
            acq.appendChildValue("description", info.description());
        }
        if (!info.experimenter().isEmpty()) {
            acq.appendChildValue("experimenter", info.experimenter());
        }
        acq.appendChildValue("bads", String.join(":", info.bads()));
        XmlElement projs = desc.appendChild("projectors");
        for (FifProjector p : info.projectors()) {
            XmlElement x = projs.appendChild("projector");
            x.appendChildValue("description", p.description());
            x.appendChildValue("kind", Integer.toString(p.kind()));
            x.appendChildValue("active", Boolean.toString(p.active()));
            x.appendChildValue("channels", String.join(":", p.channels()));
            for (float[] row : p.vectors()) {
                StringBuilder v = new StringBuilder();
                for (float f : row) {
                    v.append(v.isEmpty() ? "" : " ").append(f);
                }
                x.appendChildValue("vector", v.toString());
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    /** Everything the events and annotations streams will carry, for logs: "12 events, 3 annotations". */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(info.channelCount() + " channels at " + fmt(info.samplingRate()) + " Hz");
        parts.add(events.size() + " events");
        parts.add(annotations.size() + " annotations");
        return String.join(", ", parts);
    }
}
