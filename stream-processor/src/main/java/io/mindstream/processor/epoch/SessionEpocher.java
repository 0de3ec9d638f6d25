package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.formats.Geometry;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.fmri.DescribedGeometry;
import io.mindstream.processor.fmri.FmriStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * All streams of one session, and the session's markers: a marker that matches an {@link EpochRule} is offered to
 * every data stream of the session (MEG and EEG cut marker-locked epochs, fMRI averages its haemodynamic window);
 * a stream that appears later is offered the recent markers too. Markers and samples are merged by event time:
 * whichever arrives first waits for the other, inside each stream's buffer.
 */
public final class SessionEpocher {

    private static final Logger LOG = LoggerFactory.getLogger(SessionEpocher.class);

    private final ProcessorConfig config;
    private final String session;
    private final EpochJournal journal;
    private final ProcessorStats stats;
    private final LongSupplier clockMicros;
    private final Map<String, StreamEpocher> streams = new LinkedHashMap<>();
    private final Map<String, Marker> markers = new LinkedHashMap<>();
    /** Per fMRI stream, the geometry its newest description states (the voxel mask is checked against it). */
    private final Map<String, Described> described = new HashMap<>();
    /**
     * Streams refused (an epocher that could not be made for them, e.g. a voxel mask of another grid): said once,
     * with the reason, when refused; their later chunks are only counted ({@link ProcessorStats#rejectedRecords}).
     */
    private final Set<String> refused = new HashSet<>();

    /** What a stream's description said, from which of its samples on. */
    private record Described(long fromSequence, Optional<Geometry> geometry) {
    }

    public SessionEpocher(ProcessorConfig config, String session, EpochJournal journal, ProcessorStats stats,
                          LongSupplier clockMicros) {
        this.config = config;
        this.session = session;
        this.journal = journal;
        this.stats = stats;
        this.clockMicros = clockMicros;
    }

    public String session() {
        return session;
    }

    /**
     * @throws IllegalArgumentException for a chunk that does not fit its stream, or the first chunk of a stream that
     *                                  is refused (the reason is the message); the refused stream's later chunks are
     *                                  dropped and counted without another word
     */
    public void onChunk(SampleChunk chunk, Consumer<Epoch> out) {
        if (refused.contains(chunk.streamId())) {
            stats.rejectedRecords.increment();
            return;
        }
        StreamEpocher s = streams.get(chunk.streamId());
        if (s == null) {
            try {
                s = create(chunk);
            } catch (IllegalArgumentException e) {
                refused.add(chunk.streamId());
                throw e;
            }
            streams.put(chunk.streamId(), s);
            LOG.info("{}: new {} stream {} ({} channels at {} Hz)", session, chunk.kind(), chunk.streamId(),
                    chunk.totalChannels(), chunk.nominalRate());
            offerRecentMarkers(s, out);
        }
        s.onChunk(chunk, out);
    }

    /** Creates the epocher a chunk's stream needs (also used to rebuild a stream after a restart). */
    public StreamEpocher create(SampleChunk first) {
        if (first.kind() == StreamKind.FMRI) {
            Described d = described.get(first.streamId());
            return new FmriStream(config, session, first.streamId(), first.totalChannels(), first.nominalRate(),
                    d == null ? Optional.empty() : d.geometry(), journal, stats, clockMicros);
        }
        if (first.kind() == StreamKind.MEG || first.kind() == StreamKind.EEG || first.kind() == StreamKind.OTHER) {
            return new ContinuousStream(config, session, first.streamId(), first.kind(), first.totalChannels(),
                    first.nominalRate(), journal, stats, clockMicros);
        }
        throw new IllegalArgumentException("cannot epoch a " + first.kind() + " stream (" + first + ")");
    }

    /**
     * A stream's description ({@code raw.streams}). Only an fMRI stream's is used: the geometry it states is what a
     * NIfTI voxel mask is checked against, per axis, when the stream's first volume comes. The newest description (by
     * {@code fromSequence}) wins; an older one delivered again changes nothing.
     *
     * <p>Descriptions and volumes are on different topics, so nothing orders them. The description is normally first
     * (ingest writes it when it opens the stream, before the first volume, with an earlier timestamp, and Streams
     * takes the buffered record with the lowest timestamp first), but after a backlog or a delayed forwarder the
     * volumes may be: then the stream starts on the count check alone, and is checked per axis here.
     *
     * @throws IllegalArgumentException when the stream is running and its mask does not fit the stated geometry: the
     *                                  stream is refused from now on (the message says why)
     */
    public void onDescription(StreamDescription d) {
        if (d.kind() != StreamKind.FMRI) {
            return;
        }
        Described before = described.get(d.streamId());
        if (before != null && before.fromSequence() > d.fromSequence()) {
            return;
        }
        Optional<Geometry> geometry = DescribedGeometry.of(d);
        described.put(d.streamId(), new Described(d.fromSequence(), geometry));
        if (geometry.isEmpty()) {
            if (config.fmri().mask().map(m -> m.grid() != null).orElse(false)) {
                LOG.info("{}/{}: the stream's description states no volume geometry: the voxel mask is checked on "
                        + "the voxel count only", session, d.streamId());
            }
            return;
        }
        if (before != null && !geometry.equals(before.geometry())) {
            refused.remove(d.streamId()); // another geometry: the next volume is checked against it afresh
        }
        if (streams.get(d.streamId()) instanceof FmriStream running) {
            try {
                running.describedAs(geometry.get());
            } catch (IllegalArgumentException e) {
                streams.remove(d.streamId());
                refused.add(d.streamId());
                throw e;
            }
        }
    }

    /** Refuses a stream whose epocher could not be rebuilt after a restart (the caller says why, once). */
    public void refuse(String streamId) {
        streams.remove(streamId);
        refused.add(streamId);
    }

    /** Installs a stream rebuilt from persisted state (restart). */
    public void adopt(String streamId, StreamEpocher rebuilt) {
        streams.put(streamId, rebuilt);
    }

    public Optional<StreamEpocher> stream(String streamId) {
        return Optional.ofNullable(streams.get(streamId));
    }

    public Collection<String> streamIds() {
        return List.copyOf(streams.keySet());
    }

    public void onMarker(Marker marker, Consumer<Epoch> out) {
        stats.markersIn.increment();
        Optional<EpochRule> rule = config.ruleFor(marker);
        if (rule.isEmpty()) {
            stats.markersIgnored.increment();
            return;
        }
        String key = EpochIds.markerKey(marker);
        if (markers.putIfAbsent(key, marker) == null) {
            journal.markerReceived(session, marker);
        }
        for (StreamEpocher s : streams.values()) {
            s.onMarker(marker, rule.get(), out);
        }
        forgetOldMarkers();
    }

    /** Restores a marker the session had received before a restart (not re-offered to the streams). */
    public void restoreMarker(Marker marker) {
        markers.putIfAbsent(EpochIds.markerKey(marker), marker);
    }

    /** After a restart: offer every remembered marker to a rebuilt stream (done ones are skipped by the stream). */
    public void reofferMarkers(StreamEpocher s, Consumer<Epoch> out) {
        offerRecentMarkers(s, out);
    }

    private void offerRecentMarkers(StreamEpocher s, Consumer<Epoch> out) {
        for (Marker m : new ArrayList<>(markers.values())) {
            config.ruleFor(m).ifPresent(r -> s.onMarker(m, r, out));
        }
    }

    private void forgetOldMarkers() {
        double newest = Double.NEGATIVE_INFINITY;
        for (StreamEpocher s : streams.values()) {
            double t = s.newestTime();
            if (!Double.isNaN(t)) {
                newest = Math.max(newest, t);
            }
        }
        if (newest == Double.NEGATIVE_INFINITY) {
            return;
        }
        double horizon = newest - config.bufferSeconds() - config.fmri().hrfEndSeconds() - 60;
        for (Iterator<Marker> it = markers.values().iterator(); it.hasNext(); ) {
            Marker m = it.next();
            if (m.timestamp() < horizon) {
                it.remove();
                journal.markerForgotten(session, m);
            }
        }
    }

    public void flush(Consumer<Epoch> out) {
        for (StreamEpocher s : streams.values()) {
            s.flush(out);
        }
    }
}
