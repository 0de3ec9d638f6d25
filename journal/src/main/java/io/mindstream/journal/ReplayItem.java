package io.mindstream.journal;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;

/** One recorded record to re-publish: a whole chunk (split volumes already reassembled) or a marker. */
public record ReplayItem(SampleChunk chunk, Marker marker) {

    public static ReplayItem of(SampleChunk c) {
        return new ReplayItem(c, null);
    }

    public static ReplayItem of(Marker m) {
        return new ReplayItem(null, m);
    }

    public String streamId() {
        return chunk != null ? chunk.streamId() : marker.streamId();
    }

    /** Where a stream's data ended as ingest saw it (a chunk with no samples): nothing to publish. */
    public boolean isEnd() {
        return chunk != null && chunk.isEnd();
    }

    /**
     * Stamp of the first sample (host clock of the recording). An end has none: it sorts first, which is harmless
     * because readers place an end by its sequence number, not by time.
     */
    public double firstTimestamp() {
        if (chunk == null) {
            return marker.timestamp();
        }
        return chunk.isEnd() ? Double.NEGATIVE_INFINITY : chunk.timestamps()[0];
    }
}
