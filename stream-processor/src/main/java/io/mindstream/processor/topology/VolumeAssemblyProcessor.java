package io.mindstream.processor.topology;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.processor.epoch.ProcessorStats;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins fMRI volume parts (records split by channel range) into whole volumes before epoching. Parts wait in a
 * changelogged store until their volume is complete, so a restart mid-volume loses nothing. A whole volume is
 * forwarded with the offset of its first part in a header ({@link #FIRST_PART_OFFSET}): a task that rebuilds the
 * stream re-reads the raw topic from there.
 */
final class VolumeAssemblyProcessor implements Processor<String, SampleChunk, String, SampleChunk> {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeAssemblyProcessor.class);
    /** Volumes an incomplete one may trail before it is given up. */
    private static final int MAX_LAG_VOLUMES = 8;
    /** Header of a forwarded whole volume: the raw-topic offset of its first part (8 bytes, big-endian). */
    static final String FIRST_PART_OFFSET = "ms.first-part-offset";

    private final ProcessorStats stats;
    private final VolumeAssembler assembler = new VolumeAssembler(MAX_LAG_VOLUMES);
    private ProcessorContext<String, SampleChunk> context;
    private KeyValueStore<String, SampleChunk> parts;

    VolumeAssemblyProcessor(ProcessorStats stats) {
        this.stats = stats;
    }

    @Override
    public void init(ProcessorContext<String, SampleChunk> context) {
        this.context = context;
        parts = context.getStateStore(ProcessorTopology.VOLUME_PART_STORE);
        try (KeyValueIterator<String, SampleChunk> it = parts.all()) {
            it.forEachRemaining(kv -> assembler.accept(kv.value));
        }
    }

    private static String key(SampleChunk c, long offset) {
        return StoreKeys.of(c.session(), c.streamId(), StoreKeys.seq(c.firstSequence()),
                String.format("%010d", c.channelOffset()), Long.toString(offset));
    }

    /** The offset to re-read a record from: its first part's for an assembled volume, else its own. */
    static long firstPartOffset(org.apache.kafka.common.header.Headers headers, long own) {
        org.apache.kafka.common.header.Header h = headers.lastHeader(FIRST_PART_OFFSET);
        return h == null ? own : java.nio.ByteBuffer.wrap(h.value()).getLong();
    }

    @Override
    public void process(Record<String, SampleChunk> record) {
        SampleChunk c = record.value();
        if (c == null) {
            return;
        }
        if (c.isWhole()) {
            context.forward(record);
            return;
        }
        try {
            long offset = context.recordMetadata().map(m -> m.offset()).orElse(-1L);
            parts.put(key(c, offset), c);
            assembler.accept(c).ifPresent(whole -> {
                List<String> done = new ArrayList<>();
                long first = offset;
                try (KeyValueIterator<String, SampleChunk> it = parts.prefixScan(
                        StoreKeys.prefix(c.session(), c.streamId(), StoreKeys.seq(c.firstSequence())),
                        Serdes.String().serializer())) {
                    while (it.hasNext()) {
                        String k = it.next().key;
                        done.add(k);
                        String[] f = StoreKeys.split(k);
                        long o = Long.parseLong(f[f.length - 1]);
                        if (o >= 0) {
                            first = Math.min(first, o);
                        }
                    }
                }
                done.forEach(parts::delete);
                Record<String, SampleChunk> out = record.withValue(whole);
                out.headers().remove(FIRST_PART_OFFSET);
                out.headers().add(FIRST_PART_OFFSET, java.nio.ByteBuffer.allocate(8).putLong(first).array());
                context.forward(out);
            });
        } catch (IllegalArgumentException e) {
            stats.rejectedRecords.increment();
            LOG.error("rejected fMRI volume part {}: {}", c, e.getMessage());
        }
    }
}
