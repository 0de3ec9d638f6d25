package io.mindstream.decoder.engine;

/** The engine configuration asked for cannot run here; the message says what is missing and how to get it. */
public class EngineUnavailableException extends Exception {
    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
