package io.mindstream.decoder.bank;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mindstream.decoder.model.InvalidModelException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Embeds images with an ONNX image encoder (DINOv2 or anything with its interface) through DJL's ONNX Runtime engine.
 * The encoder takes {@code (B, 3, 224, 224)} normalised pixels and returns either tokens {@code (B, N, D)} — pooled
 * here by {@link TokenPooling} — or an already pooled {@code (B, D)}. Preprocessing is {@link DinoPreprocessing}.
 */
public final class ImageEncoder implements AutoCloseable {

    private final DinoPreprocessing preprocessing;
    private final ZooModel<float[][], float[][]> model;
    private final Predictor<float[][], float[][]> predictor;
    private final int dim;
    private final String description;

    private ImageEncoder(DinoPreprocessing preprocessing, ZooModel<float[][], float[][]> model, int dim,
                         String description) {
        this.preprocessing = preprocessing;
        this.model = model;
        this.predictor = model.newPredictor();
        this.dim = dim;
        this.description = description;
    }

    public static ImageEncoder load(Path onnx, TokenPooling pooling) throws InvalidModelException {
        if (!Files.isRegularFile(onnx)) {
            throw new InvalidModelException("image encoder " + onnx + " does not exist or is not a file");
        }
        ai.djl.engine.Engine.getEngine("OnnxRuntime"); // DJL creates the shared OrtEnvironment first
        String inputName;
        long[] outShape;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), o)) {
            if (s.getInputInfo().size() != 1) {
                throw new InvalidModelException("image encoder " + onnx + " has inputs " + s.getInputInfo().keySet()
                        + ": expected one (pixel_values)");
            }
            Map.Entry<String, NodeInfo> in = s.getInputInfo().entrySet().iterator().next();
            inputName = in.getKey();
            long[] inShape = ((TensorInfo) in.getValue().getInfo()).getShape();
            if (inShape.length != 4 || inShape[1] != 3 || (inShape[2] > 0 && inShape[2] != 224)
                    || (inShape[3] > 0 && inShape[3] != 224)) {
                throw new InvalidModelException("image encoder " + onnx + " input " + inputName + " has shape "
                        + Arrays.toString(inShape) + ": expected (batch, 3, 224, 224)");
            }
            outShape = ((TensorInfo) s.getOutputInfo().values().iterator().next().getInfo()).getShape();
        } catch (OrtException | ClassCastException e) {
            throw new InvalidModelException("image encoder " + onnx + " is not a valid ONNX model: " + e.getMessage(), e);
        }
        if (outShape.length != 3 && outShape.length != 2) {
            throw new InvalidModelException("image encoder " + onnx + " output has shape " + Arrays.toString(outShape)
                    + ": expected tokens (batch, tokens, dim) or pooled (batch, dim)");
        }
        DinoPreprocessing prep = DinoPreprocessing.dinov2();
        Criteria<float[][], float[][]> criteria = Criteria.builder()
                .setTypes(float[][].class, float[][].class)
                .optModelPath(onnx)
                .optEngine("OnnxRuntime")
                .optTranslator(new PixelTranslator(inputName, prep.crop(), pooling))
                .build();
        try {
            String desc = onnx.getFileName() + (outShape.length == 3 ? " " + pooling.name().toLowerCase() + "-token" : "");
            ZooModel<float[][], float[][]> zoo = criteria.loadModel();
            int dim = (int) outShape[outShape.length - 1];
            if (dim <= 0) { // exporters often leave the output dims symbolic: ask the model itself
                try (Predictor<float[][], float[][]> probe = zoo.newPredictor()) {
                    dim = probe.predict(new float[][]{new float[3 * prep.crop() * prep.crop()]})[0].length;
                } catch (TranslateException e) {
                    zoo.close();
                    throw new InvalidModelException("image encoder " + onnx + " fails on a blank image: " + e.getMessage(), e);
                }
            }
            return new ImageEncoder(prep, zoo, dim, desc);
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new InvalidModelException("image encoder " + onnx + " could not be loaded: " + e.getMessage(), e);
        }
    }

    public int dim() {
        return dim;
    }

    /** What produced the vectors, for bank.json's {@code model} field. */
    public String description() {
        return description;
    }

    public float[] preprocess(BufferedImage image) {
        return preprocessing.apply(image);
    }

    /** Embeds preprocessed images (from {@link #preprocess}). */
    public float[][] embed(List<float[]> pixels) {
        try {
            return predictor.predict(pixels.toArray(new float[0][]));
        } catch (TranslateException e) {
            throw new IllegalStateException("image encoder failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** (B, 3, S, S) in; tokens pooled (or pooled output passed through) out. */
    private static final class PixelTranslator implements NoBatchifyTranslator<float[][], float[][]> {
        private final String inputName;
        private final int size;
        private final TokenPooling pooling;

        PixelTranslator(String inputName, int size, TokenPooling pooling) {
            this.inputName = inputName;
            this.size = size;
            this.pooling = pooling;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, float[][] batch) {
            int per = 3 * size * size;
            FloatBuffer fb = FloatBuffer.allocate(batch.length * per);
            for (float[] p : batch) {
                fb.put(p, 0, per);
            }
            fb.flip();
            NDArray a = ctx.getNDManager().create(fb, new Shape(batch.length, 3, size, size));
            a.setName(inputName);
            return new NDList(a);
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            NDArray out = list.get(0);
            long[] shape = out.getShape().getShape();
            float[] flat = out.toFloatArray();
            int b = (int) shape[0];
            int d = (int) shape[shape.length - 1];
            float[][] result = new float[b][d];
            if (shape.length == 2) {
                for (int i = 0; i < b; i++) {
                    System.arraycopy(flat, i * d, result[i], 0, d);
                }
                return result;
            }
            int tokens = (int) shape[1];
            for (int i = 0; i < b; i++) {
                int base = i * tokens * d;
                if (pooling == TokenPooling.CLS) {
                    System.arraycopy(flat, base, result[i], 0, d);
                } else {
                    for (int t = 1; t < tokens; t++) {
                        for (int k = 0; k < d; k++) {
                            result[i][k] += flat[base + t * d + k];
                        }
                    }
                    for (int k = 0; k < d; k++) {
                        result[i][k] /= (tokens - 1);
                    }
                }
            }
            return result;
        }
    }
}
