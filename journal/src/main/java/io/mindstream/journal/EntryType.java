package io.mindstream.journal;

/** What a journal entry's payload holds. The byte codes are part of the on-disk format: append only. */
public enum EntryType {
    /** A contracts {@code SampleChunk}, encoded with {@code SampleChunkCodec}. */
    SAMPLE_CHUNK(1),
    /** A contracts {@code Marker}, encoded with {@code MarkerCodec}. */
    MARKER(2);

    private final byte code;

    EntryType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static EntryType fromCode(byte code) {
        for (EntryType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown journal entry type " + code);
    }
}
