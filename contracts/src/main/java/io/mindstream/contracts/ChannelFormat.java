package io.mindstream.contracts;

/**
 * LSL channel formats, numbered as liblsl numbers them ({@code cf_float32 = 1} … {@code cf_int64 = 7}) so the
 * code on our wire is the one an LSL user already knows.
 */
public enum ChannelFormat {
    FLOAT32(1, 4), DOUBLE64(2, 8), STRING(3, -1), INT32(4, 4), INT16(5, 2), INT8(6, 1), INT64(7, 8);

    private final int lslCode;
    private final int bytes;

    ChannelFormat(int lslCode, int bytes) {
        this.lslCode = lslCode;
        this.bytes = bytes;
    }

    public int lslCode() {
        return lslCode;
    }

    /** Bytes per value, or -1 for variable-length strings. */
    public int bytesPerValue() {
        return bytes;
    }

    public boolean isNumeric() {
        return bytes > 0;
    }

    public static ChannelFormat fromLslCode(int code) {
        for (ChannelFormat f : values()) {
            if (f.lslCode == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown channel format code " + code);
    }
}
