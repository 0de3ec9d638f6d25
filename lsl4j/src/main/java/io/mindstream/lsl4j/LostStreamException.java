package io.mindstream.lsl4j;

/**
 * The stream an inlet was connected to is gone (its outlet closed or vanished) and cannot be recovered: recovery
 * was disabled, or the stream has no source_id to find a restarted outlet by. Samples received before the loss
 * are still returned before this is thrown.
 */
public class LostStreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LostStreamException(String message) {
        super(message);
    }

    public LostStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
