package io.mindstream.ingest.chunk;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what it is given, for tests. */
public final class CollectingSink implements RecordSink {
    public final List<SampleChunk> chunks = new ArrayList<>();
    public final List<Integer> chunkFlags = new ArrayList<>();
    public final List<Integer> chunkSamples = new ArrayList<>();
    public final List<Marker> markers = new ArrayList<>();
    public final List<Integer> markerFlags = new ArrayList<>();
    public final List<StreamDescription> descriptions = new ArrayList<>();

    @Override
    public void chunk(SampleChunk chunk, int samples, int flags, double clockOffset) {
        chunks.add(chunk);
        chunkSamples.add(samples);
        chunkFlags.add(flags);
    }

    @Override
    public void marker(Marker marker, int flags, double clockOffset) {
        markers.add(marker);
        markerFlags.add(flags);
    }

    @Override
    public void description(StreamDescription description) {
        descriptions.add(description);
    }
}
