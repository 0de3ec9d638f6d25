package io.mindstream.ingest.replay;

import io.mindstream.lsl4j.XmlElement;

/**
 * What a recording knows about a stream beyond its records: the {@code <desc>} of its LSL stream info (channel
 * labels, units, acquisition settings), filled in before the outlet opens so every consumer (ingest, a recorder)
 * sees it.
 */
@FunctionalInterface
public interface StreamDescriber {

    void describe(String streamId, XmlElement desc);

    static StreamDescriber none() {
        return (id, desc) -> { };
    }
}
