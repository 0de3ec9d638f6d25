package io.mindstream.ingest.chunk;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;

/** Where finished records go (the journal, in production). Called on the stream's own thread. */
public interface RecordSink {

    /**
     * @param samples samples this record accounts for (0 for the continuation slices of a split wide sample, so a
     *                volume is counted once)
     * @param flags   {@link io.mindstream.contracts.QualityFlags} raised for this record by the checks
     * @param clockOffset the time correction added to the source's stamps (seconds)
     */
    void chunk(SampleChunk chunk, int samples, int flags, double clockOffset);

    void marker(Marker marker, int flags, double clockOffset);

    /** A stream's description as its source published it; called before the stream's records from that source. */
    void description(StreamDescription description);
}
