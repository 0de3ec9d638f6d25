package io.mindstream.lsl4j;

/** The value type of every channel of a stream, named and numbered as in liblsl ({@code lsl_channel_format_t}). */
public enum ChannelFormat {
    FLOAT32("float32", 4, 1),
    DOUBLE64("double64", 8, 2),
    STRING("string", 0, 3),
    INT32("int32", 4, 4),
    INT16("int16", 2, 5),
    INT8("int8", 1, 6),
    INT64("int64", 8, 7);

    private final String lslName;
    private final int valueSize;
    private final int code;

    ChannelFormat(String lslName, int valueSize, int code) {
        this.lslName = lslName;
        this.valueSize = valueSize;
        this.code = code;
    }

    /** The name used in stream-info XML, e.g. {@code float32}. */
    public String lslName() {
        return lslName;
    }

    /** Bytes per value on the wire; 0 for strings (variable length). */
    public int valueSize() {
        return valueSize;
    }

    /** liblsl's numeric code (1..7). */
    public int code() {
        return code;
    }

    public boolean isNumeric() {
        return this != STRING;
    }

    /** Parses an XML name such as {@code int16}; throws {@link IllegalArgumentException} naming the bad value. */
    public static ChannelFormat fromLslName(String name) {
        for (ChannelFormat f : values()) {
            if (f.lslName.equals(name)) return f;
        }
        throw new IllegalArgumentException("unknown LSL channel format '" + name + "'");
    }
}
