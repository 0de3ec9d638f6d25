package io.mindstream.decoder.ridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.decoder.model.ModelFiles;
import io.mindstream.decoder.model.ModelSignature;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted ridge decoder: epoch → time-binned features → centred → {@code W} → embedding. Pure Java, no engine.
 *
 * <p>The weights are held in one of two forms ({@link RidgeFit.Result}): dense {@code W} (features × outDim), or the
 * exact factorisation {@code W = Bᵀ A} of the dual form, {@code B} the centred training features (rank × features)
 * and {@code A} the dual coefficients (rank × outDim), applied as two products — {@code k = B (x − x̄)}, then
 * {@code y = ȳ + Aᵀ k} — which for a large voxel count streams a fraction of the dense matrix from memory.
 *
 * <p>File format (extension {@code .ridge}): the 8 ASCII bytes {@code MSRIDGE1}, a little-endian int32
 * header length, a UTF-8 JSON header ({@code format "mindstream-ridge"}, {@code version}, {@code channels},
 * {@code times}, {@code timeBin}, {@code features}, {@code outDim}, {@code alpha}, {@code alphas}, {@code cvScores},
 * {@code cvEpochs}, {@code form}, {@code preprocessingId} — the frozen preprocessing statistics the calibration epochs were made with
 * —, {@code bankModel}, {@code trainEpochs}, {@code createdAt}, …), then float32 little-endian {@code xMean[features]},
 * {@code yMean[outDim]} and, in version 1, {@code weights[features × outDim]} row-major; in version 2 (header
 * {@code "weights": "factored"} and {@code rank}), {@code basis[rank × features]} then {@code coef[rank × outDim]},
 * row-major. Dense models are still written as version 1.
 */
public final class RidgeModel implements EmbeddingModel {

    public static final String FORMAT = "mindstream-ridge";
    /** The newest version this build reads and writes (2: factored weights; dense models are written as 1). */
    public static final int VERSION = 2;
    private static final String FACTORED = "factored";
    private static final byte[] MAGIC = "MSRIDGE1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelSignature signature;
    private final int timeBin;
    private final int binnedTimes;
    private final float[] xMean;
    private final float[] yMean;
    private final float[] weights;
    private final float[] basis;
    private final float[] coef;
    private final int rank;
    private final ObjectNode header;
    private final float[] features;
    private final float[] scores;

    /**
     * @param header the JSON header (must hold channels, times, timeBin, outDim, preprocessingId)
     */
    public RidgeModel(String modelId, ObjectNode header, float[] xMean, float[] yMean, float[] weights) {
        this(modelId, header, xMean, yMean, weights, null, null);
    }

    /**
     * The factored form {@code W = basisᵀ coef} ({@link RidgeFit.Result}); {@code header} is marked
     * {@code "weights": "factored"} with its {@code rank}.
     */
    public static RidgeModel factored(String modelId, ObjectNode header, float[] xMean, float[] yMean, float[] basis,
                                      float[] coef) {
        return new RidgeModel(modelId, header, xMean, yMean, null, basis, coef);
    }

    private RidgeModel(String modelId, ObjectNode header, float[] xMean, float[] yMean, float[] weights,
                       float[] basis, float[] coef) {
        this.header = header.deepCopy();
        int channels = header.path("channels").asInt();
        int times = header.path("times").asInt();
        this.timeBin = Math.max(1, header.path("timeBin").asInt(1));
        this.binnedTimes = (times + timeBin - 1) / timeBin;
        int outDim = header.path("outDim").asInt();
        Map<String, String> meta = new HashMap<>();
        header.fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().toString()));
        this.signature = new ModelSignature(modelId, channels, times, outDim, header.path("preprocessingId").asText(""),
                meta);
        int p = featureCount(channels, times, timeBin);
        if (xMean.length != p || yMean.length != outDim) {
            throw new IllegalArgumentException("ridge arrays do not match " + p + " features × " + outDim + " outputs");
        }
        if (weights != null) {
            if ((long) p * outDim != weights.length) {
                throw new IllegalArgumentException("ridge weights hold " + weights.length + " values, not " + p
                        + " features × " + outDim + " outputs");
            }
            this.rank = 0;
            this.header.remove("rank");
            this.header.put("version", 1); // what a build without the factored form reads
            this.header.put("weights", "dense");
        } else {
            if (basis == null || coef == null || coef.length % outDim != 0 || coef.length == 0
                    || (long) (coef.length / outDim) * p != basis.length) {
                throw new IllegalArgumentException("factored ridge: basis and coefficients do not match " + p
                        + " features × " + outDim + " outputs");
            }
            this.rank = coef.length / outDim;
            this.header.put("version", 2);
            this.header.put("weights", FACTORED);
            this.header.put("rank", rank);
        }
        this.xMean = xMean;
        this.yMean = yMean;
        this.weights = weights;
        this.basis = basis;
        this.coef = coef;
        this.features = new float[p];
        this.scores = new float[rank];
    }

    /** Whether the weights are held as the dual form's factors (class comment). */
    public boolean isFactored() {
        return weights == null;
    }

    public static int featureCount(int channels, int times, int timeBin) {
        return channels * ((times + timeBin - 1) / timeBin);
    }

    /** Channel-major epoch → channel-major features, each the mean of {@code timeBin} consecutive samples. */
    public static void extract(float[] epoch, int channels, int times, int timeBin, float[] dst) {
        int bins = (times + timeBin - 1) / timeBin;
        if (timeBin == 1) {
            System.arraycopy(epoch, 0, dst, 0, channels * times);
            return;
        }
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < bins; b++) {
                int from = b * timeBin;
                int to = Math.min(times, from + timeBin);
                float s = 0;
                for (int t = from; t < to; t++) {
                    s += epoch[c * times + t];
                }
                dst[c * bins + b] = s / (to - from);
            }
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    public double alpha() {
        return header.path("alpha").asDouble();
    }

    public int timeBin() {
        return timeBin;
    }

    public ObjectNode header() {
        return header.deepCopy();
    }

    /**
     * The batch in one pass over the weights: each weight row (one feature's {@code outDim} floats) is applied to
     * every epoch of the batch while it is in cache, so a batch of 8 reads the 150 MB of MEG weights once, not 8 times.
     */
    @Override
    public float[][] embed(List<float[]> epochs) {
        int b = epochs.size();
        int p = features.length;
        int d = yMean.length;
        float[][] feats = new float[b][p];
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            float[] e = epochs.get(i);
            if (e.length != signature.inputSize()) {
                throw new IllegalArgumentException("epoch holds " + e.length + " values; ridge model "
                        + signature.modelId() + " takes " + signature.channels() + " × " + signature.times());
            }
            extract(e, signature.channels(), signature.times(), timeBin, feats[i]);
            out[i] = yMean.clone();
        }
        if (weights == null) {
            // one pass over the basis for the whole batch, as below over the dense weights; the features are
            // centred in place (they are this call's own arrays)
            for (int i = 0; i < b; i++) {
                centre(feats[i]);
            }
            for (int r = 0; r < rank; r++) {
                int row = r * p;
                for (int i = 0; i < b; i++) {
                    axpy(dot(basis, row, feats[i], p), coef, r * d, out[i], d);
                }
            }
            return out;
        }
        for (int j = 0; j < p; j++) {
            int row = j * d;
            for (int i = 0; i < b; i++) {
                float v = feats[i][j] - xMean[j];
                if (v != 0) {
                    float[] o = out[i];
                    for (int k = 0; k < d; k++) { // element-wise: the JIT vectorises this axpy
                        o[k] += v * weights[row + k];
                    }
                }
            }
        }
        return out;
    }

    /** y = (features − xMean) W + yMean, into {@code dst}. Not thread-safe (reuses a feature buffer). */
    public float[] embedOne(float[] epoch, float[] dst) {
        if (epoch.length != signature.inputSize()) {
            throw new IllegalArgumentException("epoch holds " + epoch.length + " values; ridge model "
                    + signature.modelId() + " takes " + signature.channels() + " × " + signature.times());
        }
        extract(epoch, signature.channels(), signature.times(), timeBin, features);
        int d = yMean.length;
        System.arraycopy(yMean, 0, dst, 0, d);
        if (weights == null) {
            int p = features.length;
            centre(features);
            for (int r = 0; r < rank; r++) {
                scores[r] = dot(basis, r * p, features, p);
            }
            for (int r = 0; r < rank; r++) {
                axpy(scores[r], coef, r * d, dst, d);
            }
            return dst;
        }
        for (int j = 0; j < features.length; j++) {
            float v = features[j] - xMean[j];
            if (v != 0) {
                int row = j * d;
                for (int k = 0; k < d; k++) { // element-wise: the JIT vectorises this axpy
                    dst[k] += v * weights[row + k];
                }
            }
        }
        return dst;
    }

    /** {@code f −= x̄}, in place. */
    private void centre(float[] f) {
        for (int j = 0; j < f.length; j++) {
            f[j] -= xMean[j];
        }
    }

    /**
     * {@code Σ a[from + j]·x[j]}, four partial sums: the JIT does not reorder a float reduction by itself, and one
     * running sum would wait on each add's latency.
     */
    private static float dot(float[] a, int from, float[] x, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[from + j] * x[j];
            s1 += a[from + j + 1] * x[j + 1];
            s2 += a[from + j + 2] * x[j + 2];
            s3 += a[from + j + 3] * x[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[from + j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y += k·a[from …]}: element-wise, which the JIT vectorises. */
    private static void axpy(float k, float[] a, int from, float[] y, int d) {
        if (k == 0) {
            return;
        }
        for (int j = 0; j < d; j++) {
            y[j] += k * a[from + j];
        }
    }

    @Override
    public void close() {
        // plain arrays: nothing to release
    }

    /** Writes the model atomically (temp file + move). */
    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] json = JSON.writeValueAsBytes(header);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(json.length).array());
            out.write(json);
            writeFloats(out, xMean);
            writeFloats(out, yMean);
            if (weights != null) {
                writeFloats(out, weights);
            } else {
                writeFloats(out, basis);
                writeFloats(out, coef);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static RidgeModel load(Path file) throws InvalidModelException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException("ridge model " + file + " does not exist or is not a file");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new InvalidModelException(file + " is not a mindstream ridge model (bad magic)");
            }
            int len = Integer.reverseBytes(in.readInt());
            if (len <= 0 || len > 10_000_000) {
                throw new InvalidModelException(file + ": bad header length " + len);
            }
            JsonNode h = JSON.readTree(in.readNBytes(len));
            if (!(h instanceof ObjectNode header) || !FORMAT.equals(h.path("format").asText())) {
                throw new InvalidModelException(file + ": header is not a " + FORMAT + " header");
            }
            if (h.path("version").asInt() > VERSION) {
                throw new InvalidModelException(file + ": ridge model version " + h.path("version").asInt()
                        + " is newer than this build reads (" + VERSION + ")");
            }
            int p = featureCount(h.path("channels").asInt(), h.path("times").asInt(), Math.max(1, h.path("timeBin").asInt(1)));
            int d = h.path("outDim").asInt();
            if (p <= 0 || d <= 0) {
                throw new InvalidModelException(file + ": bad shape in header " + h);
            }
            boolean factored = FACTORED.equals(h.path("weights").asText());
            int rank = h.path("rank").asInt();
            if (factored && (rank <= 0 || h.path("version").asInt() < 2)) {
                throw new InvalidModelException(file + ": factored weights need version 2 and a positive rank, header "
                        + "says version " + h.path("version") + ", rank " + h.path("rank"));
            }
            float[] xMean = readFloats(in, p, file);
            float[] yMean = readFloats(in, d, file);
            float[] w = factored ? null : readFloats(in, Math.multiplyExact(p, d), file);
            float[] basis = factored ? readFloats(in, Math.multiplyExact(rank, p), file) : null;
            float[] coef = factored ? readFloats(in, Math.multiplyExact(rank, d), file) : null;
            if (in.read() != -1) {
                throw new InvalidModelException(file + ": trailing bytes after the weights");
            }
            return new RidgeModel(ModelFiles.modelId(file), header, xMean, yMean, w, basis, coef);
        } catch (IOException e) {
            throw new InvalidModelException("ridge model " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void writeFloats(OutputStream out, float[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : a) {
            if (!b.hasRemaining()) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            b.putFloat(v);
        }
        out.write(b.array(), 0, b.position());
    }

    private static float[] readFloats(InputStream in, int n, Path file) throws IOException, InvalidModelException {
        float[] a = new float[n];
        byte[] buf = new byte[1 << 16];
        int i = 0;
        while (i < n) {
            int want = Math.min(buf.length, (n - i) * 4);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                throw new InvalidModelException(file + " is truncated (" + i + " of " + n + " values in a block)");
            }
            ByteBuffer.wrap(buf, 0, got).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a, i, got / 4);
            i += got / 4;
        }
        return a;
    }
}
