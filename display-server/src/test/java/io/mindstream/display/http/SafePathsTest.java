package io.mindstream.display.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafePathsTest {

    private static Path root;

    @BeforeContainer
    static void makeRoot() throws IOException {
        Path base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "safepaths");
        root = Files.createDirectories(base.resolve("root"));
        Files.createDirectories(root.resolve("thumbs"));
        Files.writeString(root.resolve("thumbs/a.png"), "a");
        Files.writeString(base.resolve("secret"), "s");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var w = Files.walk(root.getParent())) {
            w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Paths built from dangerous pieces, raw and percent-encoded in several ways. */
    @Provide
    Arbitrary<String> hostilePaths() {
        Arbitrary<String> piece = Arbitraries.of("..", ".", "%2e%2e", "%2E%2e", ".%2e", "%2e.", "..%2f", "%2f",
                "%5c", "\\", "..\\", "%252e%252e", "%c0%ae", "%00", "secret", "thumbs", "a.png", "", "~", "%",
                "%zz", "root", "C:", "/");
        return piece.list().ofMinSize(1).ofMaxSize(8).map(l -> "/" + String.join("/", l));
    }

    @Property(tries = 2000)
    void nothingOutsideTheRootIsEverResolved(@ForAll("hostilePaths") String raw) throws IOException {
        Optional<List<String>> segs = SafePaths.segments(raw);
        if (segs.isEmpty()) {
            return;
        }
        for (String s : segs.get()) {
            assertTrue(!s.equals("..") && !s.equals(".") && !s.contains("/") && !s.contains("\\"), raw + " → " + s);
        }
        Optional<Path> file = SafePaths.resolveFile(root, segs.get());
        if (file.isPresent()) {
            assertTrue(file.get().startsWith(root.toRealPath()), raw + " escaped to " + file.get());
            assertEquals(root.toRealPath().resolve("thumbs/a.png"), file.get());
        }
    }

    @Property(tries = 200)
    void plainNamesDecodeToThemselves(@ForAll("plainNames") List<String> names) {
        String raw = "/" + String.join("/", names);
        assertEquals(Optional.of(names), SafePaths.segments(raw));
    }

    @Provide
    Arbitrary<List<String>> plainNames() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_', '-').ofMinLength(1)
                .ofMaxLength(12).list().ofMinSize(1).ofMaxSize(4);
    }

    @net.jqwik.api.Example
    void decodesEncodedNamesOnceAndRejectsDoubleEncoding() {
        assertEquals(Optional.of(List.of("bank", "thumbs", "a b.png")), SafePaths.segments("/bank/thumbs/a%20b.png"));
        assertEquals(Optional.empty(), SafePaths.segments("/bank/%252e%252e/x"));
        assertEquals(Optional.empty(), SafePaths.segments("/bank/%2e%2e/x"));
        assertEquals(Optional.empty(), SafePaths.segments("/bank/%2"));
        assertEquals(Optional.empty(), SafePaths.segments("bank/x"));
        assertEquals(Optional.of(List.of()), SafePaths.segments("/"));
    }
}
