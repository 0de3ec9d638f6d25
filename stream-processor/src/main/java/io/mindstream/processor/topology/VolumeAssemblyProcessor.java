package io.mindstream.processor.topology;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.fmri.VolumeAssembler;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins fMRI volume parts (records split by channel range) into whole volumes before epoching. Parts wait in a
 * changelogged store until their volume is complete, so a restart mid-volume loses nothing.
 */
final class VolumeAssemblyProcessor implements Processor<String, SampleChunk, String, SampleChunk> {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeAssemblyProcessor.class);
    private static final int MAX_OPEN_VOLUMES = 8;

    private final ProcessorStats stats;
    private final Map<String, VolumeAssembler> assemblers = new HashMap<>();
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
            it.forEachRemaining(kv -> assembler(kv.value).accept(kv.value));
        }
    }

    private VolumeAssembler assembler(SampleChunk c) {
        return assemblers.computeIfAbsent(c.session() + "/" + c.streamId(), k -> new VolumeAssembler(MAX_OPEN_VOLUMES));
    }

    private static String key(SampleChunk c) {
        return StoreKeys.of(c.session(), c.streamId(), StoreKeys.seq(c.firstSequence()),
                String.format("%010d", c.channelOffset()));
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
            parts.put(key(c), c);
            assembler(c).accept(c).ifPresent(whole -> {
                List<String> done = new ArrayList<>();
                try (KeyValueIterator<String, SampleChunk> it = parts.prefixScan(
                        StoreKeys.prefix(c.session(), c.streamId(), StoreKeys.seq(c.firstSequence())),
                        Serdes.String().serializer())) {
                    it.forEachRemaining(kv -> done.add(kv.key));
                }
                done.forEach(parts::delete);
                context.forward(record.withValue(whole));
            });
        } catch (IllegalArgumentException e) {
            stats.rejectedRecords.increment();
            LOG.error("rejected fMRI volume part {}: {}", c, e.getMessage());
        }
    }
}
