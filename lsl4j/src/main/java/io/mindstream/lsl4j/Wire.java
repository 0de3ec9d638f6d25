package io.mindstream.lsl4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Byte-level pieces of the LSL 1.10 protocol shared by outlet and inlet (lsl-protocol.md §5). */
final class Wire {
    private Wire() {
    }

    static final byte TAG_DEDUCED = 1;
    static final byte TAG_EXPLICIT = 2;
    /** Pass as a timestamp to send tag 1 (the receiver adds 1/srate to the previous timestamp). */
    static final double DEDUCED_TIMESTAMP = -1.0;
    static final double TEST_PATTERN_TIMESTAMP = 123456.789;
    /** Longest handshake line and header block we accept (liblsl reads lines into 16 KiB). */
    static final int MAX_LINE = 16384;
    static final int MAX_HEADER_LINES = 64;
    /** Largest string value we accept on the wire; larger lengths are treated as corruption. */
    static final long MAX_STRING_BYTES = 16L << 20;

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Value of channel k of test pattern {@code offset} (4 or 2), as a long (or the string's text). */
    static long testPatternLong(ChannelFormat f, int k, int offset) {
        long c = switch (f) {
            case FLOAT32 -> 0;
            case DOUBLE64 -> 16777217L;
            case INT32 -> 65537L;
            case INT16 -> 257L;
            case INT8 -> 1L;
            case INT64 -> 2147483649L;
            case STRING -> 10L;
        };
        long v = k + offset + c;
        long max = switch (f) {
            case INT32 -> Integer.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT8 -> Byte.MAX_VALUE;
            default -> 0;
        };
        if (max != 0) v %= max;
        return (k % 2 == 0) ? v : -v;
    }

    /** The encoded test-pattern sample (tag 2 + timestamp + values), little-endian, as liblsl sends it. */
    static byte[] testPattern(ChannelFormat f, int channels, int offset) {
        SampleWriter w = new SampleWriter(f, channels);
        w.begin(TEST_PATTERN_TIMESTAMP);
        for (int k = 0; k < channels; k++) {
            if (f == ChannelFormat.STRING) w.putString(Integer.toString((k + 10) * (k % 2 == 0 ? 1 : -1)));
            else w.putLong(testPatternLong(f, k, offset));
        }
        byte[] out = new byte[w.length()];
        System.arraycopy(w.buffer(), 0, out, 0, out.length);
        return out;
    }

    /** Reads one LF-terminated line (CR and surrounding whitespace trimmed); null at EOF before any byte. */
    static String readLine(InputStream in, int max) throws IOException {
        byte[] buf = new byte[Math.min(max, 256)];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) return null;
                throw new ProtocolException("truncated", "connection closed in the middle of a line");
            }
            if (b == '\n') break;
            if (n == max) throw new ProtocolException("line-too-long", "line longer than " + max + " bytes");
            if (n == buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(max, buf.length * 2));
            buf[n++] = (byte) b;
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1).strip();
    }

    /**
     * Reads header lines up to the empty line, liblsl-style: text after ';' dropped, lower-cased, split at the
     * first ':', trimmed. Lines without ':' are ignored.
     */
    static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            if (i > MAX_HEADER_LINES) throw new ProtocolException("too-many-headers", "more than " + MAX_HEADER_LINES + " header lines");
            String line = readLine(in, MAX_LINE);
            if (line == null) throw new ProtocolException("truncated", "connection closed inside the header block");
            if (line.isEmpty()) return h;
            int semi = line.indexOf(';');
            if (semi >= 0) line = line.substring(0, semi);
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            line = line.toLowerCase(Locale.ROOT);
            h.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
    }

    /** std::stoi-like: leading integer of {@code s}; throws ProtocolException naming the header on failure. */
    static int parseIntHeader(String name, String s) throws ProtocolException {
        String t = s.strip();
        int end = 0;
        if (end < t.length() && (t.charAt(end) == '-' || t.charAt(end) == '+')) end++;
        while (end < t.length() && Character.isDigit(t.charAt(end))) end++;
        try {
            return Integer.parseInt(t.substring(0, end));
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad-header", "header '" + name + "' is not an integer: '" + abbreviate(s) + "'");
        }
    }

    static double parseDoubleHeader(String name, String s) throws ProtocolException {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad-header", "header '" + name + "' is not a number: '" + abbreviate(s) + "'");
        }
    }

    /** Shortened, printable form of peer-supplied text for log lines (no control characters). */
    static String abbreviate(String s) {
        String t = s.length() <= 64 ? s : s.substring(0, 64) + "...";
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
