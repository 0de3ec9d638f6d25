package io.mindstream.decoder.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mindstream.decoder.engine.Accelerator;
import io.mindstream.decoder.engine.ComputeDevice;
import io.mindstream.decoder.engine.EngineCheck;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.engine.EngineUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model served by DJL's ONNX Runtime engine: epochs {@code (B, C, T)} → embeddings {@code (B, F)}.
 *
 * <p>The file is inspected first with ONNX Runtime's own API (one float input of rank 3 with fixed channels and
 * times, one output of rank 2; metadata such as the preprocessing id), so a wrong model is rejected at start-up with
 * a message naming the file and the mismatch, not on the first epoch. The engine is always chosen explicitly
 * ({@code optEngine("OnnxRuntime")}: DJL 0.36 also registers an RPC engine).
 */
public final class OnnxEmbeddingModel implements EmbeddingModel {

    private static final Logger log = LoggerFactory.getLogger(OnnxEmbeddingModel.class);
    static final String META_PREFIX = "mindstream.";

    private final ModelSignature signature;
    private final EngineOptions engine;
    private final ZooModel<float[][], float[][]> model;
    private final Predictor<float[][], float[][]> predictor;

    private OnnxEmbeddingModel(ModelSignature signature, EngineOptions engine, ZooModel<float[][], float[][]> model) {
        this.signature = signature;
        this.engine = engine;
        this.model = model;
        this.predictor = model.newPredictor();
    }

    /**
     * Loads {@code file} on the engine {@code wanted} describes (after {@link EngineCheck#resolve}).
     *
     * @throws InvalidModelException      the file is missing, not ONNX, or not epochs → embedding
     * @throws EngineUnavailableException the device/accelerator asked for is not available (and no fallback)
     */
    public static OnnxEmbeddingModel load(Path file, EngineOptions wanted)
            throws InvalidModelException, EngineUnavailableException {
        Inspection inspected = inspect(file);
        EngineOptions engine = EngineCheck.resolve(wanted);
        Criteria.Builder<float[][], float[][]> criteria = Criteria.builder()
                .setTypes(float[][].class, float[][].class)
                .optModelPath(file)
                .optEngine("OnnxRuntime")
                .optDevice(engine.device() == ComputeDevice.GPU ? Device.gpu(engine.gpuId()) : Device.cpu())
                .optTranslator(new EpochBatchTranslator(inspected.inputName, inspected.signature.channels(),
                        inspected.signature.times()));
        if (engine.accelerator() == Accelerator.TENSORRT) {
            criteria.optOption("ortDevice", "TensorRT");
        }
        if (engine.intraOpThreads() > 0) {
            // DJL 0.36 reads intraOpNumThreads only when interOpNumThreads is also set
            criteria.optOption("interOpNumThreads", "1");
            criteria.optOption("intraOpNumThreads", Integer.toString(engine.intraOpThreads()));
        }
        try {
            ZooModel<float[][], float[][]> zoo = criteria.build().loadModel();
            log.info("model {} loaded on {}: {} × {} → {}", inspected.signature.modelId(), engine.describe(),
                    inspected.signature.channels(), inspected.signature.times(), inspected.signature.outDim());
            return new OnnxEmbeddingModel(inspected.signature, engine, zoo);
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new InvalidModelException("model " + file + " could not be loaded by DJL/OnnxRuntime: " + e.getMessage(), e);
        }
    }

    private record Inspection(ModelSignature signature, String inputName) {
    }

    /** Reads the graph's input/output shapes and metadata without DJL. */
    public static ModelSignature signatureOf(Path file) throws InvalidModelException {
        return inspect(file).signature;
    }

    private static Inspection inspect(Path file) throws InvalidModelException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException("model file " + file + " does not exist or is not a file");
        }
        String modelId;
        try {
            modelId = ModelFiles.modelId(file);
        } catch (IOException e) {
            throw new InvalidModelException("model file " + file + " cannot be read: " + e.getMessage(), e);
        }
        // DJL's engine must create the process-wide OrtEnvironment (with its thread pool) before anyone else does
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(file.toString(), opts)) {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (inputs.size() != 1 || outputs.isEmpty()) {
                throw new InvalidModelException("model " + file + " has inputs " + inputs.keySet() + " and outputs "
                        + outputs.keySet() + ": expected one input (epochs) and an embedding output");
            }
            Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
            long[] inShape = tensorShape(file, "input " + in.getKey(), in.getValue());
            long[] outShape = tensorShape(file, "output", outputs.values().iterator().next());
            if (inShape.length != 3 || inShape[1] <= 0 || inShape[2] <= 0) {
                throw new InvalidModelException("model " + file + " input " + in.getKey() + " has shape "
                        + Arrays.toString(inShape) + ": expected (batch, channels, times) with fixed channels and times");
            }
            if (outShape.length != 2 || outShape[1] <= 0) {
                throw new InvalidModelException("model " + file + " output has shape " + Arrays.toString(outShape)
                        + ": expected (batch, embedding dim)");
            }
            Map<String, String> meta = new HashMap<>(session.getMetadata().getCustomMetadata());
            String prep = meta.getOrDefault(META_PREFIX + "preprocessingId", "");
            return new Inspection(new ModelSignature(modelId, (int) inShape[1], (int) inShape[2], (int) outShape[1],
                    prep, meta), in.getKey());
        } catch (OrtException e) {
            throw new InvalidModelException("model file " + file + " is not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    private static long[] tensorShape(Path file, String what, NodeInfo info) throws InvalidModelException {
        if (!(info.getInfo() instanceof TensorInfo t)) {
            throw new InvalidModelException("model " + file + " " + what + " is not a tensor: " + info);
        }
        if (t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
            throw new InvalidModelException("model " + file + " " + what + " is " + t.type + ", expected float32");
        }
        return t.getShape();
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    /** The engine the model actually runs on (after any fallback). */
    public EngineOptions engine() {
        return engine;
    }

    @Override
    public float[][] embed(List<float[]> epochs) {
        int per = signature.inputSize();
        for (int i = 0; i < epochs.size(); i++) {
            if (epochs.get(i).length != per) {
                throw new IllegalArgumentException("input " + i + " holds " + epochs.get(i).length + " values; model "
                        + signature.modelId() + " takes " + signature.channels() + " × " + signature.times());
            }
        }
        try {
            return predictor.predict(epochs.toArray(new float[0][]));
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed in model " + signature.modelId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
