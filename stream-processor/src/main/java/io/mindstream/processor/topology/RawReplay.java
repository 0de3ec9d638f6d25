package io.mindstream.processor.topology;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.processor.fmri.VolumeAssembler;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Re-reads a stretch of a raw topic partition when a task rebuilds a stream after a restart or a rebalance: the
 * chunks between the stream's last snapshot and the last record it processed. The raw topics are the processor's
 * source of truth, so its changelogs hold only small state (snapshots, markers, progress) and never a second copy
 * of the samples (docs/stream-processor.md, "Restart").
 */
public interface RawReplay {

    /**
     * Hands every chunk of {@code session}/{@code stream} found in {@code partition} at offsets {@code from …
     * through} (inclusive) to {@code sink}, in offset order; split volume parts are joined first.
     */
    void replay(TopicPartition partition, long from, long through, String session, String stream,
                Consumer<SampleChunk> sink);

    /** For topologies without a broker behind them (TopologyTestDriver): nothing to re-read. */
    RawReplay NONE = (tp, from, through, session, stream, sink) -> {
    };

    /** Reads with a plain consumer of its own (assigned, no group) from {@code bootstrapServers}. */
    static RawReplay kafka(String bootstrapServers) {
        return new KafkaRawReplay(bootstrapServers);
    }

    /** {@link RawReplay} over a broker. */
    final class KafkaRawReplay implements RawReplay {
        private static final Logger LOG = LoggerFactory.getLogger(KafkaRawReplay.class);
        private final String bootstrapServers;

        KafkaRawReplay(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        @Override
        public void replay(TopicPartition tp, long from, long through, String session, String stream,
                           Consumer<SampleChunk> sink) {
            if (through < from) {
                return;
            }
            var chunks = ContractSerdes.sampleChunk().deserializer();
            VolumeAssembler parts = new VolumeAssembler(8);
            long t0 = System.nanoTime();
            long n = 0;
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    // a rebuild reads seconds of one partition at once: big fetches, few round trips
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024,
                    ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                    ConsumerConfig.CLIENT_ID_CONFIG, "mindstream-processor-replay"),
                    ContractSerdes.sessionKey().deserializer(), new ByteArrayDeserializer())) {
                c.assign(List.of(tp));
                c.seek(tp, from);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (c.position(tp) <= through) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not re-read " + tp + " " + from + " … " + through
                                + " within 2 minutes");
                    }
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.offset() > through) {
                            break;
                        }
                        if (!session.equals(r.key()) || r.value() == null) {
                            continue;
                        }
                        SampleChunk chunk;
                        try {
                            chunk = chunks.deserialize(r.topic(), r.value());
                        } catch (RuntimeException e) {
                            continue; // logged and skipped when it was first consumed
                        }
                        if (!stream.equals(chunk.streamId())) {
                            continue;
                        }
                        SampleChunk whole = chunk.isWhole() ? chunk : parts.accept(chunk).orElse(null);
                        if (whole != null) {
                            sink.accept(whole);
                            n++;
                        }
                    }
                }
            }
            LOG.info("{}/{}: {} chunks re-read from {} offsets {} … {} in {} ms", session, stream, n, tp, from, through,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
