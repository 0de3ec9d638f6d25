package io.mindstream.display.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a request path into a file under a root without ever leaving it.
 *
 * <p>Defence in depth, because each layer alone has been bypassed somewhere: the raw path is percent-decoded exactly
 * once and strictly (a bad escape is a rejection, a decoded {@code %} — double encoding — too); every segment must be
 * a plain name (no {@code .}, {@code ..}, empty, hidden, backslash, colon or control characters); the joined path is
 * normalised and must still start with the root; and finally the real path (symlinks resolved) must also lie under
 * the real root, so a link pointing outside is refused even though its name is harmless.
 */
public final class SafePaths {

    private SafePaths() {
    }

    /**
     * The request path's segments, decoded and checked, or empty if the path could reach outside its root.
     *
     * @param rawPath the path part of the request target, still percent-encoded, starting with {@code /}
     */
    public static Optional<List<String>> segments(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return Optional.empty();
        }
        String decoded = decodeOnce(rawPath);
        if (decoded == null) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        String[] parts = decoded.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() && i == parts.length - 1) {
                break;                    // trailing slash: a directory request, handled by the caller
            }
            if (!isPlainName(p)) {
                return Optional.empty();
            }
            out.add(p);
        }
        return Optional.of(List.copyOf(out));
    }

    /**
     * Resolves checked segments under {@code root}: a regular, readable file whose real path lies under the root's
     * real path, or empty.
     */
    public static Optional<Path> resolveFile(Path root, List<String> segments) {
        if (root == null || segments.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path realRoot = root.toRealPath();
            Path candidate = realRoot;
            for (String s : segments) {
                candidate = candidate.resolve(s);
            }
            candidate = candidate.normalize();
            if (!candidate.startsWith(realRoot) || !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();          // follows links: must still be inside
            if (!real.startsWith(realRoot) || !Files.isRegularFile(real) || !Files.isReadable(real)) {
                return Optional.empty();
            }
            return Optional.of(real);
        } catch (IOException | SecurityException | java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    static boolean isPlainName(String s) {
        if (s.isEmpty() || s.length() > 255 || s.charAt(0) == '.') {
            return false;                 // ".", "..", hidden files, "" (a "//" in the middle)
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':' || c == '%' || c == '/') {
                return false;
            }
        }
        return true;
    }

    /** Strict single percent-decoding of a path as UTF-8; null on a malformed escape or malformed UTF-8. */
    static String decodeOnce(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] buf = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                buf[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                buf[n++] = (byte) c;
            } else {
                return null;              // raw non-ASCII in a request target is not valid HTTP
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(buf, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
