package io.mindstream.ingest.testutil;

import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.marker.MarkerParser;
import io.mindstream.ingest.source.InletConfig;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Ingest configured for a test: only the given source ids, a fresh journal, the test's broker. */
public final class IngestFixture {

    private IngestFixture() {
    }

    /** A unique prefix so parallel test runs on this host never pick up each other's streams. */
    public static String uniqueId(String what) {
        return "ingest-test-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static IngestConfig config(String session, Path journalDir, String bootstrap, List<String> sourceIds) {
        return new IngestConfig(session, JournalConfig.defaults(journalDir),
                bootstrap == null ? null : ForwarderConfig.defaults(bootstrap),
                StreamSelector.of(List.of(), sourceIds, List.of()), StreamKinds.defaults(), ChunkingConfig.defaults(),
                CheckConfig.defaults(), InletConfig.defaults(), MarkerParser.DEFAULT_MAX_LABEL_BYTES,
                Duration.ofSeconds(2));
    }
}
