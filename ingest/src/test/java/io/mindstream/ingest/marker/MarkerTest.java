package io.mindstream.ingest.marker;

import io.mindstream.contracts.Marker;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.chunk.CollectingSink;
import io.mindstream.ingest.stats.StreamStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class MarkerTest {

    private final StreamStats stats = new StreamStats("mk");
    private final CollectingSink sink = new CollectingSink();
    private final MarkerAssembler asm = new MarkerAssembler("sess", "mk", new MarkerParser(64),
            new StreamChecker("mk", 0, CheckConfig.defaults(), stats), stats, sink, () -> 50.0);

    @Test
    void teamConventionMarkersKeepTheirLabelAndNameTheirImage() {
        asm.strings(new String[]{"onset image=things_aardvark_01b trial=3 split=train"}, 49.0, 0.0);
        asm.strings(new String[]{"offset trial=3"}, 49.5, 0.0);
        asm.strings(new String[]{"block start=2"}, 49.6, 0.0);
        Marker on = sink.markers.get(0);
        assertEquals("onset image=things_aardvark_01b trial=3 split=train", on.label());
        assertEquals("things_aardvark_01b", on.imageId());
        assertEquals(0, on.sequence());
        assertEquals(49.0, on.timestamp());
        assertNull(sink.markers.get(1).imageId());
        assertEquals(2, sink.markers.get(2).sequence());
    }

    @Test
    void imageIdIsOnlyReadFromAWholeToken() {
        assertNull(MarkerParser.imageId("onset myimage=x"));
        assertEquals("a/b", MarkerParser.imageId("image=a/b trial=1"));
    }

    @Test
    void unicodeIsPreservedByteForByte() {
        String label = "onset image=café_日本_🧠 trial=1 ñ";
        asm.strings(new String[]{label}, 1.0, 0.0);
        Marker m = sink.markers.get(0);
        assertArrayEquals(label.getBytes(StandardCharsets.UTF_8), m.label().getBytes(StandardCharsets.UTF_8));
        assertEquals("café_日本_🧠", m.imageId());
    }

    /** Fixed seed: every run checks the same labels; a failure names the seed and case index to reproduce it. */
    static final long LABEL_SEED = 0x1abe_15eedL;
    static final int LABEL_CASES = 300;
    static final int MAX_LABEL_CHARS = 255;

    /**
     * {@value #LABEL_CASES} labels: the edge cases first (empty, a single space, tab, NUL, DEL, U+FFFD, a lone high
     * and a lone low surrogate, a valid surrogate pair, the longest all-ASCII label), then labels of 0–
     * {@value #MAX_LABEL_CHARS} chars drawn from {@link #LABEL_SEED}. Each label mixes chars from pools chosen so
     * that acceptable and rejected labels both occur often: printable ASCII, any other BMP char but a surrogate,
     * tab/newline/CR, other C0 controls and DEL, U+FFFD, valid surrogate pairs and lone surrogates.
     */
    static Stream<Arguments> labels() {
        List<String> cases = new ArrayList<>(List.of("", " ", "\t", "\u0000", "\u007F", "\uFFFD", "\uD800", "\uDFFF",
                "\uD83E\uDDE0", "x".repeat(MAX_LABEL_CHARS)));
        SplittableRandom rnd = new SplittableRandom(LABEL_SEED);
        while (cases.size() < LABEL_CASES) {
            // short labels are where boundaries live, so lengths are drawn log-uniformly half of the time
            int length = rnd.nextBoolean() ? rnd.nextInt(MAX_LABEL_CHARS + 1)
                    : (int) Math.expm1(rnd.nextDouble() * Math.log1p(MAX_LABEL_CHARS));
            // per label, how likely the "troublesome" pools are: many labels are clean, some are mostly noise
            double trouble = rnd.nextDouble() < 0.5 ? 0.0 : rnd.nextDouble() * 0.2;
            StringBuilder b = new StringBuilder(length * 2);
            while (b.length() < length) {
                if (rnd.nextDouble() >= trouble) {
                    int pool = rnd.nextInt(20);
                    if (pool == 0) {
                        b.append("\t\n\r".charAt(rnd.nextInt(3)));                      // allowed controls
                    } else {
                        b.append(pool % 2 == 0 ? (char) rnd.nextInt(0x20, 0x7F) : anyNonSurrogate(rnd));
                    }
                    continue;
                }
                switch (rnd.nextInt(5)) {
                    case 0 -> b.append((char) rnd.nextInt(0x20));                          // C0 control
                    case 1 -> b.append('\u007F');
                    case 2 -> b.append('\uFFFD');
                    case 3 -> b.appendCodePoint(rnd.nextInt(0x10000, Character.MAX_CODE_POINT + 1)); // pair
                    default -> b.append((char) rnd.nextInt(0xD800, 0xE000));                // lone surrogate
                }
            }
            cases.add(b.toString());
        }
        return IntStream.range(0, cases.size()).mapToObj(i -> Arguments.of(i, cases.get(i)));
    }

    private static char anyNonSurrogate(SplittableRandom rnd) {
        while (true) {
            char ch = (char) rnd.nextInt(0x10000);
            if (!Character.isSurrogate(ch)) {
                return ch;
            }
        }
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("labels")
    void anyWellFormedLabelWithinTheLimitPassesUnchanged(int caseIndex, String label) {
        MarkerParser p = new MarkerParser(1 << 20);
        String why = p.rejection(label);
        boolean control = label.chars().anyMatch(ch -> (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
                || ch == 0x7F || ch == 0xFFFD);
        boolean surrogates = !label.codePoints().allMatch(cp -> cp < 0xD800 || cp > 0xDFFF);
        boolean emptyImage = label.matches("(?s)(^|.*\\s)image=(\\s.*|$)");
        assertEquals(!(label.isEmpty() || control || surrogates || emptyImage), why == null,
                () -> "seed " + LABEL_SEED + " case " + caseIndex + ", label '" + label + "': " + why);
    }

    @Test
    void malformedAndOversizedMarkersAreRejectedCountedAndTheRestFlowOn() {
        asm.strings(new String[]{"x".repeat(65)}, 1.0, 0.0);            // oversized (limit 64 bytes)
        asm.strings(new String[]{"é".repeat(33)}, 1.1, 0.0);            // 66 bytes of UTF-8: oversized too
        asm.strings(new String[]{"bad\u0000nul"}, 1.2, 0.0);            // control char
        asm.strings(new String[]{"broken \uFFFD utf8"}, 1.3, 0.0);      // invalid UTF-8 on the wire
        asm.strings(new String[]{"onset image= trial=1"}, 1.4, 0.0);    // empty image id
        asm.strings(new String[]{""}, 1.5, 0.0);                        // empty
        asm.strings(new String[]{"onset image=ok trial=9"}, 1.6, 0.0);  // fine
        assertEquals(1, sink.markers.size());
        assertEquals("ok", sink.markers.get(0).imageId());
        assertEquals(6, sink.markers.get(0).sequence(), "rejected markers leave a hole in the sequence");
        assertEquals(6, stats.dropped());
        assertEquals(7, stats.received());
    }

    @Test
    void integerMarkerStreamsGiveCodes() {
        asm.codes(new long[]{7, 1L << 40}, 2, 3.0, 0.0);
        asm.numbers(new double[]{12.0, 1.5}, 2, 3.1, 0.0);
        assertEquals(2, sink.markers.size());
        assertEquals(7, sink.markers.get(0).code());
        assertNull(sink.markers.get(0).label());
        assertEquals(12, sink.markers.get(1).code());
        assertEquals(2, stats.dropped());
    }
}
