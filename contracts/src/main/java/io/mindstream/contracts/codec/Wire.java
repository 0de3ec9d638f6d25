package io.mindstream.contracts.codec;

import io.mindstream.contracts.Stage;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;

import java.nio.ByteBuffer;

/** Constants and write helpers shared by the codecs (format in docs/contracts.md). */
final class Wire {

    static final int MAGIC_SIZE = 4;
    /** Byte 3 of every magic: the format version, as an ASCII digit. */
    static final byte VERSION = '1';
    static final byte TYPE_CHUNK = 'C';
    static final byte TYPE_MARKER = 'M';
    static final byte TYPE_EPOCH = 'E';
    static final byte TYPE_RESULT = 'R';
    static final byte TYPE_DESCRIPTION = 'D';
    /** The u16 length that marks a null string. */
    static final int NULL_STRING = 0xFFFF;
    static final int MAX_STRING_BYTES = 0xFFFE;

    /** Flag bits of a trigger or marker: which optional integers are present. */
    static final int FLAG_HAS_CODE = 1;

    private static final Stage[] STAGES = Stage.values();
    private static final TriggerKind[] TRIGGER_KINDS = TriggerKind.values();

    /** Bytes of a trace: the u8 stage count and one i64 per stage. */
    static final int TRACE_SIZE = 1 + 8 * STAGES.length;

    private Wire() {
    }

    static String typeName(byte typeChar) {
        return switch (typeChar) {
            case TYPE_CHUNK -> "SampleChunk";
            case TYPE_MARKER -> "Marker";
            case TYPE_EPOCH -> "Epoch";
            case TYPE_RESULT -> "DecodeResult";
            case TYPE_DESCRIPTION -> "StreamDescription";
            default -> null;
        };
    }

    static void magic(ByteBuffer b, byte typeChar, byte version) {
        b.put((byte) 'M').put((byte) 'S').put(typeChar).put(version);
    }

    /** Encoded size of a string field (u16 length + UTF-8), validating what can be encoded. */
    static int stringSize(String s, String type, String field) {
        return 2 + (s == null ? 0 : utf8Length(s, type, field));
    }

    /**
     * Encoded size of a long text field (i32 length + UTF-8), for documents that can outgrow a u16 string: the
     * description of a 306-channel MEG system with each channel's coil, calibration and location (as
     * {@code replay --from fif} publishes it) is well past 64 kB.
     */
    static long textSize(String s, String type, String field) {
        return 4 + utf8Length(s, type, field, Integer.MAX_VALUE - 16);
    }

    static int utf8Length(String s, String type, String field) {
        return utf8Length(s, type, field, MAX_STRING_BYTES);
    }

    private static int utf8Length(String s, String type, String field, int max) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw RecordFormatException.unencodable(type, field + " holds an unpaired UTF-16 surrogate at char "
                        + i + " (not representable in UTF-8)");
            } else {
                n += 3;
            }
        }
        if (n > max) {
            throw RecordFormatException.unencodable(type, field + " is " + n + " UTF-8 bytes, at most "
                    + max + " fit");
        }
        return (int) n;
    }

    /** Writes a string whose size {@link #stringSize} has already validated. */
    static void putString(ByteBuffer b, String s) {
        if (s == null) {
            b.putShort((short) NULL_STRING);
            return;
        }
        int lenPos = b.position();
        b.position(lenPos + 2);
        putUtf8(b, s);
        b.putShort(lenPos, (short) (b.position() - lenPos - 2));
    }

    /** Writes a long text field whose size {@link #textSize} has already validated: i32 length, UTF-8. */
    static void putText(ByteBuffer b, String s) {
        int lenPos = b.position();
        b.position(lenPos + 4);
        putUtf8(b, s);
        b.putInt(lenPos, b.position() - lenPos - 4);
    }

    private static void putUtf8(ByteBuffer b, String s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b.put((byte) c);
            } else if (c < 0x800) {
                b.put((byte) (0xC0 | (c >> 6))).put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b.put((byte) (0xF0 | (cp >> 18))).put((byte) (0x80 | ((cp >> 12) & 0x3F)))
                        .put((byte) (0x80 | ((cp >> 6) & 0x3F))).put((byte) (0x80 | (cp & 0x3F)));
            } else {
                b.put((byte) (0xE0 | (c >> 12))).put((byte) (0x80 | ((c >> 6) & 0x3F)))
                        .put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    static void putTrace(ByteBuffer b, TraceStamps t) {
        b.put((byte) STAGES.length);
        for (Stage s : STAGES) {
            b.putLong(t.get(s));
        }
    }

    static int flags(Integer code) {
        return code != null ? FLAG_HAS_CODE : 0;
    }

    /** Reads and validates a flags byte: only {@link #FLAG_HAS_CODE} may be set. */
    static int readFlags(WireReader r, String field) {
        int at = r.offset();
        int f = r.u8(field);
        if ((f & ~FLAG_HAS_CODE) != 0) {
            throw r.error(at, String.format("%s 0x%02x has unknown bits set", field, f));
        }
        return f;
    }

    /**
     * Reads the i32 code whose presence the flags byte (read before it) announces. An absent code is written as 0, so
     * anything else there means a corrupt record.
     *
     * @return the code, or null when the flags say there is none
     */
    static Integer readCode(WireReader r, int flags, String field) {
        int at = r.offset();
        int code = r.i32(field);
        if ((flags & FLAG_HAS_CODE) == 0) {
            if (code != 0) {
                throw r.error(at, field + " is " + code + " but the flags say there is none (must be 0)");
            }
            return null;
        }
        return code;
    }

    static TriggerKind triggerKind(WireReader r) {
        int at = r.offset();
        int k = r.u8("trigger kind");
        if (k >= TRIGGER_KINDS.length) {
            throw r.error(at, "unknown trigger kind code " + k);
        }
        return TRIGGER_KINDS[k];
    }

    /** Fixed part of a trigger inside a header: f64 eventTime, i64 eventSequence, i32 code. */
    static void putTriggerNumbers(ByteBuffer b, Trigger t) {
        b.putDouble(t.eventTime()).putLong(t.eventSequence()).putInt(t.code() == null ? 0 : t.code());
    }
}
