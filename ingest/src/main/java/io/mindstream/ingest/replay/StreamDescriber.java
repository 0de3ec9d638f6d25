package io.mindstream.ingest.replay;

import io.mindstream.journal.Recording;
import io.mindstream.lsl4j.StreamInfo;
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

    /**
     * The {@code <desc>} each stream's source published, as {@code recording} kept it (a journal or Kafka session):
     * a replayed session describes its channels as the live one did. Streams without a (readable) description get
     * none.
     */
    static StreamDescriber recorded(Recording recording) {
        return (id, desc) -> recording.description(id).ifPresent(d -> {
            try {
                copy(StreamInfo.fromXml(d.xml()).desc(), desc);
            } catch (IllegalArgumentException notXml) {
                // named in the recording's problems only when unreadable as a record; a record holding bad XML
                // describes nothing
            }
        });
    }

    /** Appends a copy of {@code from}'s children (the whole tree) to {@code to}. */
    static void copy(XmlElement from, XmlElement to) {
        for (XmlElement c : from.children()) {
            copy(c, to.appendChild(c.name()).setValue(c.value()));
        }
    }
}
