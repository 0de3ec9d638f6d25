package io.mindstream.processor.epoch;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.processor.calibration.Calibration;

/**
 * What the epoching core tells its persistence, so that a restarted processor can rebuild exactly the state it
 * lost. Every call is proportional to what just happened (one chunk, one marker, one snapshot), never a rewrite of
 * the whole buffer. The Kafka topology implements it over changelogged state stores; offline runs use {@link #NONE}.
 */
public interface EpochJournal {

    EpochJournal NONE = new EpochJournal() {
    };

    /**
     * A chunk (or an end of data) now waits behind a hole in the stream's sequence numbers: kept until
     * {@link #chunkReleased}, so that a restart does not lose it. Chunks taken in order need no journaling: a restart
     * re-reads them from the raw topic, after the last snapshot.
     */
    default void chunkHeld(String session, String stream, SampleChunk chunk) {
    }

    /** A held chunk (or end) was taken, or dropped as a duplicate. */
    default void chunkReleased(String session, String stream, SampleChunk chunk) {
    }

    /**
     * Filter and sequence state just before sample {@code sequence}, taken while the chunk that starts there is being
     * processed; re-reading the raw topic from that chunk on rebuilds the ring.
     */
    default void snapshot(String session, String stream, long sequence, byte[] state) {
    }

    /** Chunks and snapshots before {@code sequence} are no longer needed. */
    default void evictBefore(String session, String stream, long sequence) {
    }

    /** A marker was received by the session (kept until {@link #markerForgotten}). */
    default void markerReceived(String session, Marker marker) {
    }

    default void markerForgotten(String session, Marker marker) {
    }

    /** The stream is finished with this marker: its epoch was emitted, or it was counted as unservable. */
    default void markerDone(String session, String stream, Marker marker) {
    }

    /** The next sliding-window (or TR window) index to emit. */
    default void windowProgress(String session, String stream, long next) {
    }

    /**
     * One block of calibration data was collected ({@code index} counts from 0): kept until the statistics are
     * frozen, so a restart mid-calibration fits on the same data.
     */
    default void calibrationBlock(String session, String stream, int index, float[] data) {
    }

    /** Statistics were fitted and frozen for this stream (collected blocks may be dropped). */
    default void calibrated(String session, String stream, Calibration calibration) {
    }
}
