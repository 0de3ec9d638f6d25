package io.mindstream.journal;

import io.mindstream.contracts.StreamDescription;

import java.util.List;
import java.util.Optional;

/** A recorded session, read in time order (by first stamp) as a stream of items. */
public interface Recording extends AutoCloseable {

    /** The next item, or null at the end of the recording. */
    ReplayItem next();

    /**
     * The stream descriptions read so far, in the order they were recorded (a stream that came back with a different
     * description has several). A stream's description is recorded before its data, so it is here once
     * {@link #next()} has returned the stream's first item. Empty for a recording that keeps none (a journal written
     * before descriptions were journaled, a FIF or XDF file).
     */
    default List<StreamDescription> descriptions() {
        return List.of();
    }

    /** The first description recorded for {@code streamId}, if any ({@link #descriptions()}). */
    default Optional<StreamDescription> description(String streamId) {
        return descriptions().stream().filter(d -> d.streamId().equals(streamId)).findFirst();
    }

    /**
     * Entries the recording could not read and passed over so far, each one line naming the source, the entry and
     * the problem; everything else is read. Only entries nothing is lost without (descriptions, entry types of a
     * newer build) are passed over: a damaged chunk or marker fails {@link #next()}.
     */
    default List<String> problems() {
        return List.of();
    }

    @Override
    void close();
}
