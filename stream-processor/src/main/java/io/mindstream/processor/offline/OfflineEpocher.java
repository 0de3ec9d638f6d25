package io.mindstream.processor.offline;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.epoch.EpochJournal;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.epoch.SessionEpocher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The stream processor's epoching without Kafka: feed {@link SampleChunk}s and {@link Marker}s in arrival order,
 * get {@link Epoch}s (marker-locked epochs, and sliding windows / fMRI windows when enabled) back. It drives the
 * very classes the Kafka Streams processor drives ({@link SessionEpocher} and the per-stream epochers), so for the
 * same input order and configuration the epochs are identical bit for bit. Several sessions may be interleaved.
 *
 * <pre>{@code
 * try (OfflineEpocher ep = new OfflineEpocher(ProcessorConfig.defaults())) {
 *     for (Object r : recordsInArrivalOrder) {
 *         List<Epoch> out = r instanceof Marker m ? ep.accept(m) : ep.accept((SampleChunk) r);
 *         ...
 *     }
 *     List<Epoch> rest = ep.flush();   // end of input: pending markers are emitted (flagged) or counted
 * }
 * }</pre>
 *
 * Not thread-safe. As live, a marker waits for its data until the stream's data ends (or {@link #flush()}).
 */
public final class OfflineEpocher implements AutoCloseable {

    private final ProcessorConfig config;
    private final ProcessorStats stats = new ProcessorStats();
    private final LongSupplier clockMicros;
    private final Map<String, SessionEpocher> sessions = new HashMap<>();
    private VolumeAssembler volumes = new VolumeAssembler(8);
    private final EpochJournal journal;

    /** Uses the wall clock for the CONSUMED/EPOCHED trace stamps. */
    public OfflineEpocher(ProcessorConfig config) {
        this(config, io.mindstream.contracts.TraceStamps::nowMicros);
    }

    /** With an explicit clock for the trace stamps (tests use a fixed one to compare epochs bit for bit). */
    public OfflineEpocher(ProcessorConfig config, LongSupplier clockMicros) {
        this(config, clockMicros, c -> {
        });
    }

    /**
     * @param calibrationListener told when a stream's statistics are fitted and frozen (e.g. to write them to a
     *                            file, as {@code ./mindstream epochs --offline --calibration FILE} does)
     */
    public OfflineEpocher(ProcessorConfig config, LongSupplier clockMicros,
                          Consumer<Calibration> calibrationListener) {
        this.config = config;
        this.clockMicros = clockMicros;
        this.journal = new EpochJournal() {
            @Override
            public void calibrated(String session, String stream, Calibration calibration) {
                calibrationListener.accept(calibration);
            }
        };
    }

    public ProcessorConfig config() {
        return config;
    }

    /**
     * Feeds one chunk (split fMRI volume parts are reassembled first); returns the epochs it completed.
     *
     * @throws IllegalArgumentException for a chunk that does not fit its stream (channel count, rate); it is
     *                                  counted in {@link ProcessorStats#rejectedRecords} and the epocher stays usable
     */
    public List<Epoch> accept(SampleChunk chunk) {
        List<Epoch> out = new ArrayList<>();
        try {
            SampleChunk whole = chunk;
            if (!chunk.isWhole()) {
                whole = volumes.accept(chunk).orElse(null);
                if (whole == null) {
                    return out;
                }
            }
            session(whole.session()).onChunk(whole, out::add);
        } catch (IllegalArgumentException e) {
            stats.rejectedRecords.increment();
            throw e;
        }
        return out;
    }

    /** Feeds one marker; returns the epochs it completed (those whose data had already arrived). */
    public List<Epoch> accept(Marker marker) {
        List<Epoch> out = new ArrayList<>();
        session(marker.session()).onMarker(marker, out::add);
        return out;
    }

    /**
     * Feeds a stream's description: an fMRI stream's geometry, which a NIfTI voxel mask is checked against per axis
     * (without one, on the voxel count only).
     *
     * @throws IllegalArgumentException when the stream is running and the mask does not fit: it is refused from now on
     */
    public void accept(StreamDescription description) {
        try {
            session(description.session()).onDescription(description);
        } catch (IllegalArgumentException e) {
            stats.rejectedRecords.increment();
            throw e;
        }
    }

    /** Feeds a {@link SampleChunk}, a {@link Marker} or a {@link StreamDescription}. */
    public List<Epoch> accept(Object record) {
        if (record instanceof SampleChunk c) {
            return accept(c);
        }
        if (record instanceof Marker m) {
            return accept(m);
        }
        if (record instanceof StreamDescription d) {
            accept(d);
            return List.of();
        }
        throw new IllegalArgumentException("OfflineEpocher takes SampleChunk, Marker or StreamDescription, not "
                + (record == null ? "null" : record.getClass().getName()));
    }

    /** End of input: every marker still waiting is emitted with what data exists (flags GAP|LATE) or counted. */
    public List<Epoch> flush() {
        List<Epoch> out = new ArrayList<>();
        for (SessionEpocher s : sessions.values()) {
            s.flush(out::add);
        }
        return out;
    }

    /** Convenience: all epochs of a recording given in arrival order, flushed at the end. */
    public static List<Epoch> epochs(ProcessorConfig config, Iterable<?> recordsInOrder) {
        try (OfflineEpocher ep = new OfflineEpocher(config)) {
            List<Epoch> all = new ArrayList<>();
            for (Object r : recordsInOrder) {
                all.addAll(ep.accept(r));
            }
            all.addAll(ep.flush());
            return all;
        }
    }

    /** Counters: chunks, markers, epochs, duplicates, gaps, markers whose data was gone, … */
    public ProcessorStats stats() {
        return stats;
    }

    private SessionEpocher session(String session) {
        return sessions.computeIfAbsent(session,
                s -> new SessionEpocher(config, s, journal, stats, clockMicros));
    }

    @Override
    public void close() {
        sessions.clear();
        volumes = new VolumeAssembler(8);
    }
}
