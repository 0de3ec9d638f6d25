package io.mindstream.ingest.export;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.formats.xdf.XdfWriter;
import io.mindstream.ingest.replay.ChunkArrays;
import io.mindstream.ingest.replay.StreamDescriber;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.journal.Recording;
import io.mindstream.journal.ReplayItem;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.StreamInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded session (journal or Kafka) written as XDF, one XDF stream per recorded stream: numeric streams with
 * their recorded stamps and values in their own format, marker streams as string streams (the label, or the code
 * when a marker has no label). The stamps are already in the ingest host's clock, so each stream gets one clock
 * offset of 0 (what a reader applies changes nothing). Written incrementally, as {@code record} writes.
 *
 * <p>Each stream's header is the stream-info XML its source published, as the recording kept it
 * ({@link Recording#descriptions()}), as {@code record} writes it, with an {@code <export>} note added to its
 * {@code <desc>}. Where the export writes a stream in another shape than its source (a numeric marker stream as
 * strings) the header says the shape written and keeps the source's name, type, ids and {@code <desc>}. A stream
 * recorded without a description gets a header rebuilt from its records.
 */
public final class XdfExport {

    /**
     * What was exported: streams and samples, and the streams whose header had to be rebuilt from the records (no
     * description recorded).
     */
    public record Result(int streams, long samples, List<String> undescribed) {
    }

    private XdfExport() {
    }

    public static Result write(Recording recording, Path out, String session) throws IOException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<String> undescribed = new ArrayList<>();
        long samples = 0;
        try (Recording rec = recording; XdfWriter w = XdfWriter.create(out)) {
            ReplayItem item;
            while ((item = rec.next()) != null) {
                if (item.isEnd()) {
                    continue;
                }
                Integer id = ids.get(item.streamId());
                if (id == null) {
                    id = ids.size() + 1;
                    ids.put(item.streamId(), id);
                    StreamInfo info = infoOf(item, rec.description(item.streamId()).orElse(null));
                    if (info == null) {
                        info = rebuilt(item);
                        undescribed.add(item.streamId());
                    }
                    info.desc().appendChild("export").appendChildValue("session", session)
                            .appendChildValue("tool", "mindstream export --xdf");
                    w.streamHeader(id, info.toXml());
                    w.clockOffset(id, item.firstTimestamp(), 0.0);
                }
                if (item.marker() != null) {
                    Marker m = item.marker();
                    w.samples(id, new double[]{m.timestamp()},
                            new String[]{m.label() != null ? m.label() : Integer.toString(m.code())});
                    samples++;
                    continue;
                }
                SampleChunk c = item.chunk();
                w.samples(id, c.timestamps(), ChunkArrays.values(c));
                samples += c.sampleCount();
            }
        }
        return new Result(ids.size(), samples, List.copyOf(undescribed));
    }

    /**
     * The header from the stream's description: as the source sent it when the records have its shape, else the
     * shape written with the source's name, type, source_id and {@code <desc>}. Null without a (readable)
     * description.
     */
    private static StreamInfo infoOf(ReplayItem item, StreamDescription d) {
        if (d == null) {
            return null;
        }
        StreamInfo source;
        try {
            source = StreamInfo.fromXml(d.xml());
        } catch (IllegalArgumentException e) {
            return null;
        }
        StreamInfo written = rebuilt(item);
        if (source.channelCount() == written.channelCount() && source.channelFormat() == written.channelFormat()) {
            return source;
        }
        StreamInfo out = new StreamInfo(source.name(), source.type(), written.channelCount(), source.nominalSrate(),
                written.channelFormat(), source.sourceId());
        StreamDescriber.copy(source.desc(), out.desc());
        return out;
    }

    /** A header rebuilt from the records alone: what a stream recorded without a description gets. */
    private static StreamInfo rebuilt(ReplayItem item) {
        if (item.chunk() != null) {
            SampleChunk c = item.chunk();
            if (!c.isWhole()) {
                throw new IllegalStateException("a split record reached export: " + c);
            }
            return new StreamInfo(c.streamId(), StreamKinds.lslTypeOf(c.kind()), c.totalChannels(), c.nominalRate(),
                    ChannelFormat.valueOf(c.format().name()), c.streamId());
        }
        return new StreamInfo(item.streamId(), StreamKinds.lslTypeOf(StreamKind.MARKER), 1, 0, ChannelFormat.STRING,
                item.streamId());
    }
}
