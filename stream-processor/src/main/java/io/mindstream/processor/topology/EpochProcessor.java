package io.mindstream.processor.topology;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.calibration.CalibrationFile;
import io.mindstream.processor.decode.InlineDecoder;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.epoch.SessionEpocher;
import io.mindstream.processor.epoch.StreamEpocher;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The epoching node: sample chunks (MEG, EEG, whole fMRI volumes), markers and stream descriptions in, epochs and
 * windows out. It owns one {@link SessionEpocher} per session of its task, journals through {@link StoreJournal} into
 * changelogged stores, and rebuilds the sessions from those stores when the task starts (after a restart or a
 * rebalance), so no epoch is lost or emitted twice. Nothing here depends on the wall clock: a marker waits for its
 * data for as long as the data may come, so a processor catching up a backlog cuts exactly what a live one cuts.
 */
final class EpochProcessor implements Processor<String, Object, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(EpochProcessor.class);

    private final ProcessorConfig config;
    private final ProcessorStats stats;
    private final LongSupplier clockMicros;
    private final Consumer<Calibration> calibrationListener;
    private final Map<String, SessionEpocher> sessions = new HashMap<>();
    private ProcessorContext<String, Object> context;
    /**
     * Timestamp of the record being processed: outputs inherit it (event time, whenever they are cut); -1 while the
     * task rebuilds its sessions in {@link #init}.
     */
    private long inputTimestamp = -1;
    private StoreJournal journal;
    private KeyValueStore<String, SampleChunk> chunks;
    private KeyValueStore<String, byte[]> snapshots;
    private KeyValueStore<String, Marker> markers;
    private KeyValueStore<String, Marker> done;
    private KeyValueStore<String, byte[]> progress;
    /** The newest description of each fMRI stream ({@code session␟stream}): its geometry survives a restart. */
    private KeyValueStore<String, StreamDescription> descriptions;

    private final RawReplay replay;
    /** The fast path's decoders (empty: epochs only, decoded downstream). */
    private final List<InlineDecoder> decoders;
    private final Map<String, Long> decodeRejectedPerSession = new HashMap<>();

    EpochProcessor(ProcessorConfig config, ProcessorStats stats, LongSupplier clockMicros,
                   Consumer<Calibration> calibrationListener, RawReplay replay, List<InlineDecoder> decoders) {
        this.replay = replay;
        this.decoders = decoders;
        this.config = config;
        this.stats = stats;
        this.clockMicros = clockMicros;
        this.calibrationListener = calibrationListener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        chunks = context.getStateStore(ProcessorTopology.CHUNK_STORE);
        snapshots = context.getStateStore(ProcessorTopology.SNAPSHOT_STORE);
        markers = context.getStateStore(ProcessorTopology.MARKER_STORE);
        done = context.getStateStore(ProcessorTopology.DONE_STORE);
        progress = context.getStateStore(ProcessorTopology.PROGRESS_STORE);
        descriptions = context.getStateStore(ProcessorTopology.DESCRIPTION_STORE);
        journal = new StoreJournal(chunks, snapshots, markers, done, progress, calibrationListener,
                s -> sessions.containsKey(s) ? sessions.get(s).streamIds() : List.of());
        // sessions this task held before a restart or rebalance: rebuild them now so quiet ones still flush
        Set<String> known = new LinkedHashSet<>();
        try (KeyValueIterator<String, byte[]> it = snapshots.all()) {
            it.forEachRemaining(kv -> known.add(StoreKeys.split(kv.key)[0]));
        }
        try (KeyValueIterator<String, Marker> it = markers.all()) {
            it.forEachRemaining(kv -> known.add(StoreKeys.split(kv.key)[0]));
        }
        for (String s : known) {
            session(s);
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        inputTimestamp = record.timestamp();
        Object v = record.value();
        try {
            if (v instanceof SampleChunk c) {
                context.recordMetadata().ifPresent(m -> journal.at(m.topic(), m.partition(),
                        VolumeAssemblyProcessor.firstPartOffset(record.headers(), m.offset()), m.offset()));
                session(c.session()).onChunk(c, this::emit);
                journal.processed(c.session(), c.streamId());
            } else if (v instanceof Marker m) {
                session(m.session()).onMarker(m, this::emit);
            } else if (v instanceof StreamDescription d) {
                describe(d);
            } else if (v != null) {
                stats.rejectedRecords.increment();
                LOG.error("unexpected record type {} on {}", v.getClass().getName(), recordTopic());
            }
        } catch (IllegalArgumentException e) {
            // bad input loses nothing else: the other streams and sessions go on
            stats.rejectedRecords.increment();
            LOG.error("rejected record from {} (key {}): {}", recordTopic(), record.key(), e.getMessage());
        } catch (RuntimeException e) {
            // a defect triggered by one record must not stop every other session of this task
            stats.rejectedRecords.increment();
            LOG.error("failed to process record from {} (key {})", recordTopic(), record.key(), e);
        }
    }

    /**
     * A stream's description: an fMRI stream's is kept in the description store (changelogged, so a restarted task
     * still knows the geometry without re-reading raw.streams) and handed to its session, which checks the voxel mask
     * against it. Other kinds' descriptions are not needed here.
     */
    private void describe(StreamDescription d) {
        if (d.kind() != StreamKind.FMRI) {
            return;
        }
        // the session first: a session new to this task loads the stored descriptions, this one comes after them
        SessionEpocher s = session(d.session());
        String key = StoreKeys.of(d.session(), d.streamId());
        StreamDescription kept = descriptions.get(key);
        if (kept == null || kept.fromSequence() <= d.fromSequence()) {
            descriptions.put(key, d);
        }
        s.onDescription(d);
    }

    private String recordTopic() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }

    private void emit(Epoch cut) {
        String child = cut.trigger().kind() == TriggerKind.WINDOW || cut.trigger().kind() == TriggerKind.FMRI_TR
                ? ProcessorTopology.WINDOWS_SINK : ProcessorTopology.EPOCHS_SINK;
        long timestamp = inputTimestamp >= 0 ? inputTimestamp : context.currentSystemTimeMs();
        DecodeResult result = decode(cut);
        // a decoded epoch carries the DECODED stamp (its result's), which tells a standalone decoder reading the
        // epochs topic that its result is written already (DecoderService skips it)
        Epoch e = result == null ? cut : withTrace(cut, result.trace());
        if (result != null) {
            // the same task, the same producer: with exactly-once the epoch and its result commit together. The
            // result goes first: a few hundred bytes that the display is waiting for, which would otherwise queue
            // behind the epoch's ~200 kB in the producer (measured: 2.5 ms of the display's hop over a plain
            // produce → consume). At-least-once is unchanged: a crash between the two replays both, same ids.
            context.forward(new Record<>(result.session(), result, timestamp), ProcessorTopology.RESULTS_SINK);
        }
        context.forward(new Record<>(e.session(), e, timestamp), child);
    }

    /** The fast path: the epoch's result from the first decoder that takes it; null if none does or it is rejected. */
    private DecodeResult decode(Epoch e) {
        for (InlineDecoder d : decoders) {
            if (d.takes(e)) {
                try {
                    DecodeResult r = d.decode(e);
                    stats.decoded.increment();
                    return r;
                } catch (RuntimeException ex) {
                    // a bad epoch loses nothing else: it is written undecoded, the task goes on
                    stats.decodeRejected.increment();
                    long n = decodeRejectedPerSession.merge(e.session(), 1L, Long::sum);
                    if (n <= 10 || Long.bitCount(n) == 1) { // the first ten per session, then at powers of two
                        LOG.error("not decoded by {} ({} so far in session {}): {}", d.describe(), n, e.session(),
                                ex.getMessage());
                    }
                    return null;
                }
            }
        }
        return null;
    }

    private static Epoch withTrace(Epoch e, TraceStamps trace) {
        return new Epoch(e.session(), e.epochId(), e.streamId(), e.streamKind(), e.trigger(), e.tStart(), e.tEnd(),
                e.sampleRate(), e.channels(), e.times(), e.data(), e.preprocessingId(), e.qualityFlags(), trace);
    }

    /** The session's epocher, rebuilt from the stores if this task held it before. */
    private SessionEpocher session(String session) {
        SessionEpocher s = sessions.get(session);
        if (s == null) {
            s = new SessionEpocher(config, session, journal, stats, clockMicros);
            sessions.put(session, s);
            // the geometries described before a restart, before any stream is made (or rebuilt) and checked
            try (KeyValueIterator<String, StreamDescription> it = descriptions.prefixScan(StoreKeys.prefix(session),
                    org.apache.kafka.common.serialization.Serdes.String().serializer())) {
                while (it.hasNext()) {
                    s.onDescription(it.next().value);
                }
            }
            rebuild(s);
        }
        return s;
    }

    /**
     * Rebuilds a session this task held before (a restart or a rebalance): its markers from the marker store, then
     * each stream from its newest snapshot, the raw topic re-read from that snapshot's chunk up to the last record the
     * stream processed, and the chunks that were waiting behind a hole. Then the remembered markers are offered
     * again; those already done are skipped.
     */
    private void rebuild(SessionEpocher s) {
        String session = s.session();
        int restoredMarkers = 0;
        try (KeyValueIterator<String, Marker> it = markers.prefixScan(StoreKeys.prefix(session),
                org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            while (it.hasNext()) {
                s.restoreMarker(it.next().value);
                restoredMarkers++;
            }
        }
        Map<String, TreeMap<Long, byte[]>> snaps = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = snapshots.prefixScan(StoreKeys.prefix(session),
                org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            it.forEachRemaining(kv -> {
                String[] k = StoreKeys.split(kv.key);
                snaps.computeIfAbsent(k[1], x -> new TreeMap<>()).put(Long.parseLong(k[2]), kv.value);
            });
        }
        for (Map.Entry<String, TreeMap<Long, byte[]>> e : snaps.entrySet()) {
            String stream = e.getKey();
            StoreJournal.Snapshot snap = StoreJournal.Snapshot.decode(e.getValue().firstEntry().getValue());
            byte[] t = progress.get(StoreJournal.throughKey(session, stream));
            if (snap == null || t == null) {
                LOG.warn("{}/{}: stored state predates raw-topic restore; the stream starts afresh", session, stream);
                continue;
            }
            long through = ByteBuffer.wrap(t).getLong();
            List<SampleChunk> held = new ArrayList<>();
            try (KeyValueIterator<String, SampleChunk> it = chunks.prefixScan(StoreKeys.prefix(session, stream),
                    org.apache.kafka.common.serialization.Serdes.String().serializer())) {
                it.forEachRemaining(kv -> held.add(kv.value));
            }
            List<SampleChunk> reread = new ArrayList<>();
            replay.replay(new TopicPartition(snap.topic(), snap.partition()), snap.offset(), through, session, stream,
                    reread::add);
            SampleChunk first = !reread.isEmpty() ? reread.get(0) : held.isEmpty() ? null : held.get(0);
            if (first == null) {
                LOG.warn("{}/{}: nothing to rebuild from {} offsets {} … {}", session, stream,
                        snap.topic() + "-" + snap.partition(), snap.offset(), through);
                continue;
            }
            StreamEpocher rebuilt;
            try {
                rebuilt = s.create(first);
            } catch (IllegalArgumentException refused) {
                // e.g. a voxel mask found not to fit the stream's geometry once its description came: refused then,
                // refused again now (its stored state stays unused)
                s.refuse(stream);
                LOG.error("{}/{}: not resumed: {}", session, stream, refused.getMessage());
                continue;
            }
            rebuilt.restoreSnapshot(snap.state());
            for (SampleChunk c : reread) {
                rebuilt.replay(c);
            }
            for (SampleChunk c : held) {
                rebuilt.replay(c);
            }
            List<Marker> doneMarkers = new ArrayList<>();
            try (KeyValueIterator<String, Marker> it = done.prefixScan(StoreKeys.prefix(session, stream),
                    org.apache.kafka.common.serialization.Serdes.String().serializer())) {
                it.forEachRemaining(kv -> doneMarkers.add(kv.value));
            }
            byte[] w = progress.get(StoreJournal.windowKey(session, stream));
            byte[] cal = progress.get(StoreJournal.calibrationKey(session, stream));
            rebuilt.restoreProgress(w == null ? Long.MIN_VALUE : ByteBuffer.wrap(w).getLong(), doneMarkers,
                    cal == null ? null : CalibrationFile.fromJson(cal, "store " + session + "/" + stream),
                    journal.calibrationBlocks(session, stream));
            s.adopt(stream, rebuilt);
            LOG.info("{}/{}: resumed: snapshot at sequence {}, {} chunks re-read from {}-{} offsets {} … {}, {} held "
                            + "chunks, {} markers done", session, stream, e.getValue().firstKey(), reread.size(),
                    snap.topic(), snap.partition(), snap.offset(), through, held.size(), doneMarkers.size());
            s.reofferMarkers(rebuilt, this::emit);
        }
        if (restoredMarkers > 0 || !snaps.isEmpty()) {
            LOG.info("{}: session rebuilt ({} streams, {} markers)", session, snaps.size(), restoredMarkers);
        }
    }
}
