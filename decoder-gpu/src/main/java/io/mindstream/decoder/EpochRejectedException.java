package io.mindstream.decoder;

/** One epoch that cannot be decoded (wrong shape, non-finite values); names the epoch and the problem. */
public class EpochRejectedException extends RuntimeException {
    public EpochRejectedException(String message) {
        super(message);
    }
}
