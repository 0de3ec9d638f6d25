package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.decoder.model.ModelSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The decoder of the processor's fast path ({@code process --decode}): decodes one epoch at a time on the caller's
 * thread (the Kafka Streams task that cut it), with no micro-batch wait, and pushes the result on the closed-loop LSL
 * outlet before it returns, so the stimulus software hears of it before anything is written to Kafka. The caller
 * writes the returned result to the results topic in the same task as the epoch.
 *
 * <p>Delivery on the LSL outlet is at least once: the outlet is pushed when the epoch is decoded, before the task
 * commits, so an epoch the processor cuts again after a crash (its done mark not yet committed) is pushed again, with
 * the same deterministic epoch id; a client drops a repeated id. Nothing decoded is pushed late: the push does not
 * wait for the commit.
 *
 * <p>Takes only what its configuration decodes ({@link DecoderConfig#session()}, {@link DecoderConfig#streamKinds()});
 * the topics and consumer settings of the configuration are not used (no consumer: the epochs come from the task).
 */
public final class DirectDecoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectDecoder.class);

    private final DecoderConfig config;
    private final LoadedDecoder loaded;
    private final LongAdder outletFailures = new LongAdder();

    private DirectDecoder(DecoderConfig config, LoadedDecoder loaded) {
        this.config = config;
        this.loaded = loaded;
    }

    /**
     * Reads the bank, loads the model and opens the LSL outlet ({@link DecoderConfig#lsl()}, if any).
     *
     * @throws IllegalArgumentException   naming the bank, the candidates, or the mismatch between bank and model
     * @throws InvalidModelException      for a model file that is not one
     * @throws EngineUnavailableException for a device or accelerator not there
     */
    public static DirectDecoder open(DecoderConfig config) throws InvalidModelException, EngineUnavailableException {
        Objects.requireNonNull(config, "config");
        LoadedDecoder loaded = LoadedDecoder.load(config);
        ModelSignature sig = loaded.model().signature();
        log.info("fast path: {} epochs decoded in the processor with {} ({} × {} → {}) among {} of the {} bank "
                        + "images, top-{}{}", config.streamKinds().isEmpty() ? "all" : config.streamKinds(), sig.modelId(),
                sig.channels(), sig.times(), sig.outDim(), loaded.decoder().candidateCount(), loaded.bank().count(),
                config.topK(), config.lsl() == null ? ", no LSL outlet" : ", LSL outlet '" + config.lsl().name() + "'");
        if (loaded.windowModel() != null) {
            ModelSignature w = loaded.windowModel().signature();
            log.info("fast path: sliding windows decoded with {} ({} × {} → {})", w.modelId(), w.channels(), w.times(),
                    w.outDim());
        }
        return new DirectDecoder(config, loaded);
    }

    /** True when this decoder takes {@code e}: its session (or every session) and one of its stream kinds. */
    public boolean takes(Epoch e) {
        return (config.session() == null || config.session().equals(e.session())) && config.decodes(e.streamKind());
    }

    /**
     * Decodes {@code e} now and pushes the result on the LSL outlet.
     *
     * @throws EpochRejectedException naming the epoch and the problem (shape, NaN): nothing is pushed
     */
    public DecodeResult decode(Epoch e) {
        DecodeResult r = loaded.decoder().decodeNow(e);
        if (loaded.outlet() != null) {
            try {
                loaded.outlet().accept(r);
            } catch (RuntimeException ex) {
                // the result still goes to Kafka: a failing outlet must not lose it there
                outletFailures.increment();
                log.error("LSL outlet failed on {}: {}", e.epochId(), ex.toString());
            }
        }
        return r;
    }

    public ModelSignature signature() {
        return loaded.model().signature();
    }

    /** The window model's signature, or null when windows go to the epoch model. */
    public ModelSignature windowSignature() {
        return loaded.windowModel() == null ? null : loaded.windowModel().signature();
    }

    public RetrievalTracker tracker() {
        return loaded.tracker();
    }

    public int candidateCount() {
        return loaded.decoder().candidateCount();
    }

    /** Results the LSL outlet could not take (they went to Kafka all the same). */
    public long outletFailures() {
        return outletFailures.sum();
    }

    public DecoderConfig config() {
        return config;
    }

    @Override
    public void close() {
        loaded.close();
    }
}
