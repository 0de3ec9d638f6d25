package io.mindstream.decoder.output;

import io.mindstream.contracts.DecodeResult;

/** Where decode results go (the results topic, an LSL outlet, a file); called from the decoder's loop thread. */
public interface ResultSink extends AutoCloseable {

    void accept(DecodeResult result);

    /** Makes what was accepted visible (e.g. flushes a producer) before offsets are committed. */
    default void flush() {
    }

    @Override
    void close();
}
