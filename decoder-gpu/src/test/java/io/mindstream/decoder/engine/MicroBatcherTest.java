package io.mindstream.decoder.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MicroBatcherTest {

    @Test
    void resultsComeBackInOrderAndBatchesNeverExceedTheMaximum() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("t", 4, 1000, in -> {
            try {
                release.await(); // hold the first batch so the rest queue up
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            sizes.add(in.size());
            return in.stream().map(x -> x * 10).toList();
        })) {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 19; i++) {
                fs.add(b.submit(i));
            }
            release.countDown();
            for (int i = 0; i < fs.size(); i++) {
                assertEquals(i * 10, fs.get(i).get(10, TimeUnit.SECONDS));
            }
            assertTrue(sizes.stream().allMatch(s -> s <= 4), sizes.toString());
            assertEquals(19, sizes.stream().mapToInt(Integer::intValue).sum());
            // queued requests are gathered into full batches: 19 requests need at least 5
            assertTrue(sizes.size() <= 6, "too many batches " + sizes);
        }
    }

    @Test
    void aLoneRequestIsNotHeldBeyondTheWait() throws Exception {
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("t", 64, 1000, in -> in)) {
            // with a 1 ms wait a lone request must finish long before the batch could fill
            assertEquals(5, b.submit(5).get(5, TimeUnit.SECONDS));
            assertEquals(1.0, b.meanBatchSize(), 1e-9);
        }
    }

    @Test
    void aFailingBatchFailsOnlyItsOwnRequests() throws Exception {
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>("t", 1, 0, in -> {
            if (in.get(0) < 0) {
                throw new IllegalArgumentException("negative");
            }
            return in;
        })) {
            CompletableFuture<Integer> bad = b.submit(-1);
            CompletableFuture<Integer> good = b.submit(3);
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals(3, good.get(5, TimeUnit.SECONDS));
        }
    }
}
