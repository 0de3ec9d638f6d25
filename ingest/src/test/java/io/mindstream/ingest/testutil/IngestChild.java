package io.mindstream.ingest.testutil;

import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Ingest in a JVM of its own, for the crash tests to SIGKILL: {@link IngestService} with the default settings, taking
 * one stream by source id, accounting every second. Arguments: bootstrap servers, session, source id, journal
 * directory. Runs until killed (or stopped with SIGTERM, which drains like {@code ./mindstream ingest}).
 */
public final class IngestChild {

    private IngestChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        IngestConfig config = IngestConfig.defaults(args[1], JournalConfig.defaults(Path.of(args[3])),
                        ForwarderConfig.defaults(args[0]))
                .withSelector(StreamSelector.of(List.of(), List.of(args[2]), List.of()))
                .withStatsInterval(Duration.ofSeconds(1));
        IngestService service = new IngestService(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(
                service.close(Duration.ofSeconds(20))), "ingest-child-stop"));
        Thread.currentThread().join();
    }

    /** The arguments {@link #main} takes. */
    public static List<String> args(String bootstrap, String session, String sourceId, Path journal) {
        return List.of(bootstrap, session, sourceId, journal.toString());
    }
}
