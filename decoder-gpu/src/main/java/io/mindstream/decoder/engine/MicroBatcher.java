package io.mindstream.decoder.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Collects single requests into batches for one model call. A batch opens with its first request and closes when it
 * holds {@code maxBatch} requests or {@code maxWaitMicros} after it opened, whichever comes first; with nothing
 * waiting, a lone request goes out at once after the wait. Results come back through each request's future, in
 * request order (one worker thread runs the batches one after the other).
 *
 * <p>A failing batch fails the futures of that batch only; the worker goes on with the next.
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

    private record Request<I, O>(I input, CompletableFuture<O> result) {
    }

    private final Function<List<I>, List<O>> batchFunction;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Request<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;
    private long batches;
    private long requests;

    /**
     * @param name          worker thread name
     * @param batchFunction maps a batch of inputs to the same number of outputs, in order
     */
    public MicroBatcher(String name, int maxBatch, long maxWaitMicros, Function<List<I>, List<O>> batchFunction) {
        if (maxBatch < 1 || maxWaitMicros < 0) {
            throw new IllegalArgumentException("maxBatch >= 1 and maxWaitMicros >= 0 needed");
        }
        this.batchFunction = Objects.requireNonNull(batchFunction, "batchFunction");
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(maxWaitMicros);
        this.worker = new Thread(this::runLoop, name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues one input; the future completes with its output (or the batch's failure). */
    public CompletableFuture<O> submit(I input) {
        CompletableFuture<O> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("micro-batcher closed"));
            return f;
        }
        queue.add(new Request<>(input, f));
        return f;
    }

    /** Batches run so far (for logs and benchmarks). */
    public synchronized long batches() {
        return batches;
    }

    /** Mean batch size so far. */
    public synchronized double meanBatchSize() {
        return batches == 0 ? 0 : (double) requests / batches;
    }

    private void runLoop() {
        List<Request<I, O>> batch = new ArrayList<>(maxBatch);
        List<I> inputs = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Request<I, O> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Request<I, O> next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch, inputs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
                inputs.clear();
            }
        }
        Request<I, O> r;
        while ((r = queue.poll()) != null) {
            r.result().completeExceptionally(new IllegalStateException("micro-batcher closed"));
        }
    }

    private void run(List<Request<I, O>> batch, List<I> inputs) {
        for (Request<I, O> r : batch) {
            inputs.add(r.input());
        }
        try {
            List<O> outputs = batchFunction.apply(inputs);
            if (outputs.size() != batch.size()) {
                throw new IllegalStateException("batch function returned " + outputs.size() + " results for "
                        + batch.size() + " inputs");
            }
            synchronized (this) {
                batches++;
                requests += batch.size();
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
            }
        } catch (RuntimeException e) {
            log.debug("batch of {} failed", batch.size(), e);
            for (Request<I, O> r : batch) {
                r.result().completeExceptionally(e);
            }
        }
    }

    /** Finishes what is queued, then stops the worker. */
    @Override
    public void close() {
        closed = true;
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
