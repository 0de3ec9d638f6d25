package io.mindstream.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The Kafka cluster a command talks to, as chosen by {@link BrokerOptions#open()}. Closing it stops the broker only
 * if this command started one in-process; an external cluster or a shared {@code ./mindstream kafka} is left running.
 *
 * <p>Resources registered with {@link #closeFirst} (producers, consumers, Streams instances) are closed before the
 * in-process broker stops, both on {@link #close()} and when the JVM shuts down on Ctrl-C, so that a producer can
 * flush into a broker that is still there. A command that stops its own work on Ctrl-C should register that stop
 * here too ({@code target.closeFirst(() -> service.stop())}) rather than in a separate shutdown hook: the JVM runs
 * shutdown hooks concurrently, so a separate hook may still be using Kafka while this target's hook stops the broker.
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
    private final Deque<AutoCloseable> closeFirst = new ArrayDeque<>();
    private final Thread shutdownHook;
    private boolean closed;

    private KafkaTarget(String bootstrapServers, Kind kind, EmbeddedKafka broker) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
        this.broker = broker;
        // Ctrl-C skips finally blocks; the hook still closes the registered resources and then stops the broker
        // cleanly, so its next start needs no log recovery.
        this.shutdownHook = new Thread(this::closeAll, "mindstream-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A cluster given by address: used as it is, never stopped here. */
    public static KafkaTarget external(String bootstrapServers) {
        return new KafkaTarget(bootstrapServers, Kind.EXTERNAL, null);
    }

    /** The embedded broker another process runs ({@code ./mindstream kafka}): used, never stopped here. */
    public static KafkaTarget sharedEmbedded(String bootstrapServers) {
        return new KafkaTarget(bootstrapServers, Kind.SHARED_EMBEDDED, null);
    }

    /** A broker this process started: stopped when the target closes, after what registered to close first. */
    public static KafkaTarget inProcess(EmbeddedKafka broker) {
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

    /**
     * Registers a client to close before the in-process broker stops (on {@link #close()} or at JVM shutdown); the
     * last registered is closed first. Returns the resource, for {@code var p = target.closeFirst(new KafkaProducer<>(...))}.
     */
    public synchronized <T extends AutoCloseable> T closeFirst(T resource) {
        if (closed) {
            throw new IllegalStateException("Kafka target " + bootstrapServers + " is already closed");
        }
        closeFirst.push(resource);
        return resource;
    }

    /** One line for logs: which cluster, and how it was chosen. */
    public String describe() {
        return switch (kind) {
            case EXTERNAL -> "Kafka cluster " + bootstrapServers + " (--bootstrap-servers)";
            case SHARED_EMBEDDED -> "embedded Kafka broker already running at " + bootstrapServers
                    + " (./mindstream kafka, or another command's in-process broker)";
            case IN_PROCESS -> "embedded Kafka broker started in this process at " + bootstrapServers + ", data in "
                    + broker.dataDir() + " (stops when this command ends)";
        };
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Closes the registered resources, then stops the in-process broker, if any; idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            log.debug("JVM already shutting down; the hook closes everything");
        }
        closeAll();
    }

    private synchronized void closeAll() {
        if (closed) {
            return;
        }
        closed = true;
        while (!closeFirst.isEmpty()) {
            AutoCloseable r = closeFirst.pop();
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} before stopping Kafka failed: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
        if (broker != null) {
            broker.close();
        }
    }
}
