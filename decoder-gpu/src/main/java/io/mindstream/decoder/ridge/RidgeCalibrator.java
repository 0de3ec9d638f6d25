package io.mindstream.decoder.ridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fits a {@link RidgeModel} from labelled epochs: each epoch's image id names its target row in the embedding bank.
 * Collects the epochs, extracts features, optionally normalises targets to unit length (retrieval is by cosine, so
 * only the direction of an embedding matters), and runs {@link RidgeFit}.
 */
public final class RidgeCalibrator {

    private final int channels;
    private final int times;
    private final int timeBin;
    private final int outDim;
    private final boolean normaliseTargets;
    private final int features;
    private final List<float[]> x = new ArrayList<>();
    private final List<float[]> y = new ArrayList<>();
    private String preprocessingId;

    public RidgeCalibrator(int channels, int times, int timeBin, int outDim, boolean normaliseTargets) {
        if (timeBin < 1 || timeBin > times) {
            throw new IllegalArgumentException("time bin must be 1 … " + times + ", was " + timeBin);
        }
        this.channels = channels;
        this.times = times;
        this.timeBin = timeBin;
        this.outDim = outDim;
        this.normaliseTargets = normaliseTargets;
        this.features = RidgeModel.featureCount(channels, times, timeBin);
    }

    /**
     * Adds one labelled epoch.
     *
     * @param epoch           channel-major, channels × times
     * @param target          the bank vector of the image shown
     * @param preprocessingId the epoch's preprocessing id; all epochs must share one
     */
    public void add(float[] epoch, float[] target, String preprocessingId) {
        if (epoch.length != channels * times) {
            throw new IllegalArgumentException("epoch holds " + epoch.length + " values, calibration expects "
                    + channels + " × " + times);
        }
        if (target.length != outDim) {
            throw new IllegalArgumentException("target has " + target.length + " dimensions, expected " + outDim);
        }
        if (this.preprocessingId == null) {
            this.preprocessingId = preprocessingId;
        } else if (!this.preprocessingId.equals(preprocessingId)) {
            throw new IllegalArgumentException("calibration epochs mix preprocessing " + this.preprocessingId + " and "
                    + preprocessingId + ": refit the preprocessing statistics first, then recut the block");
        }
        float[] f = new float[features];
        RidgeModel.extract(epoch, channels, times, timeBin, f);
        float[] t = target.clone();
        if (normaliseTargets) {
            double ss = 0;
            for (float v : t) {
                ss += v * v;
            }
            float inv = ss > 0 ? (float) (1 / Math.sqrt(ss)) : 0;
            for (int i = 0; i < t.length; i++) {
                t[i] *= inv;
            }
        }
        x.add(f);
        y.add(t);
    }

    public int size() {
        return x.size();
    }

    /** Fits and returns the model (its id is assigned when it is saved and loaded; here "unsaved"). */
    public RidgeModel fit(double[] relativeAlphas, String bankModel, Consumer<String> progress) {
        int n = x.size();
        float[] xs = new float[Math.multiplyExact(n, features)];
        float[] ys = new float[n * outDim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x.get(i), 0, xs, i * features, features);
            System.arraycopy(y.get(i), 0, ys, i * outDim, outDim);
        }
        RidgeFit.Result r = RidgeFit.fit(xs, ys, n, features, outDim, relativeAlphas, progress);
        ObjectNode h = new ObjectMapper().createObjectNode();
        h.put("format", RidgeModel.FORMAT);
        h.put("version", RidgeModel.VERSION);
        h.put("channels", channels);
        h.put("times", times);
        h.put("timeBin", timeBin);
        h.put("features", features);
        h.put("outDim", outDim);
        h.put("alpha", r.alpha());
        h.putPOJO("alphas", r.alphas());
        h.putPOJO("cvScores", r.scores());
        h.put("cv", "leave-one-out, mean Pearson correlation of prediction and target");
        h.put("cvEpochs", r.looEpochs()); // fewer than trainEpochs: alpha was chosen on a random subset (RidgeFit)
        h.put("form", r.dual() ? "dual" : "primal");
        h.put("normalisedTargets", normaliseTargets);
        h.put("preprocessingId", preprocessingId == null ? "" : preprocessingId);
        h.put("bankModel", bankModel == null ? "" : bankModel);
        h.put("trainEpochs", n);
        h.put("createdAt", Instant.now().toString());
        return r.factored()
                ? RidgeModel.factored("unsaved", h, r.xMean(), r.yMean(), r.basis(), r.coef())
                : new RidgeModel("unsaved", h, r.xMean(), r.yMean(), r.weights());
    }
}
