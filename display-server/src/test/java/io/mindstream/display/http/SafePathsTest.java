package io.mindstream.display.http;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafePathsTest {

    /** Fixed seed: every run checks the same cases; a failure names the seed and case index to reproduce it. */
    static final long SEED = 0x5afe_9a75_d15b_1a7eL;
    static final int HOSTILE_CASES = 2000;
    static final int PLAIN_CASES = 200;

    /**
     * The pieces hostile paths are built from: traversal ({@code ..}, {@code .}), percent-encoded and double-encoded
     * dots, slashes and backslashes, overlong and other unicode tricks, NUL and control characters, absolute and
     * drive paths, broken escapes, and the names that do exist under (and just outside) the root.
     */
    static final List<String> PIECES = List.of(
            // raw traversal
            "..", ".", "...", "....", "..\\", "\\", "/", "//", "~",
            // percent-encoded dots, slashes, backslashes (mixed case)
            "%2e%2e", "%2E%2e", "%2E%2E", ".%2e", "%2e.", "%2e", "..%2f", "..%2F", "%2f", "%2F", "%2e%2e%2f",
            "%5c", "%5C", "..%5c", "%2e%2e%5c",
            // double-encoded
            "%252e%252e", "%252E%252E", "%252f", "%255c", "..%252f", "%25", "%2525",
            // overlong UTF-8 and unicode look-alikes of '.', '/', '\'
            "%c0%ae", "%c0%ae%c0%ae", "%e0%80%ae", "%c0%af", "%e0%80%af", "%c1%9c", "%ef%bc%8e%ef%bc%8e", "%ef%bc%8f",
            "%e2%80%a4%e2%80%a4", "%e2%88%95", "%ed%a0%80", "%ff", "%e2%80%ae", "%c3%a9", "\u00e9", "\u2024\u2024",
            "\uff0e\uff0e", "\u2215",
            // NUL and control characters, raw and encoded
            "%00", "\u0000", "..%00", "a.png%00", "a.png\u0000", "%0a", "%0d%0a", "%7f", "\t",
            // absolute and drive paths, UNC, URLs
            "/etc/passwd", "%2fetc%2fpasswd", "%2Fetc%2Fpasswd", System.getProperty("java.io.tmpdir"), "C:",
            "C:\\Windows", "C:%5cWindows", "\\\\host\\share", "file:///etc/passwd",
            // broken escapes
            "%", "%zz", "%2", "%g0",
            // names that exist: inside the root, the root itself, just outside it, and a link pointing outside
            "secret", "thumbs", "a.png", "root", "escape", "", ".hidden");

    /** How pieces are joined and how the path starts; mostly '/', sometimes an encoded or foreign separator. */
    static final List<String> SEPARATORS = List.of("/", "/", "/", "/", "/", "/", "%2f", "%2F", "\\", "%5c", "%252f");
    static final List<String> PREFIXES = List.of("/", "/", "/", "/", "/", "/", "/", "/", "", "\\", "%2f", "//", "./");
    static final String[] TARGET = {"thumbs", "a.png"};

    @TempDir
    static Path base;
    private static Path root;

    @BeforeAll
    static void makeRoot() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        Files.createDirectories(root.resolve("thumbs"));
        Files.writeString(root.resolve("thumbs/a.png"), "a");
        Files.writeString(root.resolve(".hidden"), "h");
        Files.writeString(base.resolve("secret"), "s");
        // a harmless-looking name under the root whose target lies outside it
        Files.createSymbolicLink(root.resolve("escape"), base.resolve("secret"));
    }

    /**
     * One generated request path: {@code pieces} joined by {@code separator} after {@code prefix}, or (for the
     * mutations of the one real file) the mutated path itself.
     */
    record HostileCase(int index, String kind, List<String> pieces, String separator, String prefix, String raw) {
        @Override
        public String toString() {
            return "seed=" + Long.toHexString(SEED) + " case=" + index + " " + kind + " " + printable(raw);
        }
    }

    /**
     * {@value #HOSTILE_CASES} cases from {@link #SEED}: seven in eight are 1–8 hostile pieces joined by a separator;
     * one in eight starts from the one real file ({@code /thumbs/a.png}) and mutates it — hostile pieces inserted,
     * characters percent-encoded once (must still resolve to the file) or twice (must not) — so that the branch where
     * a file is found gets exercised too.
     */
    static List<HostileCase> hostileCases() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<HostileCase> cases = new ArrayList<>(HOSTILE_CASES);
        for (int i = 0; i < HOSTILE_CASES; i++) {
            if (rnd.nextInt(8) != 0) {
                int n = rnd.nextInt(1, 9);
                List<String> pieces = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    pieces.add(pick(rnd, PIECES));
                }
                String sep = pick(rnd, SEPARATORS);
                String prefix = pick(rnd, PREFIXES);
                cases.add(new HostileCase(i, "pieces", List.copyOf(pieces), sep, prefix,
                        prefix + String.join(sep, pieces)));
            } else {
                cases.add(mutatedTarget(i, rnd));
            }
        }
        return cases;
    }

    private static HostileCase mutatedTarget(int i, SplittableRandom rnd) {
        List<String> segs = new ArrayList<>(List.of(TARGET));
        List<String> inserted = new ArrayList<>();
        String kind;
        switch (rnd.nextInt(3)) {
            case 0 -> {
                kind = "inserted";
                int n = rnd.nextInt(1, 4);
                for (int j = 0; j < n; j++) {
                    String p = pick(rnd, PIECES);
                    inserted.add(p);
                    segs.add(rnd.nextInt(segs.size() + 1), p);
                }
            }
            case 1 -> kind = "encoded-once";
            default -> kind = "encoded-twice";
        }
        String raw = "/" + String.join("/", segs);
        if (!kind.equals("inserted")) {
            StringBuilder b = new StringBuilder();
            for (char c : raw.toCharArray()) {
                if (rnd.nextInt(3) == 0) {
                    String enc = String.format("%%%02X", (int) c);
                    b.append(kind.equals("encoded-once") ? enc : "%25" + enc.substring(1));
                } else {
                    b.append(c);
                }
            }
            raw = b.toString();
        }
        return new HostileCase(i, kind, List.copyOf(inserted), "/", "/", raw);
    }

    static Stream<HostileCase> hostilePaths() {
        return hostileCases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostilePaths")
    void nothingOutsideTheRootIsEverResolved(HostileCase c) throws IOException {
        Optional<List<String>> segs = SafePaths.segments(c.raw());
        if (segs.isEmpty()) {
            return;
        }
        for (String s : segs.get()) {
            assertTrue(!s.equals("..") && !s.equals(".") && !s.contains("/") && !s.contains("\\"),
                    c + " → " + printable(s));
        }
        Optional<Path> file = SafePaths.resolveFile(root, segs.get());
        if (file.isPresent()) {
            assertTrue(file.get().startsWith(root.toRealPath()), c + " escaped to " + file.get());
            assertEquals(root.toRealPath().resolve("thumbs/a.png"), file.get(), c.toString());
        }
    }

    /**
     * The generator really produces what the property claims to cover: every piece, separator and prefix many times,
     * and all three outcomes (rejected while decoding/splitting, accepted but no file, the real file found).
     */
    @Test
    void hostileGeneratorCoversEveryPieceAndEveryOutcome() throws IOException {
        Map<String, Integer> pieceUses = new HashMap<>();
        Map<String, Integer> separatorUses = new HashMap<>();
        Map<String, Integer> prefixUses = new HashMap<>();
        int rejected = 0, noFile = 0, found = 0, encodedOnceFound = 0;
        for (HostileCase c : hostileCases()) {
            c.pieces().forEach(p -> pieceUses.merge(p, 1, Integer::sum));
            if (c.kind().equals("pieces")) {
                separatorUses.merge(c.separator(), 1, Integer::sum);
                prefixUses.merge(c.prefix(), 1, Integer::sum);
            }
            Optional<List<String>> segs = SafePaths.segments(c.raw());
            if (segs.isEmpty()) {
                rejected++;
            } else if (SafePaths.resolveFile(root, segs.get()).isEmpty()) {
                noFile++;
            } else {
                found++;
                if (c.kind().equals("encoded-once")) {
                    encodedOnceFound++;
                }
            }
        }
        for (String p : PIECES) {
            assertTrue(pieceUses.getOrDefault(p, 0) >= 20,
                    "seed " + Long.toHexString(SEED) + ": piece " + printable(p) + " used " + pieceUses.get(p) + "×");
        }
        for (String s : SEPARATORS) {
            assertTrue(separatorUses.getOrDefault(s, 0) >= 20, "separator " + s + " used " + separatorUses.get(s));
        }
        for (String p : PREFIXES) {
            assertTrue(prefixUses.getOrDefault(p, 0) >= 20, "prefix " + p + " used " + prefixUses.get(p));
        }
        assertTrue(rejected >= 500, "rejected " + rejected);
        assertTrue(noFile >= 20, "accepted without a file " + noFile);
        assertTrue(found >= 50, "real file found " + found);
        assertTrue(encodedOnceFound >= 50, "single-encoded real file found " + encodedOnceFound);
    }

    /** {@value #PLAIN_CASES} cases: 1–4 names of 1–12 characters from [a-z0-9_-]; the extremes first. */
    static Stream<Object[]> plainNames() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_-";
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {0, List.of("a")});
        cases.add(new Object[] {1, List.of("-")});
        cases.add(new Object[] {2, List.of("zzzzzzzzzzzz", "999999999999", "____________", "------------")});
        SplittableRandom rnd = new SplittableRandom(SEED ^ 0x9e3779b97f4a7c15L);
        while (cases.size() < PLAIN_CASES) {
            int n = rnd.nextInt(1, 5);
            List<String> names = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                int len = rnd.nextInt(1, 13);
                StringBuilder b = new StringBuilder(len);
                for (int k = 0; k < len; k++) {
                    b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                names.add(b.toString());
            }
            cases.add(new Object[] {cases.size(), List.copyOf(names)});
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "case {0}: {1}")
    @MethodSource("plainNames")
    void plainNamesDecodeToThemselves(int index, List<String> names) {
        String raw = "/" + String.join("/", names);
        assertEquals(Optional.of(names), SafePaths.segments(raw),
                "seed " + Long.toHexString(SEED ^ 0x9e3779b97f4a7c15L) + " case " + index + ": " + raw);
    }

    @Test
    void decodesEncodedNamesOnceAndRejectsDoubleEncoding() {
        assertEquals(Optional.of(List.of("bank", "thumbs", "a b.png")), SafePaths.segments("/bank/thumbs/a%20b.png"));
        assertEquals(Optional.empty(), SafePaths.segments("/bank/%252e%252e/x"));
        assertEquals(Optional.empty(), SafePaths.segments("/bank/%2e%2e/x"));
        assertEquals(Optional.empty(), SafePaths.segments("/bank/%2"));
        assertEquals(Optional.empty(), SafePaths.segments("bank/x"));
        assertEquals(Optional.of(List.of()), SafePaths.segments("/"));
    }

    @Test
    void theSecretIsUnreachableByTraversalAbsolutePathOrLink() throws IOException {
        String secret = base.resolve("secret").toRealPath().toString();
        for (String raw : List.of("/../secret", "/%2e%2e/secret", "/%2e%2e%2fsecret", "/thumbs/../../secret",
                "/" + secret, "/%2f" + secret.substring(1).replace("/", "%2f"), "/escape", "/thumbs/%2e%2e/a.png")) {
            Optional<Path> file = SafePaths.segments(raw).flatMap(s -> SafePaths.resolveFile(root, s));
            assertEquals(Optional.empty(), file, raw);
        }
        assertEquals(Optional.of(root.toRealPath().resolve("thumbs/a.png")),
                SafePaths.segments("/thumbs/a.png").flatMap(s -> SafePaths.resolveFile(root, s)), "the control case");
        assertEquals(List.of("escape"), SafePaths.segments("/escape").orElseThrow(),
                "the link's name is harmless: only resolveFile's real-path check can refuse it");
    }

    private static String pick(SplittableRandom rnd, List<String> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    /** Control and non-ASCII characters as {@code \\uXXXX}, so case names and messages stay readable. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
