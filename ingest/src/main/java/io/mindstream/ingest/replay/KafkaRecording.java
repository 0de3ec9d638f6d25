package io.mindstream.ingest.replay;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.contracts.codec.MarkerCodec;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.journal.DescriptionLog;
import io.mindstream.journal.Recording;
import io.mindstream.journal.ReplayItem;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session read back from the raw topics, streaming: the session's records all sit in one partition of each raw
 * topic (keyed by session), read from the start to the end offsets of when replay began. The topics are merged
 * in time order (a k-way merge on first stamps: an item is released only when every topic still being read has a
 * head to compare with), holding at most a bounded number of records per topic. The session's stream descriptions
 * ({@link Topics#STREAMS}, small) are read in full when the recording opens; one that cannot be read is passed over
 * and named in {@link #problems()}.
 */
public final class KafkaRecording implements Recording {

    private static final int MAX_BUFFERED = 2000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] key;
    private final Set<String> streams;
    private final Map<TopicPartition, ArrayDeque<ReplayItem>> queues = new HashMap<>();
    private final Map<TopicPartition, Long> end = new HashMap<>();
    private final Set<TopicPartition> finished = new HashSet<>();
    private final SampleChunkCodec chunks = new SampleChunkCodec();
    private final MarkerCodec markers = new MarkerCodec();
    private final VolumeAssembler volumes = new VolumeAssembler();
    private final DescriptionLog descriptions;

    public KafkaRecording(String bootstrapServers, String session, Set<String> streams) {
        this.consumer = new KafkaConsumer<>(KafkaClients.reader(bootstrapServers, "mindstream-replay"));
        this.key = session.getBytes(StandardCharsets.UTF_8);
        this.streams = Set.copyOf(streams);
        this.descriptions = new DescriptionLog(streams);
        // small, read in full now: a stream's description is then known before its first record is returned
        new TopicReader(bootstrapServers, "mindstream-replay-descriptions").readAll(List.of(Topics.STREAMS), key,
                r -> descriptions.read(r.value(), "Kafka " + r.topic() + "-" + r.partition() + " offset "
                        + r.offset() + ": a stream description"));
        List<TopicPartition> tps = new ArrayList<>();
        for (StreamKind k : StreamKind.values()) {
            String topic = Topics.rawTopic(k);
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                continue;
            }
            tps.add(new TopicPartition(topic, TopicReader.partitionForKey(key, infos.size())));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        end.putAll(consumer.endOffsets(tps, Duration.ofSeconds(10)));
        for (TopicPartition tp : tps) {
            queues.put(tp, new ArrayDeque<>());
            if (end.get(tp) == 0) {
                finished.add(tp);
            }
        }
    }

    @Override
    public List<StreamDescription> descriptions() {
        return descriptions.descriptions();
    }

    @Override
    public List<String> problems() {
        return descriptions.problems();
    }

    @Override
    public ReplayItem next() {
        while (true) {
            boolean needMore = false;
            for (TopicPartition tp : queues.keySet()) {
                if (queues.get(tp).isEmpty() && !finished.contains(tp)) {
                    needMore = true;
                }
            }
            if (!needMore) {
                break;
            }
            fill();
        }
        TopicPartition best = null;
        for (Map.Entry<TopicPartition, ArrayDeque<ReplayItem>> e : queues.entrySet()) {
            ReplayItem head = e.getValue().peek();
            if (head != null && (best == null || head.firstTimestamp() < queues.get(best).peek().firstTimestamp())) {
                best = e.getKey();
            }
        }
        return best == null ? null : queues.get(best).poll();
    }

    private void fill() {
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : queues.keySet()) {
            if (!finished.contains(tp) && queues.get(tp).size() < MAX_BUFFERED) {
                resume.add(tp);
            }
        }
        consumer.pause(queues.keySet());
        consumer.resume(resume);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() >= end.get(tp) || !Arrays.equals(key, r.key())) {
                continue;
            }
            ReplayItem item;
            if (r.topic().equals(Topics.MARKERS)) {
                item = ReplayItem.of(markers.decode(r.value()));
            } else {
                SampleChunk whole = volumes.accept(chunks.decode(r.value())).orElse(null);
                if (whole == null) {
                    continue;
                }
                item = ReplayItem.of(whole);
            }
            if (streams.isEmpty() || streams.contains(item.streamId())) {
                queues.get(tp).add(item);
            }
        }
        for (TopicPartition tp : resume) {
            if (consumer.position(tp) >= end.get(tp)) {
                finished.add(tp);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
