package io.mindstream.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The Kafka cluster a command talks to, as chosen by {@link BrokerOptions#open()}. Closing it stops the broker only
 * if this command started one in-process; an external cluster or a shared {@code ./mindstream kafka} is left running.
 */
public final class KafkaTarget implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaTarget.class);

    /** How the cluster was found. */
    public enum Kind {
        /** {@code --bootstrap-servers} was given. */
        EXTERNAL,
        /** An embedded broker was already listening at the default address (from {@code ./mindstream kafka}). */
        SHARED_EMBEDDED,
        /** Nothing was listening, so this command started the embedded broker itself. */
        IN_PROCESS
    }

    private final String bootstrapServers;
    private final Kind kind;
    private final EmbeddedKafka broker;
    private final Thread shutdownHook;

    private KafkaTarget(String bootstrapServers, Kind kind, EmbeddedKafka broker) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
        this.broker = broker;
        if (broker != null) {
            // Ctrl-C skips finally blocks; the hook still shuts the broker down cleanly so its next start needs no
            // log recovery.
            this.shutdownHook = new Thread(broker::close, "mindstream-kafka-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    static KafkaTarget external(String bootstrapServers) {
        return new KafkaTarget(bootstrapServers, Kind.EXTERNAL, null);
    }

    static KafkaTarget sharedEmbedded(String bootstrapServers) {
        return new KafkaTarget(bootstrapServers, Kind.SHARED_EMBEDDED, null);
    }

    static KafkaTarget inProcess(EmbeddedKafka broker) {
        return new KafkaTarget(broker.bootstrapServers(), Kind.IN_PROCESS, broker);
    }

    /** What to pass as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Kind kind() {
        return kind;
    }

    /** The broker this command started, if it started one. */
    public Optional<EmbeddedKafka> inProcessBroker() {
        return Optional.ofNullable(broker);
    }

    /** One line for logs: which cluster, and how it was chosen. */
    public String describe() {
        return switch (kind) {
            case EXTERNAL -> "Kafka cluster " + bootstrapServers + " (--bootstrap-servers)";
            case SHARED_EMBEDDED -> "embedded Kafka broker already running at " + bootstrapServers
                    + " (./mindstream kafka)";
            case IN_PROCESS -> "embedded Kafka broker started in this process at " + bootstrapServers + ", data in "
                    + broker.dataDir() + " (stops when this command ends)";
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Stops the in-process broker, if any. */
    @Override
    public void close() {
        if (broker == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            log.debug("JVM already shutting down; the hook stops the broker");
        }
        broker.close();
    }
}
