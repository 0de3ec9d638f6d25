package io.mindstream.decoder.model;

/** A model file that cannot serve as a decoder: missing, unreadable, not ONNX, or of the wrong shape. */
public class InvalidModelException extends Exception {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
