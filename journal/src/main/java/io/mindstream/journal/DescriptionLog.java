package io.mindstream.journal;

import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.codec.RecordFormatException;
import io.mindstream.contracts.codec.StreamDescriptionCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The stream descriptions a {@link Recording} has read and the entries it passed over, as {@link Recording}
 * exposes them; one per recording, so the journal and Kafka recordings read and report them the same way.
 */
public final class DescriptionLog {

    private static final Logger LOG = LoggerFactory.getLogger(DescriptionLog.class);

    private final StreamDescriptionCodec codec = new StreamDescriptionCodec();
    private final Set<String> streams;
    private final List<StreamDescription> descriptions = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** @param streams the stream ids the recording reads; empty = all */
    public DescriptionLog(Set<String> streams) {
        this.streams = Set.copyOf(streams);
    }

    /**
     * Decodes a recorded description and keeps it when its stream is read; one that cannot be decoded is passed over
     * and named.
     *
     * @param what where it is and what it is, for the message: "journal DIR, entry 1f: the description of stream x"
     */
    public void read(byte[] payload, String what) {
        StreamDescription d;
        try {
            d = codec.decode(payload);
        } catch (RecordFormatException bad) {
            passedOver(what + " cannot be read (" + bad.getMessage() + "); passed over");
            return;
        }
        if (streams.isEmpty() || streams.contains(d.streamId())) {
            descriptions.add(d);
        }
    }

    /** Names an entry passed over (one line: the source, the entry, the problem). */
    public void passedOver(String line) {
        LOG.warn("{}", line);
        problems.add(line);
    }

    public List<StreamDescription> descriptions() {
        return List.copyOf(descriptions);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }
}
