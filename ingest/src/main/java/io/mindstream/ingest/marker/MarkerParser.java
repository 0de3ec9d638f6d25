package io.mindstream.ingest.marker;

import io.mindstream.contracts.MarkerLabels;

import java.nio.charset.StandardCharsets;

/**
 * Validates marker strings and reads the stimulus image id out of them (TEAM conventions:
 * {@code onset image=<imageId> trial=<n> split=<train|test>}).
 *
 * <p>A label is kept exactly as received (it is never trimmed or normalised, so unicode survives byte for byte).
 * It is rejected when it is
 * <ul>
 *   <li>oversized: more than {@code maxLabelBytes} bytes of UTF-8;</li>
 *   <li>empty;</li>
 *   <li>malformed: holds U+FFFD (the replacement for bytes that were not valid UTF-8 on the wire), a lone
 *       surrogate, or a control character other than tab, newline and carriage return (NUL, escape …);
 *       or has an {@code image=} token with nothing after the {@code =}.</li>
 * </ul>
 */
public final class MarkerParser {

    /** Default limit on a marker label: 4 KiB is far beyond any real event label. */
    public static final int DEFAULT_MAX_LABEL_BYTES = 4096;

    private final int maxLabelBytes;

    public MarkerParser(int maxLabelBytes) {
        if (maxLabelBytes < 1) {
            throw new IllegalArgumentException("max marker bytes must be >= 1");
        }
        this.maxLabelBytes = maxLabelBytes;
    }

    /** The reason a label is rejected, or null when it is acceptable. */
    public String rejection(String label) {
        if (label == null || label.isEmpty()) {
            return "empty marker";
        }
        // cheap upper bound first: a UTF-8 char is at most 3 bytes per UTF-16 unit
        if ((long) label.length() * 3 > maxLabelBytes) {
            int bytes = label.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxLabelBytes) {
                return "oversized marker: " + bytes + " bytes of UTF-8, limit " + maxLabelBytes;
            }
        }
        for (int i = 0; i < label.length(); i++) {
            char ch = label.charAt(i);
            if (ch == '\uFFFD') {
                return "malformed marker: invalid UTF-8 on the wire (U+FFFD at char " + i + ")";
            }
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 < label.length() && Character.isLowSurrogate(label.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "malformed marker: lone surrogate at char " + i;
            }
            if (Character.isLowSurrogate(ch)) {
                return "malformed marker: lone surrogate at char " + i;
            }
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
                return "malformed marker: control character U+" + String.format("%04X", (int) ch) + " at char " + i;
            }
        }
        if (MarkerLabels.hasEmptyImageId(label)) {
            return "malformed marker: 'image=' without an id";
        }
        return null;
    }

    /** The id after {@code image=} (up to the next whitespace), or null when the label names no image. */
    public static String imageId(String label) {
        return MarkerLabels.imageId(label);
    }
}
