package io.mindstream.lsl4j;

import java.io.IOException;

/** A peer sent something that violates the LSL wire protocol; {@link #kind()} is a stable key for log throttling. */
final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String kind;

    ProtocolException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    String kind() {
        return kind;
    }
}
