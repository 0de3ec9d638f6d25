package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.decoder.engine.MicroBatcher;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.ModelSignature;
import io.mindstream.decoder.retrieval.CosineIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Epoch → {@link DecodeResult}: checks the epoch against the model, runs the model through a {@link MicroBatcher},
 * retrieves the top-k bank images by cosine similarity among the candidates, and, when the epoch's trigger names an
 * image among the candidates, records the true image's rank in a {@link RetrievalTracker} (per session).
 *
 * <p>A bad epoch (wrong channels or times, NaN or infinite values) fails only its own future with an
 * {@link EpochRejectedException} naming the epoch and the problem; other epochs and sessions go on.
 */
public final class EpochDecoder implements RecordDecoder {

    private static final Logger log = LoggerFactory.getLogger(EpochDecoder.class);

    private final EmbeddingModel model;
    private final ModelSignature signature;
    private final CosineIndex index;
    private final int[] candidates;
    private final Set<String> candidateIds;
    private final int topK;
    private final RetrievalTracker tracker;
    private final MicroBatcher<float[], float[]> batcher;
    private final Set<String> warnedPreprocessing = ConcurrentHashMap.newKeySet();
    private final Object modelLock = new Object();

    /**
     * @param candidates bank rows to retrieve among (e.g. the 200 test images), or null for the whole bank
     * @throws IllegalArgumentException when the bank's dimension differs from the model's output
     */
    public EpochDecoder(EmbeddingModel model, CosineIndex index, int[] candidates, int topK, RetrievalTracker tracker,
                        int maxBatch, long maxWaitMicros) {
        this.model = Objects.requireNonNull(model, "model");
        this.signature = model.signature();
        this.index = Objects.requireNonNull(index, "index");
        if (index.dim() != signature.outDim()) {
            throw new IllegalArgumentException("the bank holds " + index.dim() + "-dimensional embeddings but model "
                    + signature.modelId() + " outputs " + signature.outDim() + ": use a bank built with the model's "
                    + "target encoder");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, was " + topK);
        }
        this.candidates = candidates == null ? index.allRows() : candidates.clone();
        if (this.candidates.length == 0) {
            throw new IllegalArgumentException("no candidate images to retrieve among");
        }
        this.candidateIds = ConcurrentHashMap.newKeySet();
        for (int r : this.candidates) {
            candidateIds.add(index.id(r));
        }
        this.topK = topK;
        this.tracker = tracker;
        // the model need not be thread-safe: the batcher's worker and decodeNow's callers take turns on it
        this.batcher = new MicroBatcher<>("decoder-batcher", maxBatch, maxWaitMicros, batch -> {
            synchronized (modelLock) {
                return List.of(model.embed(batch));
            }
        });
    }

    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int candidateCount() {
        return candidates.length;
    }

    /**
     * True when the model takes the epoch by its time mean: an fMRI model fitted on stimulus epochs (voxels × 1, the
     * mean of the volumes in the haemodynamic window) given an fMRI TR window (voxels × N, the last N volumes). The
     * mean of those N volumes is the same kind of input, for the volumes just acquired, so every TR gets a result.
     */
    boolean takesTimeMean(Epoch e) {
        return e.streamKind() == StreamKind.FMRI && signature.times() == 1 && e.times() > 1
                && e.channels() == signature.channels();
    }

    /** Checks the epoch; null when it can be decoded, else the problem. */
    public String problemWith(Epoch e) {
        if ((e.channels() != signature.channels() || e.times() != signature.times()) && !takesTimeMean(e)) {
            return "epoch " + e.epochId() + " of session " + e.session() + " is " + e.channels() + " × " + e.times()
                    + " but model " + signature.modelId() + " takes " + signature.channels() + " × " + signature.times();
        }
        float[] d = e.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                return "epoch " + e.epochId() + " of session " + e.session() + " has a non-finite value (" + d[i]
                        + ") at channel " + i / e.times() + ", sample " + i % e.times();
            }
        }
        return null;
    }

    /** Decodes one epoch; the future fails with {@link EpochRejectedException} for a bad epoch. */
    @Override
    public CompletableFuture<DecodeResult> decode(Epoch e) {
        String problem = problemWith(e);
        if (problem != null) {
            return CompletableFuture.failedFuture(new EpochRejectedException(problem));
        }
        return batcher.submit(modelInput(e)).thenApply(embedding -> toResult(e, embedding));
    }

    /**
     * Decodes one epoch now, on the caller's thread, without the micro-batcher: what the processor's fast path calls
     * for each epoch it cuts, so a lone epoch never waits for a batch to fill. The same checks, model input and
     * retrieval as {@link #decode}, so both give the same result for the same epoch.
     *
     * @throws EpochRejectedException naming the epoch and the problem, for an epoch the model cannot take
     */
    @Override
    public DecodeResult decodeNow(Epoch e) {
        String problem = problemWith(e);
        if (problem != null) {
            throw new EpochRejectedException(problem);
        }
        float[] input = modelInput(e);
        float[] embedding;
        synchronized (modelLock) {
            embedding = model.embed(List.of(input))[0];
        }
        return toResult(e, embedding);
    }

    /** What the model is given for {@code e} (warning once per session when its preprocessing is not the model's). */
    private float[] modelInput(Epoch e) {
        if (!signature.preprocessingId().isEmpty() && !signature.preprocessingId().equals(e.preprocessingId())
                && warnedPreprocessing.add(e.session())) {
            log.warn("session {}: epochs were preprocessed with '{}' but model {} was fitted on '{}'; results may be "
                    + "off until the model is recalibrated", e.session(), e.preprocessingId(), signature.modelId(),
                    signature.preprocessingId());
        }
        return takesTimeMean(e) ? timeMean(e) : e.data();
    }

    /** The mean over the time axis: channels × times → channels × 1. */
    static float[] timeMean(Epoch e) {
        int c = e.channels();
        int t = e.times();
        float[] d = e.data();
        float[] mean = new float[c];
        for (int i = 0; i < c; i++) {
            double s = 0;
            for (int k = 0; k < t; k++) {
                s += d[i * t + k];
            }
            mean[i] = (float) (s / t);
        }
        return mean;
    }

    private DecodeResult toResult(Epoch e, float[] embedding) {
        float[] q = index.normalisedQuery(embedding);
        int k = Math.min(topK, candidates.length);
        int[] rows = new int[k];
        float[] scores = new float[k];
        int n = index.topK(q, k, candidates, rows, scores);
        List<Match> matches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            matches.add(new Match(index.id(rows[i]), scores[i]));
        }
        String truth = e.trigger().imageId();
        if (tracker != null && truth != null && candidateIds.contains(truth)) {
            tracker.record(e.session(), index.rank(q, index.row(truth), candidates), candidates.length);
        }
        return new DecodeResult(e.session(), e.epochId(), e.trigger(), embedding, matches, signature.modelId(),
                e.qualityFlags(), e.trace().withNow(Stage.DECODED));
    }

    @Override
    public void close() {
        batcher.close();
    }
}
