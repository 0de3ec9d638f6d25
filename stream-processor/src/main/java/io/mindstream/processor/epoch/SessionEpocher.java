package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.fmri.FmriStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    public void onChunk(SampleChunk chunk, Consumer<Epoch> out) {
        StreamEpocher s = streams.get(chunk.streamId());
        if (s == null) {
            s = create(chunk);
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
            return new FmriStream(config, session, first.streamId(), first.totalChannels(), first.nominalRate(),
                    journal, stats, clockMicros);
        }
        if (first.kind() == StreamKind.MEG || first.kind() == StreamKind.EEG || first.kind() == StreamKind.OTHER) {
            return new ContinuousStream(config, session, first.streamId(), first.kind(), first.totalChannels(),
                    first.nominalRate(), journal, stats, clockMicros);
        }
        throw new IllegalArgumentException("cannot epoch a " + first.kind() + " stream (" + first + ")");
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
