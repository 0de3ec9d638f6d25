package io.mindstream.ingest.export;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.formats.xdf.XdfWriter;
import io.mindstream.ingest.replay.ChunkArrays;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.journal.Recording;
import io.mindstream.journal.ReplayItem;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.StreamInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recorded session (journal or Kafka) written as XDF, one XDF stream per recorded stream: numeric streams with
 * their recorded stamps and values in their own format, marker streams as string streams (the label, or the code
 * when a marker has no label). The stamps are already in the ingest host's clock, so each stream gets one clock
 * offset of 0 (what a reader applies changes nothing). Written incrementally, as {@code record} writes.
 */
public final class XdfExport {

    /** What was exported: streams and samples. */
    public record Result(int streams, long samples) {
    }

    private XdfExport() {
    }

    public static Result write(Recording recording, Path out, String session) throws IOException {
        Map<String, Integer> ids = new LinkedHashMap<>();
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
                    StreamInfo info = infoOf(item);
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
        return new Result(ids.size(), samples);
    }

    private static StreamInfo infoOf(ReplayItem item) {
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
