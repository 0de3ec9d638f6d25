package io.mindstream.journal;

/** What a journal entry's payload holds. The byte codes are part of the on-disk format: append only. */
public enum EntryType {
    /** A contracts {@code SampleChunk}, encoded with {@code SampleChunkCodec}. */
    SAMPLE_CHUNK(1),
    /** A contracts {@code Marker}, encoded with {@code MarkerCodec}. */
    MARKER(2),
    /**
     * A contracts {@code StreamDescription} (the stream's LSL XML as ingest received it), encoded with
     * {@code StreamDescriptionCodec}: journaled when ingest opens a stream, before its first record from that inlet.
     */
    STREAM_DESCRIPTION(3);

    private final byte code;

    EntryType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type of a code, or null for a code this build does not know (written by a newer one). */
    public static EntryType fromCode(byte code) {
        for (EntryType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
