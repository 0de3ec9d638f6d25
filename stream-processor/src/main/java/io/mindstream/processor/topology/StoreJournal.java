package io.mindstream.processor.topology;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.calibration.CalibrationFile;
import io.mindstream.processor.epoch.EpochJournal;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link EpochJournal} over the processor's changelogged key-value stores. Every write is one small entry: a held
 * chunk, a snapshot (with the raw-topic position to re-read from), a marker, a done mark, a window index, how far
 * a stream got; eviction deletes the entries a stream no longer needs. Samples taken in order are never copied here:
 * a rebuild re-reads them from the raw topic ({@link RawReplay}).
 */
final class StoreJournal implements EpochJournal {

    /** Where the record being processed came from: what a snapshot taken now re-reads from. */
    private String sourceTopic;
    private int sourcePartition;
    private long sourceOffset = -1;
    private long currentOffset = -1;

    /** A snapshot with the raw-topic position of the chunk it was taken at. */
    record Snapshot(String topic, int partition, long offset, byte[] state) {
        private static final byte FORMAT = 'R';

        byte[] encode() {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(state.length + 64);
            try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                out.writeUTF(topic);
                out.writeInt(partition);
                out.writeLong(offset);
                out.write(state);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** The snapshot, or null for an entry written before snapshots carried their position. */
        static Snapshot decode(byte[] b) {
            if (b.length == 0 || b[0] != FORMAT) {
                return null;
            }
            try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(b))) {
                in.readByte();
                String topic = in.readUTF();
                int partition = in.readInt();
                long offset = in.readLong();
                return new Snapshot(topic, partition, offset, in.readAllBytes());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private final KeyValueStore<String, SampleChunk> chunks;
    private final KeyValueStore<String, byte[]> snapshots;
    private final KeyValueStore<String, Marker> markers;
    private final KeyValueStore<String, Marker> done;
    private final KeyValueStore<String, byte[]> progress;
    private final Consumer<Calibration> calibrationListener;
    private final java.util.function.Function<String, Collection<String>> streamsOfSession;

    StoreJournal(KeyValueStore<String, SampleChunk> chunks, KeyValueStore<String, byte[]> snapshots,
                 KeyValueStore<String, Marker> markers, KeyValueStore<String, Marker> done,
                 KeyValueStore<String, byte[]> progress, Consumer<Calibration> calibrationListener,
                 java.util.function.Function<String, Collection<String>> streamsOfSession) {
        this.chunks = chunks;
        this.snapshots = snapshots;
        this.markers = markers;
        this.done = done;
        this.progress = progress;
        this.calibrationListener = calibrationListener;
        this.streamsOfSession = streamsOfSession;
    }

    static String chunkKey(String session, String stream, long seq) {
        return StoreKeys.of(session, stream, StoreKeys.seq(seq));
    }

    static String markerKey(String session, Marker m) {
        return StoreKeys.of(session, m.streamId(), StoreKeys.seq(m.sequence()));
    }

    static String doneKey(String session, String stream, Marker m) {
        return StoreKeys.of(session, stream, m.streamId(), StoreKeys.seq(m.sequence()));
    }

    static String windowKey(String session, String stream) {
        return StoreKeys.of("window", session, stream);
    }

    static String calibrationKey(String session, String stream) {
        return StoreKeys.of("calibration", session, stream);
    }

    /** The offset of the last record of a stream the task processed: a rebuild re-reads the raw topic up to it. */
    static String throughKey(String session, String stream) {
        return StoreKeys.of("through", session, stream);
    }

    /**
     * Tells the journal which raw record is being processed: its topic, partition and offset, and the offset a rebuild
     * must re-read from to get it again (the first part of a volume that came in parts; else the offset itself).
     */
    void at(String topic, int partition, long replayFrom, long offset) {
        sourceTopic = topic;
        sourcePartition = partition;
        sourceOffset = replayFrom;
        currentOffset = offset;
    }

    /** After a chunk of {@code stream} was processed: the raw topic is needed up to here on a rebuild. */
    void processed(String session, String stream) {
        if (currentOffset >= 0) {
            progress.put(throughKey(session, stream), ByteBuffer.allocate(8).putLong(currentOffset).array());
        }
    }

    /** An end of data (a chunk with no samples) sorts right after a chunk starting at the same sequence. */
    static String endKey(String session, String stream, long seq) {
        return StoreKeys.of(session, stream, StoreKeys.seq(seq), "end");
    }

    private static String heldKey(String session, String stream, SampleChunk chunk) {
        return chunk.sampleCount() == 0 ? endKey(session, stream, chunk.firstSequence())
                : chunkKey(session, stream, chunk.firstSequence());
    }

    @Override
    public void chunkHeld(String session, String stream, SampleChunk chunk) {
        chunks.put(heldKey(session, stream, chunk), chunk);
    }

    @Override
    public void chunkReleased(String session, String stream, SampleChunk chunk) {
        chunks.delete(heldKey(session, stream, chunk));
    }

    @Override
    public void snapshot(String session, String stream, long sequence, byte[] state) {
        if (sourceOffset < 0) {
            throw new IllegalStateException("a snapshot of " + session + "/" + stream + " outside a record");
        }
        snapshots.put(chunkKey(session, stream, sequence),
                new Snapshot(sourceTopic, sourcePartition, sourceOffset, state).encode());
    }

    @Override
    public void evictBefore(String session, String stream, long sequence) {
        deleteRange(chunks, session, stream, sequence);
        deleteRange(snapshots, session, stream, sequence);
    }

    private static <V> void deleteRange(KeyValueStore<String, V> store, String session, String stream, long before) {
        List<String> keys = new ArrayList<>();
        // [chunk 0, chunk before): ends of data at earlier sequences sort inside it too
        String stop = chunkKey(session, stream, before);
        try (KeyValueIterator<String, V> it = store.range(chunkKey(session, stream, 0), stop)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                if (!kv.key.equals(stop)) {
                    keys.add(kv.key);
                }
            }
        }
        keys.forEach(store::delete);
    }

    @Override
    public void markerReceived(String session, Marker marker) {
        markers.put(markerKey(session, marker), marker);
    }

    @Override
    public void markerForgotten(String session, Marker marker) {
        markers.delete(markerKey(session, marker));
        for (String stream : streamsOfSession.apply(session)) {
            done.delete(doneKey(session, stream, marker));
        }
    }

    @Override
    public void markerDone(String session, String stream, Marker marker) {
        done.put(doneKey(session, stream, marker), marker);
    }

    @Override
    public void windowProgress(String session, String stream, long next) {
        progress.put(windowKey(session, stream), ByteBuffer.allocate(8).putLong(next).array());
    }

    static String blockKey(String session, String stream, int index) {
        return StoreKeys.of("calblock", session, stream, String.format("%06d", index));
    }

    @Override
    public void calibrationBlock(String session, String stream, int index, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4);
        b.asFloatBuffer().put(data);
        progress.put(blockKey(session, stream, index), b.array());
    }

    /** The collected calibration blocks of a stream, in order. */
    List<float[]> calibrationBlocks(String session, String stream) {
        List<float[]> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = progress.prefixScan(StoreKeys.prefix("calblock", session, stream),
                org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            it.forEachRemaining(kv -> {
                float[] f = new float[kv.value.length / 4];
                ByteBuffer.wrap(kv.value).asFloatBuffer().get(f);
                out.add(f);
            });
        }
        return out;
    }

    @Override
    public void calibrated(String session, String stream, Calibration calibration) {
        progress.put(calibrationKey(session, stream), CalibrationFile.toJson(calibration));
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = progress.prefixScan(StoreKeys.prefix("calblock", session, stream),
                org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(progress::delete);
        calibrationListener.accept(calibration);
    }
}
