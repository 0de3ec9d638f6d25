package io.mindstream.formats;

/**
 * A file that cannot be read as a volume, for a reason that waiting will not change: not the format it claims,
 * a compressed DICOM transfer syntax, a data type we do not read, a header that contradicts itself. The message is
 * one line naming the file and the reason.
 */
public class FormatException extends RuntimeException {

    private final String source;

    public FormatException(String source, String reason) {
        super(source + ": " + reason);
        this.source = source;
    }

    public FormatException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
    }

    /** The file (or other input) the problem is in. */
    public String source() {
        return source;
    }
}
