package io.mindstream.formats.xdf;

/** An XDF stream's channel format (the LSL {@code channel_format} names) and the size of one value. */
public enum XdfFormat {
    FLOAT32("float32", 4), DOUBLE64("double64", 8), INT8("int8", 1), INT16("int16", 2), INT32("int32", 4),
    INT64("int64", 8), STRING("string", 0);

    private final String xmlName;
    private final int bytes;

    XdfFormat(String xmlName, int bytes) {
        this.xmlName = xmlName;
        this.bytes = bytes;
    }

    /** The name in a stream header's {@code <channel_format>}. */
    public String xmlName() {
        return xmlName;
    }

    /** Bytes per value; 0 for strings (length-prefixed). */
    public int bytesPerValue() {
        return bytes;
    }

    public static XdfFormat fromXmlName(String name) {
        for (XdfFormat f : values()) {
            if (f.xmlName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown XDF channel format '" + name + "'");
    }
}
