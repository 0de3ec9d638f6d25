package io.mindstream.processor.topology;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
            long[] n = {0};
            byte[] key = session.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            new TopicReader(KafkaClients.bulkReader(bootstrapServers, "mindstream-processor-replay"))
                    .readRange(tp, from, through, r -> {
                        if (r.value() == null || !java.util.Arrays.equals(key, r.key())) {
                            return;
                        }
                        SampleChunk chunk;
                        try {
                            chunk = chunks.deserialize(r.topic(), r.value());
                        } catch (RuntimeException e) {
                            return; // logged and skipped when it was first consumed
                        }
                        if (!stream.equals(chunk.streamId())) {
                            return;
                        }
                        SampleChunk whole = chunk.isWhole() ? chunk : parts.accept(chunk).orElse(null);
                        if (whole != null) {
                            sink.accept(whole);
                            n[0]++;
                        }
                    });
            LOG.info("{}/{}: {} chunks re-read from {} offsets {} … {} in {} ms", session, stream, n[0], tp, from, through,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
