package io.mindstream.processor.topology;

import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.decode.InlineDecoder;
import io.mindstream.processor.epoch.ProcessorStats;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The stream processor's topology, in one place (Processor API, after Kafka's WordCountProcessorDemo):
 * <pre>
 *   raw.meg ─┐
 *   raw.eeg ─┤
 *   raw.other┼──────────────────────────► epocher ──► epochs   (marker-locked epochs, fMRI stimulus averages)
 *   raw.fmri ─► volume-assembler ───────►    │    └─► windows  (sliding windows, fMRI per-TR windows)
 *   raw.markers ────────────────────────►    │    └─► results  (fast path only: decoded in this task)
 *   raw.streams ────────────────────────►    (stream descriptions: an fMRI stream's geometry, for the voxel mask)
 *                     stores (changelogged): held chunks, snapshots, markers, done, progress, volume parts,
 *                                            descriptions
 * </pre>
 * Every topic is keyed by session, so a session's chunks, markers and stream descriptions meet in the same task
 * (co-partitioned: {@code Topics.all} gives raw.streams the raw topics' partition count, and ingest's forwarder
 * partitions every topic by the same hash of the session). The stores hold small state only: a task rebuilds a stream
 * from its snapshot by re-reading the raw topic ({@link RawReplay}), so the samples are stored once, in the raw
 * topics.
 */
public final class ProcessorTopology {

    static final String CHUNK_STORE = "processor-chunks";
    static final String SNAPSHOT_STORE = "processor-snapshots";
    static final String MARKER_STORE = "processor-markers";
    static final String DONE_STORE = "processor-done";
    static final String PROGRESS_STORE = "processor-progress";
    static final String VOLUME_PART_STORE = "processor-volume-parts";
    static final String DESCRIPTION_STORE = "processor-descriptions";

    static final String EPOCHER = "epocher";
    static final String ASSEMBLER = "volume-assembler";
    static final String EPOCHS_SINK = "epochs-sink";
    static final String WINDOWS_SINK = "windows-sink";
    static final String RESULTS_SINK = "results-sink";

    private ProcessorTopology() {
    }

    /** The topology with wall-clock trace stamps and no calibration listener, restoring from {@code replay}. */
    public static Topology build(ProcessorConfig config, ProcessorStats stats, RawReplay replay) {
        return build(config, stats, TraceStamps::nowMicros, c -> {
        }, replay);
    }

    /**
     * @param clockMicros         wall clock for the CONSUMED/EPOCHED trace stamps (tests pass a fixed one)
     * @param calibrationListener told whenever a stream's statistics are fitted and frozen (e.g. to write the file)
     * @param replay              re-reads the raw topics when a task rebuilds its streams (restart, rebalance)
     */
    public static Topology build(ProcessorConfig config, ProcessorStats stats, LongSupplier clockMicros,
                                 Consumer<Calibration> calibrationListener, RawReplay replay) {
        return build(config, stats, clockMicros, calibrationListener, replay, List.of());
    }

    /**
     * As {@link #build(ProcessorConfig, ProcessorStats, LongSupplier, Consumer, RawReplay)}, with the fast path: each
     * epoch or window that one of {@code decoders} takes is decoded in the task that cut it and its result written to
     * {@code results} by the same task (the first decoder that takes an epoch decodes it). No decoders: no results
     * sink, the topology of the standalone stages.
     */
    public static Topology build(ProcessorConfig config, ProcessorStats stats, LongSupplier clockMicros,
                                 Consumer<Calibration> calibrationListener, RawReplay replay,
                                 List<InlineDecoder> decoders) {
        List<InlineDecoder> inline = List.copyOf(decoders);
        Serde<String> key = ContractSerdes.sessionKey();
        Topology t = new Topology();
        // one source per raw topic (one per stream kind: a new kind is read without touching this); fMRI volumes may
        // come in parts, which the assembler joins first
        List<String> epocherInputs = new ArrayList<>();
        for (StreamKind kind : StreamKind.values()) {
            String source = "raw-" + kind.name().toLowerCase(java.util.Locale.ROOT);
            if (kind == StreamKind.MARKER) {
                t.addSource(source, key.deserializer(), ContractSerdes.marker().deserializer(), Topics.MARKERS);
                epocherInputs.add(source);
            } else {
                t.addSource(source, key.deserializer(), ContractSerdes.sampleChunk().deserializer(),
                        Topics.rawTopic(kind));
                if (kind == StreamKind.FMRI) {
                    t.addProcessor(ASSEMBLER, () -> new VolumeAssemblyProcessor(stats), source);
                    epocherInputs.add(ASSEMBLER);
                } else {
                    epocherInputs.add(source);
                }
            }
        }
        // stream descriptions go straight to the epocher: it has to act on one for a stream already running (check
        // the voxel mask against the geometry that came late), so a node of their own would only forward them
        t.addSource("raw-streams", key.deserializer(), ContractSerdes.streamDescription().deserializer(),
                Topics.STREAMS);
        epocherInputs.add("raw-streams");
        t.addProcessor(EPOCHER, () -> new EpochProcessor(config, stats, clockMicros, calibrationListener, replay,
                        inline),
                epocherInputs.toArray(String[]::new));

        t.addStateStore(store(VOLUME_PART_STORE, ContractSerdes.sampleChunk()), ASSEMBLER);
        t.addStateStore(store(CHUNK_STORE, ContractSerdes.sampleChunk()), EPOCHER);
        t.addStateStore(store(SNAPSHOT_STORE, Serdes.ByteArray()), EPOCHER);
        t.addStateStore(store(MARKER_STORE, ContractSerdes.marker()), EPOCHER);
        t.addStateStore(store(DONE_STORE, ContractSerdes.marker()), EPOCHER);
        t.addStateStore(store(PROGRESS_STORE, Serdes.ByteArray()), EPOCHER);
        t.addStateStore(store(DESCRIPTION_STORE, ContractSerdes.streamDescription()), EPOCHER);

        Serde<io.mindstream.contracts.Epoch> epoch = ContractSerdes.epoch();
        t.addSink(EPOCHS_SINK, Topics.EPOCHS, key.serializer(), epoch.serializer(), EPOCHER);
        t.addSink(WINDOWS_SINK, Topics.WINDOWS, key.serializer(), epoch.serializer(), EPOCHER);
        if (!inline.isEmpty()) {
            t.addSink(RESULTS_SINK, Topics.RESULTS, key.serializer(), ContractSerdes.decodeResult().serializer(),
                    EPOCHER);
        }
        return t;
    }

    /** In-memory stores with changelogs (RocksDB is not on the classpath: docs/dependencies.md §1). */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingEnabled(Map.of("cleanup.policy", "compact"))
                .withCachingDisabled();
    }
}
