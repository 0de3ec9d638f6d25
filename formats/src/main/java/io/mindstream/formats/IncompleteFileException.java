package io.mindstream.formats;

/**
 * A file that ends before its header says it should: either still being written (the scanner's export writes a
 * volume in several pieces) or truncated for good. A folder watcher retries it until it parses or times out.
 */
public final class IncompleteFileException extends FormatException {

    private final long have;
    private final long need;

    public IncompleteFileException(String source, long have, long need, String what) {
        super(source, "truncated: " + have + " bytes, " + (need > 0 ? need + " needed for " : "") + what);
        this.have = have;
        this.need = need;
    }

    /** Bytes present. */
    public long have() {
        return have;
    }

    /** Bytes the header asks for (0 when not yet known). */
    public long need() {
        return need;
    }
}
