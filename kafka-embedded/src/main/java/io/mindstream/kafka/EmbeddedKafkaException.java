package io.mindstream.kafka;

/** The embedded broker could not start or stop; the message names the address and data directory involved. */
public final class EmbeddedKafkaException extends RuntimeException {

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }

    public EmbeddedKafkaException(String message) {
        super(message);
    }
}
