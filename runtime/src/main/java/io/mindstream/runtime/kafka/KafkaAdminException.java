package io.mindstream.runtime.kafka;

/** An admin operation (create, describe, list offsets) failed; the message names the operation and the cause. */
public final class KafkaAdminException extends RuntimeException {

    public KafkaAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
