package io.mindstream.ingest.testutil;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.contracts.codec.StreamDescriptionCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;

/** A session's records as found in the raw topics and raw.streams, decoded (tests). */
public final class Recorded {
    public final List<SampleChunk> chunks = new ArrayList<>();
    public final List<Marker> markers = new ArrayList<>();
    public final List<ConsumerRecord<byte[], byte[]>> chunkRecords = new ArrayList<>();
    public final List<ConsumerRecord<byte[], byte[]>> markerRecords = new ArrayList<>();
    public final List<StreamDescription> descriptions = new ArrayList<>();

    public static Recorded read(String bootstrap, String session) {
        Recorded r = new Recorded();
        SampleChunkCodec cc = new SampleChunkCodec();
        MarkerCodec mc = new MarkerCodec();
        StreamDescriptionCodec dc = new StreamDescriptionCodec();
        for (ConsumerRecord<byte[], byte[]> rec : TopicReader.readAll(bootstrap)) {
            if (!session.equals(new String(rec.key(), java.nio.charset.StandardCharsets.UTF_8))) {
                continue;
            }
            if (rec.topic().equals(Topics.STREAMS)) {
                r.descriptions.add(dc.decode(rec.value()));
            } else if (rec.topic().equals(Topics.MARKERS)) {
                r.markers.add(mc.decode(rec.value()));
                r.markerRecords.add(rec);
            } else {
                r.chunks.add(cc.decode(rec.value()));
                r.chunkRecords.add(rec);
            }
        }
        return r;
    }

    public List<SampleChunk> chunksOf(String streamId) {
        return chunks.stream().filter(c -> c.streamId().equals(streamId)).toList();
    }
}
