package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.processor.calibration.Calibration;

import java.util.function.Consumer;

/**
 * The epoching core of one stream of one session: chunks and markers in, epochs out. The same object runs inside
 * the Kafka Streams processor and in {@link io.mindstream.processor.offline.OfflineEpocher}, which is what makes
 * live and offline epochs identical.
 */
public interface StreamEpocher {

    /**
     * A chunk of this stream arrived, in any order; a chunk with no samples marks where the stream's data ends
     * (docs/contracts.md). Nothing here depends on when it arrived: only on what arrived.
     */
    void onChunk(SampleChunk chunk, Consumer<Epoch> out);

    /** A marker matching {@code rule} arrived for this session. */
    void onMarker(Marker marker, EpochRule rule, Consumer<Epoch> out);

    /** End of input (offline): emit or account for everything still pending. */
    void flush(Consumer<Epoch> out);

    /** Timestamp of the newest sample held (NaN when none). */
    double newestTime();

    // --- restart: rebuild from what the journal persisted ---

    /** Loads a snapshot written through {@link EpochJournal#snapshot}. */
    void restoreSnapshot(byte[] state);

    /** Feeds a journaled chunk again, emitting nothing and journaling nothing. */
    void replay(SampleChunk chunk);

    /**
     * Restores progress: the next window index, markers already done, frozen statistics (nullable) or, while not
     * frozen yet, the calibration blocks collected so far (in order).
     */
    void restoreProgress(long nextWindow, java.util.Collection<Marker> doneMarkers, Calibration calibration,
                         java.util.List<float[]> calibrationBlocks);
}
