package io.mindstream.processor;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamThreadFailuresTest {

    @Test
    void aFewFailuresReplaceTheThreadAndManyInAWindowStopTheProcessor() {
        AtomicLong now = new AtomicLong();
        AtomicLong replaced = new AtomicLong();
        StreamThreadFailures policy = new StreamThreadFailures(3, Duration.ofMinutes(10), now::get,
                replaced::addAndGet);
        RuntimeException e = new RuntimeException("send timed out");
        for (int i = 0; i < 3; i++) {
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, policy.handle(e), "failure " + (i + 1));
        }
        assertEquals(3, replaced.get());
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, policy.handle(e), "the 4th within 10 min");
        assertEquals(3, replaced.get());
        // once the earlier failures are older than the window, a failure is transient again
        now.addAndGet(Duration.ofMinutes(9).toNanos() + 1);
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, policy.handle(e));
        assertEquals(4, replaced.get());
    }
}
