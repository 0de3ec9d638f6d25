package io.mindstream.journal;

/** A recorded session, read in time order (by first stamp) as a stream of items. */
public interface Recording extends AutoCloseable {

    /** The next item, or null at the end of the recording. */
    ReplayItem next();

    @Override
    void close();
}
