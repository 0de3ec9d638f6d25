package io.mindstream.decoder;

import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.output.LslResultOutlet;
import io.mindstream.decoder.retrieval.CosineIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * What a {@link DecoderConfig} loads before any epoch is decoded: the bank and its index, the candidates, the model on
 * its engine (and the window model, when the configuration names one: then a {@link ModelRouter} gives each record
 * to the model of its kind), the decoder, the retrieval metrics and, when configured, the closed-loop LSL outlet. The
 * standalone decoder ({@link DecoderService}) and the processor's fast path ({@link DirectDecoder}) both start from
 * this, so the two decode an epoch with the same model, candidates and retrieval.
 */
public final class LoadedDecoder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadedDecoder.class);

    private final EmbeddingBank bank;
    private final EmbeddingModel model;
    private final EmbeddingModel windowModel;
    private final RecordDecoder decoder;
    private final RetrievalTracker tracker;
    private final LslResultOutlet outlet;

    private LoadedDecoder(EmbeddingBank bank, EmbeddingModel model, EmbeddingModel windowModel, RecordDecoder decoder,
                          RetrievalTracker tracker, LslResultOutlet outlet) {
        this.bank = bank;
        this.model = model;
        this.windowModel = windowModel;
        this.decoder = decoder;
        this.tracker = tracker;
        this.outlet = outlet;
    }

    /**
     * Reads the bank, loads the model and opens the LSL outlet (if {@link DecoderConfig#lsl()} is set).
     *
     * @throws IllegalArgumentException naming the bank, the candidates, or the mismatch between bank and model
     * @throws InvalidModelException    for a model file that is not one
     * @throws EngineUnavailableException for a device or accelerator not there
     */
    public static LoadedDecoder load(DecoderConfig config) throws InvalidModelException, EngineUnavailableException {
        EmbeddingBank bank;
        try {
            bank = EmbeddingBank.read(config.bank());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("bank " + config.bank() + ": not a readable embedding bank ("
                    + e.getMessage() + ")", e);
        }
        CosineIndex index = new CosineIndex(bank.ids(), bank.vectors(), bank.dim());
        int[] candidates;
        try {
            List<String> ids = bank.candidateIds(config.candidates());
            candidates = ids == null ? null : index.rows(ids);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("candidates " + config.candidates() + ": " + e.getMessage(), e);
        }
        RetrievalTracker tracker = new RetrievalTracker(config.rollingWindow());
        EmbeddingModel model = Models.load(config.model(), config.engine());
        EmbeddingModel windowModel = null;
        EpochDecoder decoder = null;
        EpochDecoder windowDecoder = null;
        try {
            if (config.windowModel() != null) {
                windowModel = Models.load(config.windowModel(), config.engine());
                if (windowModel.signature().outDim() != model.signature().outDim()) {
                    throw new IllegalArgumentException("window model " + windowModel.signature().modelId()
                            + " outputs " + windowModel.signature().outDim() + " dimensions but model "
                            + model.signature().modelId() + " outputs " + model.signature().outDim()
                            + ": both must embed into the bank's space");
                }
            }
            decoder = new EpochDecoder(model, index, candidates, config.topK(), tracker, config.engine().maxBatch(),
                    config.engine().maxWaitMicros());
            if (windowModel != null) {
                windowDecoder = new EpochDecoder(windowModel, index, candidates, config.topK(), tracker,
                        config.engine().maxBatch(), config.engine().maxWaitMicros());
            }
            RecordDecoder routed = windowDecoder == null ? decoder : new ModelRouter(decoder, windowDecoder);
            LslResultOutlet outlet = config.lsl() == null ? null : new LslResultOutlet(config.lsl().name(),
                    config.lsl().name() + "-" + model.signature().modelId(), config.lsl().format(),
                    model.signature().outDim(), model.signature().modelId(),
                    windowModel == null ? null : windowModel.signature().modelId());
            return new LoadedDecoder(bank, model, windowModel, routed, tracker, outlet);
        } catch (InvalidModelException | EngineUnavailableException | RuntimeException e) {
            if (windowDecoder != null) {
                windowDecoder.close();
            }
            if (decoder != null) {
                decoder.close();
            }
            if (windowModel != null) {
                windowModel.close();
            }
            model.close();
            throw e;
        }
    }

    public EmbeddingBank bank() {
        return bank;
    }

    public EmbeddingModel model() {
        return model;
    }

    /** The window model, or null when windows go to {@link #model()}. */
    public EmbeddingModel windowModel() {
        return windowModel;
    }

    /** The decoder: one model, or both behind a {@link ModelRouter}. */
    public RecordDecoder decoder() {
        return decoder;
    }

    public RetrievalTracker tracker() {
        return tracker;
    }

    /** The closed-loop outlet, or null when the configuration has none. */
    public LslResultOutlet outlet() {
        return outlet;
    }

    /** Closes the outlet, the batcher and the model. */
    @Override
    public void close() {
        if (outlet != null) {
            try {
                outlet.close();
            } catch (RuntimeException e) {
                log.warn("closing the LSL outlet failed: {}", e.toString());
            }
        }
        decoder.close();
        if (windowModel != null) {
            windowModel.close();
        }
        model.close();
    }
}
