package io.mindstream.ingest.marker;

import io.mindstream.contracts.Marker;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.chunk.CollectingSink;
import io.mindstream.ingest.stats.StreamStats;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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

    @Property(tries = 300)
    void anyWellFormedLabelWithinTheLimitPassesUnchanged(@ForAll String label) {
        MarkerParser p = new MarkerParser(1 << 20);
        String why = p.rejection(label);
        boolean control = label.chars().anyMatch(ch -> (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
                || ch == 0x7F || ch == 0xFFFD);
        boolean surrogates = !label.codePoints().allMatch(cp -> cp < 0xD800 || cp > 0xDFFF);
        boolean emptyImage = label.matches("(?s)(^|.*\\s)image=(\\s.*|$)");
        assertEquals(!(label.isEmpty() || control || surrogates || emptyImage), why == null,
                () -> "label '" + label + "': " + why);
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
