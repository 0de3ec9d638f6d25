package io.mindstream.lsl4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes protocol 1.10 samples (lsl-protocol.md §5.5) from a {@link WireReader}: tag, optional timestamp and
 * values in the negotiated byte order, converted to little-endian bytes (numeric) or strings. Rejects bad tags,
 * bad length widths and string lengths above {@link Wire#MAX_STRING_BYTES}, so a corrupt or hostile stream cannot
 * make it allocate without bound. Reuses its buffers for numeric samples.
 */
final class SampleDecoder {
    private final ChannelFormat format;
    private final int channels;
    private final boolean bigEndian;
    private final boolean suppressSubnormals;
    final byte[] values;
    final String[] strings;
    double timestamp;
    boolean deduced;

    SampleDecoder(ChannelFormat format, int channels, boolean bigEndian, boolean suppressSubnormals) {
        this.format = format;
        this.channels = channels;
        this.bigEndian = bigEndian;
        this.suppressSubnormals = suppressSubnormals;
        this.values = new byte[channels * format.valueSize()];
        this.strings = format.isNumeric() ? null : new String[channels];
    }

    boolean isString() { return strings != null; }

    void read(WireReader r) throws IOException {
        int tag = r.readByte();
        if (tag == Wire.TAG_DEDUCED) {
            deduced = true;
        } else if (tag == Wire.TAG_EXPLICIT) {
            deduced = false;
            timestamp = Double.longBitsToDouble(r.readUnsigned(8, bigEndian));
        } else {
            throw new ProtocolException("bad-tag", String.format("invalid sample tag 0x%02x (expected 01 or 02)", tag));
        }
        if (strings == null) {
            r.readFully(values, 0, values.length);
            int size = format.valueSize();
            if (bigEndian && size > 1) swap(size);
            if (suppressSubnormals) flushSubnormals();
        } else {
            for (int k = 0; k < channels; k++) {
                int width = r.readByte();
                if (width != 1 && width != 2 && width != 4 && width != 8)
                    throw new ProtocolException("bad-length", "invalid string length width " + width + " (expected 1, 2, 4 or 8)");
                long len = r.readUnsigned(width, bigEndian && width > 1);
                if (len < 0 || len > Wire.MAX_STRING_BYTES)
                    throw new ProtocolException("oversized", "string value of " + Long.toUnsignedString(len)
                            + " bytes exceeds the " + Wire.MAX_STRING_BYTES + "-byte limit");
                byte[] b = new byte[(int) len];
                r.readFully(b, 0, b.length);
                strings[k] = new String(b, StandardCharsets.UTF_8);
            }
        }
    }

    private void swap(int size) {
        for (int o = 0; o < values.length; o += size) {
            for (int i = 0, j = size - 1; i < j; i++, j--) {
                byte t = values[o + i];
                values[o + i] = values[o + j];
                values[o + j] = t;
            }
        }
    }

    private void flushSubnormals() {
        java.nio.ByteBuffer bb = Wire.le(values);
        if (format == ChannelFormat.FLOAT32) {
            for (int o = 0; o < values.length; o += 4) {
                float f = bb.getFloat(o);
                if (f != 0 && Math.abs(f) < Float.MIN_NORMAL) bb.putFloat(o, Math.copySign(0f, f));
            }
        } else if (format == ChannelFormat.DOUBLE64) {
            for (int o = 0; o < values.length; o += 8) {
                double d = bb.getDouble(o);
                if (d != 0 && Math.abs(d) < Double.MIN_NORMAL) bb.putDouble(o, Math.copySign(0d, d));
            }
        }
    }

    /** Whether the last sample read is test pattern {@code offset} exactly (timestamp included). */
    boolean matchesTestPattern(int offset) {
        if (deduced || timestamp != Wire.TEST_PATTERN_TIMESTAMP) return false;
        if (strings != null) {
            for (int k = 0; k < channels; k++) {
                if (!Integer.toString((k + 10) * (k % 2 == 0 ? 1 : -1)).equals(strings[k])) return false;
            }
            return true;
        }
        byte[] expected = Wire.testPattern(format, channels, offset);
        // expected = tag(1) + timestamp(8) + values, all little-endian like our buffer
        for (int i = 0; i < values.length; i++) if (values[i] != expected[9 + i]) return false;
        return true;
    }
}
