package io.mindstream.contracts;

/**
 * The marker label convention (docs/contracts.md, TEAM conventions): {@code onset image=<imageId> trial=<n>
 * split=<train|test>}, {@code offset trial=<n>}, {@code catch trial=<n>}, {@code block start=<k>}. Ingest reads the
 * image id out of what a stimulus PC sends; the simulator writes labels the same way.
 */
public final class MarkerLabels {

    private static final String IMAGE = "image=";

    private MarkerLabels() {
    }

    /** The id after {@code image=} (up to the next whitespace), or null when the label names no image. */
    public static String imageId(String label) {
        int at = imageTokenStart(label);
        if (at < 0) {
            return null;
        }
        int end = tokenEnd(label, at);
        return end == at ? null : label.substring(at, end);
    }

    /** True when the label has an {@code image=} token with nothing after the {@code =}: a malformed label. */
    public static boolean hasEmptyImageId(String label) {
        int at = imageTokenStart(label);
        return at >= 0 && tokenEnd(label, at) == at;
    }

    /** Index just after an {@code image=} that starts a whitespace-separated token, or -1. */
    private static int imageTokenStart(String label) {
        int from = 0;
        while (true) {
            int i = label.indexOf(IMAGE, from);
            if (i < 0) {
                return -1;
            }
            if (i == 0 || Character.isWhitespace(label.charAt(i - 1))) {
                return i + IMAGE.length();
            }
            from = i + 1;
        }
    }

    private static int tokenEnd(String label, int from) {
        int i = from;
        while (i < label.length() && !Character.isWhitespace(label.charAt(i))) {
            i++;
        }
        return i;
    }
}
