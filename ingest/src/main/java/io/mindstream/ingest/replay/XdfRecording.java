package io.mindstream.ingest.replay;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.formats.xdf.XdfFormat;
import io.mindstream.formats.xdf.XdfReader;
import io.mindstream.formats.xdf.XdfStream;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.journal.Recording;
import io.mindstream.journal.ReplayItem;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.XmlElement;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An XDF file (LabRecorder's, or ours) as a {@link Recording}: each stream's stamps moved into the recording host's
 * clock with its clock offsets ({@link XdfStream#corrected}), so streams recorded from several machines replay in
 * step; numeric streams as chunks of about 10 ms, string streams as markers. Stream ids are the recorded source_id
 * (the name when there is none), as ingest names live streams; each outlet's description is the recorded one.
 *
 * <p>The file is read into memory once (XDF has no index to seek by time).
 */
public final class XdfRecording {

    private static final double CHUNK_SECONDS = 0.010;

    private final Path file;
    private final List<XdfStream> streams;
    private final Map<String, XdfStream> byId = new HashMap<>();

    private XdfRecording(Path file, List<XdfStream> streams) {
        this.file = file;
        this.streams = streams;
        for (XdfStream s : streams) {
            byId.put(idOf(s), s);
        }
    }

    /** Reads the file; {@code only} (stream ids) selects streams, empty = all. */
    public static XdfRecording open(Path file, Set<String> only) throws IOException {
        XdfReader.XdfFile f = XdfReader.read(file);
        List<XdfStream> chosen = new ArrayList<>();
        for (XdfStream s : f.streams()) {
            if ((only.isEmpty() || only.contains(idOf(s))) && s.sampleCount() > 0) {
                chosen.add(s);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(file + ": no stream with samples"
                    + (only.isEmpty() ? "" : " among " + only));
        }
        return new XdfRecording(file, List.copyOf(chosen));
    }

    static String idOf(XdfStream s) {
        return s.sourceId().isEmpty() ? s.name() : s.sourceId();
    }

    public String summary() {
        List<String> parts = new ArrayList<>();
        for (XdfStream s : streams) {
            parts.add(idOf(s) + " (" + s.type() + ", " + s.channels() + " ch " + s.format().xmlName() + ", "
                    + s.sampleCount() + " samples)");
        }
        return streams.size() + " streams: " + String.join(", ", parts);
    }

    /** The recorded description of each stream, copied into its outlet's {@code <desc>}. */
    public StreamDescriber describer() {
        return (id, desc) -> {
            XdfStream s = byId.get(id);
            if (s != null) {
                copy(StreamInfo.fromXml(s.headerXml()).desc(), desc);
            }
        };
    }

    private static void copy(XmlElement from, XmlElement to) {
        for (XmlElement c : from.children()) {
            XmlElement k = to.appendChild(c.name());
            if (c.value() != null && !c.value().isEmpty()) {
                k.setValue(c.value());
            }
            copy(c, k);
        }
    }

    public Supplier<Recording> recordings() {
        return Pass::new;
    }

    /** One pass: a merge of every stream's next item by (corrected) first stamp. */
    private final class Pass implements Recording {
        private final PriorityQueue<Cursor> heads = new PriorityQueue<>((a, b) -> Double.compare(a.time(), b.time()));

        Pass() {
            for (XdfStream s : streams) {
                heads.add(new Cursor(s));
            }
        }

        @Override
        public ReplayItem next() {
            Cursor c = heads.poll();
            if (c == null) {
                return null;
            }
            ReplayItem item = c.take();
            if (c.at < c.s.sampleCount()) {
                heads.add(c);
            }
            return item;
        }

        @Override
        public void close() {
        }
    }

    private static final class Cursor {
        final XdfStream s;
        final String id;
        final StreamKind kind;
        final int chunk;
        int at;

        Cursor(XdfStream s) {
            this.s = s;
            this.id = idOf(s);
            this.kind = StreamKinds.defaults().kindOf(s.type(), s.format() == XdfFormat.STRING);
            this.chunk = s.nominalRate() > 0 ? Math.max(1, (int) Math.round(s.nominalRate() * CHUNK_SECONDS)) : 1;
        }

        double time() {
            return s.corrected(s.timestamps()[at]);
        }

        ReplayItem take() {
            if (s.format() == XdfFormat.STRING || kind == StreamKind.MARKER) {
                int i = at++;
                String label = s.strings() != null ? s.strings()[i * s.channels()] : null;
                Integer code = s.strings() == null ? (int) s.values()[i * s.channels()] : null;
                return ReplayItem.of(new Marker("xdf", id, i, s.corrected(s.timestamps()[i]), label, code, null,
                        TraceStamps.empty()));
            }
            int n = Math.min(chunk, s.sampleCount() - at);
            double[] ts = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = s.corrected(s.timestamps()[at + i]);
            }
            ChannelFormat f = ChannelFormat.valueOf(s.format().name());
            int ch = s.channels();
            ByteBuffer b = ByteBuffer.allocate(n * ch * f.bytesPerValue()).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = at * ch; k < (at + n) * ch; k++) {
                double v = s.values()[k];
                switch (f) {
                    case FLOAT32 -> b.putFloat((float) v);
                    case DOUBLE64 -> b.putDouble(v);
                    case INT32 -> b.putInt((int) v);
                    case INT16 -> b.putShort((short) v);
                    case INT8 -> b.put((byte) v);
                    case INT64 -> b.putLong((long) v);
                    case STRING -> throw new IllegalStateException("strings are markers");
                }
            }
            SampleChunk c = new SampleChunk("xdf", id, kind, f, ch, 0, ch, s.nominalRate(), at, 0, ts, b.array(),
                    TraceStamps.empty());
            at += n;
            return ReplayItem.of(c);
        }
    }

    public Path file() {
        return file;
    }
}
