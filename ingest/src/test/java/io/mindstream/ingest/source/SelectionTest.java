package io.mindstream.ingest.source;

import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.marker.MarkerParser;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.journal.JournalConfig;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest's default selection takes every acquisition stream but never mindstream's own results outlet (a decoder's
 * {@code DecodeResults} stream would otherwise flow back into the session's markers); naming it takes it. Real lsl4j
 * outlets, discovered by ingest's own resolver.
 */
class SelectionTest {

    @TempDir
    Path tmp;

    private IngestService ingest(StreamSelector selector) {
        return new IngestService(new IngestConfig("sel-" + System.nanoTime(), JournalConfig.defaults(tmp.resolve(
                "journal-" + System.nanoTime())), null, selector, StreamKinds.defaults(), ChunkingConfig.defaults(),
                CheckConfig.defaults(), InletConfig.defaults(), MarkerParser.DEFAULT_MAX_LABEL_BYTES, Duration.ZERO))
                .start();
    }

    private static boolean waitForActive(IngestService s, String id, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (s.supervisor().activeStreams().contains(id)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void theDefaultSelectionSkipsTheDecodersOutletAndANamedSelectionTakesIt() throws Exception {
        String results = IngestFixture.uniqueId("results");
        String markers = IngestFixture.uniqueId("markers");
        try (StreamOutlet r = new StreamOutlet(new StreamInfo("mindstream-decoder-" + results, "DecodeResults", 1, 0,
                ChannelFormat.STRING, results), 1, 30);
             StreamOutlet m = new StreamOutlet(new StreamInfo("Markers-" + markers, "Markers", 1, 0,
                     ChannelFormat.STRING, markers), 1, 30)) {
            try (IngestService s = ingest(StreamSelector.of(List.of(), List.of(), List.of()))) {
                assertTrue(waitForActive(s, markers, 20_000), "the default selection takes a marker stream");
                // the resolver has seen both outlets by now (the same resolve found the markers)
                Thread.sleep(1500);
                assertFalse(s.supervisor().activeStreams().contains(results),
                        "the decoder's results outlet is not taken by default");
            }
            try (IngestService s = ingest(StreamSelector.of(List.of(), List.of(), List.of("DecodeResults")))) {
                assertTrue(waitForActive(s, results, 20_000), "naming its type takes it");
            }
        }
    }
}
