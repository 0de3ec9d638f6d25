package io.mindstream.contracts.codec;

import io.mindstream.contracts.Stage;
import io.mindstream.contracts.TraceStamps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reads over one record. Every read first checks that the bytes are there and every
 * count is checked against the bytes left before anything is allocated, so corrupt input ends in a
 * {@link RecordFormatException} naming the field and offset, never in an out-of-memory error, an index exception or a
 * garbage value.
 */
final class WireReader {

    private static final int STAGES = Stage.values().length;

    private final String type;
    private final ByteBuffer buf;

    /** Reads {@code src}'s bytes from position to limit; offsets in errors are relative to that position. */
    WireReader(String type, ByteBuffer src) {
        this.type = type;
        this.buf = src.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    int offset() {
        return buf.position();
    }

    int remaining() {
        return buf.remaining();
    }

    RecordFormatException error(String problem) {
        return new RecordFormatException(type, buf.position(), problem);
    }

    RecordFormatException error(int at, String problem) {
        return new RecordFormatException(type, at, problem);
    }

    /**
     * Checks the 4-byte magic {@code 'M' 'S' typeChar version} and returns the version, which must lie in
     * {@code oldest … newest}.
     */
    byte magic(char typeChar, byte oldest, byte newest) {
        if (buf.remaining() < Wire.MAGIC_SIZE) {
            throw error("truncated: " + buf.remaining() + " bytes, shorter than the 4-byte magic");
        }
        byte m0 = buf.get(0);
        byte m1 = buf.get(1);
        byte m2 = buf.get(2);
        byte m3 = buf.get(3);
        if (m0 != 'M' || m1 != 'S') {
            throw error(0, String.format("bad magic %02x %02x %02x %02x: not a mindstream record",
                    m0 & 0xff, m1 & 0xff, m2 & 0xff, m3 & 0xff));
        }
        if (m2 != typeChar) {
            String other = Wire.typeName(m2);
            throw error(2, other != null ? "this is a " + other + " record, not a " + type
                    : String.format("unknown record type byte %02x", m2 & 0xff));
        }
        if (m3 < oldest || m3 > newest) {
            throw error(3, String.format("format version byte %02x is not supported (this build reads %s)",
                    m3 & 0xff, oldest == newest ? "version '" + (char) newest + "'"
                            : "versions '" + (char) oldest + "' to '" + (char) newest + "'"));
        }
        buf.position(Wire.MAGIC_SIZE);
        return m3;
    }

    private void need(int bytes, String field) {
        if (buf.remaining() < bytes) {
            throw error("truncated: " + field + " needs " + bytes + " bytes, " + buf.remaining() + " left");
        }
    }

    /** Checks that {@code count} elements of {@code size} bytes fit in what is left (overflow-safe). */
    void needArray(long count, int size, String field) {
        if (count < 0 || count > buf.remaining() / size) {
            throw error("truncated or corrupt: " + field + " needs " + count + " × " + size + " bytes, "
                    + buf.remaining() + " left");
        }
    }

    int u8(String field) {
        need(1, field);
        return buf.get() & 0xff;
    }

    int u16(String field) {
        need(2, field);
        return buf.getShort() & 0xffff;
    }

    int i32(String field) {
        need(4, field);
        return buf.getInt();
    }

    /** An unsigned 32-bit count that must lie in {@code [min, Integer.MAX_VALUE]}. */
    int count(String field, int min) {
        need(4, field);
        int at = buf.position();
        long v = buf.getInt() & 0xffffffffL;
        if (v < min || v > Integer.MAX_VALUE) {
            throw error(at, field + " " + v + " out of range [" + min + ", " + Integer.MAX_VALUE + "]");
        }
        return (int) v;
    }

    long i64(String field) {
        need(8, field);
        return buf.getLong();
    }

    double f64(String field) {
        need(8, field);
        return buf.getDouble();
    }

    float f32(String field) {
        need(4, field);
        return buf.getFloat();
    }

    /** A u16 length (0xFFFF = null) followed by that many bytes of strict UTF-8. */
    String string(String field, boolean nullable) {
        int at = buf.position();
        int len = u16(field + " length");
        if (len == Wire.NULL_STRING) {
            if (!nullable) {
                throw error(at, field + " is null but is required");
            }
            return null;
        }
        return utf8(len, field);
    }

    /** An i32 length followed by that many bytes of strict UTF-8 (a long text field: {@code Wire.putText}). */
    String text(String field) {
        return utf8(count(field + " length", 0), field);
    }

    private String utf8(int len, String field) {
        need(len, field);
        int start = buf.position();
        boolean ascii = true;
        for (int i = 0; i < len; i++) {
            if (buf.get(start + i) < 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii && buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + start, len, StandardCharsets.US_ASCII);
            buf.position(start + len);
        } else {
            ByteBuffer slice = buf.slice().limit(len);
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(slice);
                s = chars.toString();
            } catch (CharacterCodingException e) {
                throw error(start + slice.position(), field + " is not valid UTF-8");
            }
            buf.position(start + len);
        }
        return s;
    }

    float[] floats(int n, String field) {
        needArray(n, 4, field);
        float[] out = new float[n];
        buf.asFloatBuffer().get(out);
        buf.position(buf.position() + n * 4);
        return out;
    }

    double[] doubles(int n, String field) {
        needArray(n, 8, field);
        double[] out = new double[n];
        buf.asDoubleBuffer().get(out);
        buf.position(buf.position() + n * 8);
        return out;
    }

    byte[] bytes(long n, String field) {
        needArray(n, 1, field);
        byte[] out = new byte[(int) n];
        buf.get(out);
        return out;
    }

    /**
     * The trace: a u8 stage count S then S i64 stamps. Stages this build knows are filled from the first slots;
     * stages a newer writer appended are skipped; stages an older writer did not know stay 0.
     */
    TraceStamps trace() {
        int s = u8("trace stage count");
        needArray(s, 8, "trace stamps");
        long[] micros = new long[STAGES];
        for (int i = 0; i < s; i++) {
            long v = buf.getLong();
            if (i < STAGES) {
                micros[i] = v;
            }
        }
        return new TraceStamps(micros);
    }

    /** The record must end exactly here. */
    void end() {
        if (buf.hasRemaining()) {
            throw error(buf.remaining() + " unexpected trailing bytes after the end of the record");
        }
    }
}
