package io.mindstream.decoder;

import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.decoder.model.ModelSignature;
import io.mindstream.decoder.output.KafkaResultSink;
import io.mindstream.decoder.output.ResultSink;
import io.mindstream.runtime.InstanceIds;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.mindstream.runtime.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live decoder as one running thing: the bank and its index, the model on its engine, the micro-batching
 * {@link EpochDecoder}, the result sinks (results topic, LSL outlet) and the consuming {@link DecodeLoop} on a thread
 * of its own. What {@code ./mindstream decode} runs and what the demo embeds.
 */
public final class DecoderService implements Stage, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(DecoderService.class);

    private final DecoderConfig config;
    private final String bootstrapServers;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<ResultSink> sinks = new ArrayList<>();
    private LoadedDecoder loaded;
    private KafkaResultSink kafkaSink;
    private EmbeddingBank bank;
    private EmbeddingModel model;
    private RecordDecoder decoder;
    private RetrievalTracker tracker;
    private DecodeLoop loop;
    private Thread thread;
    private volatile Throwable failure;
    private boolean closed;

    public DecoderService(DecoderConfig config, String bootstrapServers) {
        this.config = Objects.requireNonNull(config, "config");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    }

    /**
     * Reads the bank, loads the model and starts consuming.
     *
     * @throws IllegalArgumentException naming the bank, the candidates, or the mismatch between bank and model
     * @throws InvalidModelException                                      for a model file that is not one
     * @throws EngineUnavailableException                                 for a device or accelerator not there
     */
    @Override
    public synchronized DecoderService start() throws InvalidModelException, EngineUnavailableException {
        if (thread != null) {
            return this;
        }
        loaded = LoadedDecoder.load(config);
        bank = loaded.bank();
        model = loaded.model();
        decoder = loaded.decoder();
        tracker = loaded.tracker();
        try {
            kafkaSink = new KafkaResultSink(bootstrapServers);
            sinks.add(kafkaSink);
            if (loaded.outlet() != null) {
                sinks.add(loaded.outlet());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        String session = config.session();
        loop = new DecodeLoop(bootstrapServers, config.topics(), config.groupId(),
                InstanceIds.of(config.groupId(), config.instanceId()), config.fromBeginning(),
                e -> (session == null || session.equals(e.session())) && config.decodes(e.streamKind())
                        && !decodedByTheProcessor(e), decoder, sinks);
        log.info("decoding {} epochs with {} ({} × {} → {}) among {} of the {} bank images, top-{}",
                config.streamKinds().isEmpty() ? "all" : config.streamKinds(), model.signature().modelId(),
                model.signature().channels(), model.signature().times(), model.signature().outDim(),
                decoder.candidateCount(), bank.count(), config.topK());
        if (loaded.windowModel() != null) {
            ModelSignature w = loaded.windowModel().signature();
            log.info("sliding windows decoded with {} ({} × {} → {})", w.modelId(), w.channels(), w.times(), w.outDim());
        }
        thread = new Thread(() -> {
            try {
                loop.run(stop, config.maxEpochs(), config.idleExit().toMillis());
            } catch (RuntimeException | Error e) {
                failure = e;
                log.error("decoder stopped: {}", e.toString(), e);
            }
        }, "decoder-loop");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * True for an epoch the processor's fast path already decoded ({@code process --decode}): it carries the
     * {@link io.mindstream.contracts.Stage#DECODED} stamp, which only a decoder sets, and its result is on the results
     * topic already. A standalone decoder on the same topic skips it (counted as skipped), so a session decoded by
     * the fast path is never decoded twice; epochs the fast path did not take (other stream kinds, or rejected) carry
     * no stamp and are decoded here as before.
     */
    static boolean decodedByTheProcessor(io.mindstream.contracts.Epoch e) {
        return e.trace().has(io.mindstream.contracts.Stage.DECODED);
    }

    @Override
    public Health health() {
        if (failure != null) {
            return Health.down("failed: " + failure);
        }
        if (thread == null) {
            return Health.starting("not started");
        }
        DecodeLoop.Stats s = loop.stats();
        String line = s.decoded.sum() + " decoded, " + s.rejected.sum() + " rejected";
        return thread.isAlive() ? Health.up(line) : Health.down("stopped: " + line);
    }

    /** Waits up to {@code timeout} for the loop to end by itself (--max-epochs, idle exit, failure); true if it did. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        if (thread == null) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** Why the loop stopped by itself, or null. */
    public Throwable failure() {
        return failure;
    }

    /** What the decoder consumed, decoded, rejected and skipped, as Prometheus counters. Call after {@link #start()}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        DecodeLoop.Stats st = stats();
        Map<String, java.util.concurrent.atomic.LongAdder> counters = new java.util.LinkedHashMap<>();
        counters.put("consumed", st.consumed);
        counters.put("decoded", st.decoded);
        counters.put("rejected", st.rejected);
        counters.put("undecodable.records", st.undecodableRecords);
        counters.put("skipped", st.skipped);
        counters.put("already.delivered", st.alreadyDelivered);
        counters.forEach((name, n) -> FunctionCounter.builder("mindstream.decoder.epochs." + name, n,
                java.util.concurrent.atomic.LongAdder::sum).description("decoder: epochs " + name.replace('.', ' '))
                .register(registry));
    }

    public DecodeLoop.Stats stats() {
        return loop.stats();
    }

    public RetrievalTracker tracker() {
        return tracker;
    }

    public EmbeddingModel model() {
        return model;
    }

    public int candidateCount() {
        return decoder.candidateCount();
    }

    public EmbeddingBank bank() {
        return bank;
    }

    /** Stops consuming, flushes the results written so far (the broker must still be up), releases the model. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop.set(true);
        if (thread != null) {
            try {
                thread.join(15_000);
                if (thread.isAlive()) {
                    log.warn("the decoder loop did not stop within 15 s; closing anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kafkaSink != null) {
            try {
                kafkaSink.close();
            } catch (RuntimeException e) {
                log.warn("closing the results producer failed: {}", e.toString());
            }
        }
        sinks.clear();
        if (loaded != null) {
            loaded.close(); // the LSL outlet, the batcher, the model
        }
    }
}
