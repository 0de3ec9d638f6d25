package io.mindstream.contracts.bank;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A bank or {@code .npy} file that exists but cannot be used: wrong dtype or shape, truncated, inconsistent with its
 * companion file, duplicate ids. The message always names the file and the problem.
 */
public class BankFormatException extends IOException {

    private final transient Path file;

    public BankFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public BankFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem was found in. */
    public Path file() {
        return file;
    }
}
