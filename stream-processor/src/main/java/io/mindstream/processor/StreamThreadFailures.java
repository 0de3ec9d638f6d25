package io.mindstream.processor;

import io.mindstream.runtime.kafka.KafkaClients;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import java.util.function.LongConsumer;

/**
 * What the processor does when a stream thread dies of an exception: Kafka Streams' default stops the whole client
 * for good, so one transient failure (a broker answering too late under load, a send that timed out) would leave a
 * lab's session unprocessed until someone restarts the stage. Instead the thread is replaced — it resumes from the
 * last commit, and what it processes twice carries the same deterministic epoch ids — unless threads keep dying:
 * after {@code maxReplacements} within {@code window} the failure is not transient, and the client shuts down
 * (the service's health then says so) rather than loop on it.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final int maxReplacements;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final LongConsumer replaced;
    private final ArrayDeque<Long> recent = new ArrayDeque<>();

    /**
     * @param replaced told of each replacement (the processor's {@code streamThreadsReplaced} counter)
     */
    StreamThreadFailures(int maxReplacements, Duration window, LongSupplier nanoClock, LongConsumer replaced) {
        this.maxReplacements = maxReplacements;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
        this.replaced = replaced;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        long now = nanoClock.getAsLong();
        while (!recent.isEmpty() && now - recent.peekFirst() > windowNanos) {
            recent.pollFirst();
        }
        if (recent.size() >= maxReplacements) {
            LOG.error("stream thread failed ({}), the {}th time within {} s: stopping the processor",
                    KafkaClients.rootMessage(e), recent.size() + 1, windowNanos / 1_000_000_000L, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        replaced.accept(1);
        LOG.error("stream thread failed ({}): replacing it; it resumes from the last commit", KafkaClients.rootMessage(e),
                e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
