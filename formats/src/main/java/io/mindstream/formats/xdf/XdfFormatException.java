package io.mindstream.formats.xdf;

import java.io.IOException;
import java.nio.file.Path;

/** An XDF file that cannot be read: the message names the file, the chunk and the byte offset where it went wrong. */
public final class XdfFormatException extends IOException {

    public XdfFormatException(Path file, long offset, String problem) {
        super(file + ": at byte offset " + offset + ": " + problem);
    }
}
