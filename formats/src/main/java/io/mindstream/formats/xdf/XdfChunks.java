package io.mindstream.formats.xdf;

/** XDF's chunk tags and fixed values (sccn/xdf wiki, "Specifications"). */
final class XdfChunks {

    private XdfChunks() {
    }

    static final byte[] MAGIC = {'X', 'D', 'F', ':'};
    static final int FILE_HEADER = 1;
    static final int STREAM_HEADER = 2;
    static final int SAMPLES = 3;
    static final int CLOCK_OFFSET = 4;
    static final int BOUNDARY = 5;
    static final int STREAM_FOOTER = 6;

    /** The boundary chunk's content: a fixed 16-byte UUID a reader can search for to resynchronise. */
    static final byte[] BOUNDARY_UUID = {0x43, (byte) 0xA5, 0x46, (byte) 0xDC, (byte) 0xCB, (byte) 0xF5, 0x41, 0x0F,
            (byte) 0xB3, 0x0E, (byte) 0xD5, 0x46, 0x73, (byte) 0x83, (byte) 0xCB, (byte) 0xE4};
}
