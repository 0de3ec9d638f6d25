package io.mindstream.formats.fif;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A FIF file that cannot be read as what it claims to be: truncated, corrupt, foreign, or of a kind this reader does
 * not handle. The message names the file, the tag (kind and type) and the byte offset where reading stopped, so a
 * user can tell a half-copied file from a wrong one.
 */
public final class FifFormatException extends IOException {

    private final Path file;
    private final long offset;

    public FifFormatException(Path file, long offset, String tag, String problem) {
        super(file + ": " + (tag == null ? "" : tag + " ") + "at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }

    /** Byte offset of the tag (or of the read) that failed. */
    public long offset() {
        return offset;
    }
}
