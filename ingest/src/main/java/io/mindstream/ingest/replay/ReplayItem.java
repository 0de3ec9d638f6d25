package io.mindstream.ingest.replay;

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

    /** Stamp of the first sample (host clock of the recording). */
    public double firstTimestamp() {
        return chunk != null ? chunk.timestamps()[0] : marker.timestamp();
    }
}
