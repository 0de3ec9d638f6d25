package io.mindstream.display;

import io.mindstream.display.feed.KafkaFeed;
import io.mindstream.runtime.Stage;

/**
 * The display as one running thing: the server and, when a Kafka cluster is given, the feed from it. What
 * {@code ./mindstream display} runs and what the demo and the latency harness embed.
 */
public final class DisplayService implements Stage {

    private final DisplayConfig config;
    private final BankCatalog bank;
    private final String bootstrapServers;
    private final String sessionFilter;
    private final boolean consumeRaw;
    private DisplayServer server;
    private KafkaFeed feed;

    /**
     * @param bank             the bank whose thumbnails the page shows, or null
     * @param bootstrapServers Kafka to consume from, or null for a server fed only through {@link #hub()}
     * @param sessionFilter    only this session's records, or null for all
     * @param consumeRaw       consume the raw topics too (stream health and the MEG plot)
     */
    public DisplayService(DisplayConfig config, BankCatalog bank, String bootstrapServers, String sessionFilter,
                          boolean consumeRaw) {
        this.config = config;
        this.bank = bank;
        this.bootstrapServers = bootstrapServers;
        this.sessionFilter = sessionFilter;
        this.consumeRaw = consumeRaw;
    }

    /** Constructs and starts one (see the constructor). */
    public static DisplayService start(DisplayConfig config, BankCatalog bank, String bootstrapServers,
                                       String sessionFilter, boolean consumeRaw) throws InterruptedException {
        return new DisplayService(config, bank, bootstrapServers, sessionFilter, consumeRaw).start();
    }

    /** Starts the server (bound when this returns), then the feed. */
    @Override
    public synchronized DisplayService start() throws InterruptedException {
        if (server != null) {
            return this;
        }
        server = DisplayServer.start(config, bank);
        if (bootstrapServers != null) {
            try {
                feed = new KafkaFeed(bootstrapServers, server.hub(), sessionFilter, config.snapshotResults(),
                        consumeRaw).start();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        return this;
    }

    @Override
    public Health health() {
        if (server == null) {
            return Health.starting("not started");
        }
        return Health.up("serving " + server.url() + (feed == null ? " (no Kafka feed)" : ""));
    }

    public DisplayServer server() {
        return server;
    }

    public DisplayHub hub() {
        return server.hub();
    }

    public String url() {
        return server.url();
    }

    /** Records the feed could not decode (0 without a feed). */
    public long badRecords() {
        return feed == null ? 0 : feed.badRecords();
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (server != null) {
            server.close();
        }
    }
}
