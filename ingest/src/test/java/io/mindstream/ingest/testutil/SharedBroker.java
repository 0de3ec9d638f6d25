package io.mindstream.ingest.testutil;

import io.mindstream.kafka.EmbeddedKafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded broker for all of this module's tests in a JVM (a start costs seconds on the shared cores). Tests
 * tell their records apart by session key or journal id. Stopped by a shutdown hook.
 */
public final class SharedBroker {

    private static EmbeddedKafka broker;

    private SharedBroker() {
    }

    public static synchronized EmbeddedKafka get() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ingest-kafka");
                broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir));
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-broker-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return broker;
    }
}
