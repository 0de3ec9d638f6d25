package io.mindstream.ingest.replay;

import io.mindstream.formats.fif.FifEvents;

/**
 * How a FIF recording is replayed.
 *
 * @param chunkSeconds data per LSL chunk (10 ms: what a live MEG acquisition pushes; architecture.md §1)
 * @param events       find_events options for the events stream; null publishes no events stream
 * @param annotations  whether the annotations go out as a string marker stream
 */
public record FifReplayConfig(double chunkSeconds, FifEvents.Options events, boolean annotations) {

    public FifReplayConfig {
        if (!(chunkSeconds > 0)) {
            throw new IllegalArgumentException("chunkSeconds must be > 0, got " + chunkSeconds);
        }
    }

    public static FifReplayConfig defaults() {
        return new FifReplayConfig(0.010, FifEvents.Options.defaults(), true);
    }
}
