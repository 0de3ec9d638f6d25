package io.mindstream.contracts;

/** What a stream carries; decides its raw topic ({@link Topics#rawTopic(StreamKind)}) and how it is epoched. */
public enum StreamKind {
    MEG, EEG, FMRI, MARKER, OTHER;

    /** The stable wire code of this kind (the ordinal order above is part of the contract: append only). */
    public int code() {
        return ordinal();
    }

    public static StreamKind fromCode(int code) {
        StreamKind[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown stream kind code " + code);
        }
        return all[code];
    }
}
