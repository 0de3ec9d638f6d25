package io.mindstream.display;

import io.mindstream.display.feed.KafkaFeed;

/**
 * The display as one running thing: the server and, when a Kafka cluster is given, the feed from it. What
 * {@code ./mindstream display} runs and what the demo and the latency harness embed.
 */
public final class DisplayService implements AutoCloseable {

    private final DisplayServer server;
    private final KafkaFeed feed;

    private DisplayService(DisplayServer server, KafkaFeed feed) {
        this.server = server;
        this.feed = feed;
    }

    /**
     * Starts the server, then the feed.
     *
     * @param bootstrapServers Kafka to consume from, or null for a server fed only through {@link #hub()}
     * @param sessionFilter    only this session's records, or null for all
     * @param consumeRaw       consume the raw topics too (stream health and the MEG plot)
     */
    public static DisplayService start(DisplayConfig config, BankCatalog bank, String bootstrapServers,
                                       String sessionFilter, boolean consumeRaw) throws InterruptedException {
        DisplayServer server = DisplayServer.start(config, bank);
        if (bootstrapServers == null) {
            return new DisplayService(server, null);
        }
        try {
            KafkaFeed feed = new KafkaFeed(bootstrapServers, server.hub(), sessionFilter, config.snapshotResults(),
                    consumeRaw).start();
            return new DisplayService(server, feed);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
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
    public void close() {
        if (feed != null) {
            feed.close();
        }
        server.close();
    }
}
