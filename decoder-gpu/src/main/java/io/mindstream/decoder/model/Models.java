package io.mindstream.decoder.model;

import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.ridge.RidgeModel;

import java.nio.file.Path;

/**
 * Opens a decoding model by its file: {@code .onnx} → DJL/ONNX Runtime, {@code .ridge} → the pure-Java ridge; the
 * name {@value #DEMO} means the demo brain module shipped in this jar, {@value #FMRI_DEMO} the demo fMRI voxel model
 * (trained by {@code train_voxel_model.py} on the demo subject's fMRI, 4,096 voxels; see its {@code .json}),
 * {@value #WINDOW_DEMO} the demo window model (sliding windows of the demo subject's MEG; see its {@code .json}).
 */
public final class Models {

    /** The model name that selects the bundled demo brain module. */
    public static final String DEMO = "demo";
    static final String DEMO_RESOURCE = "/models/brain-module-demo.onnx";
    /** The model name that selects the bundled fMRI voxel model. */
    public static final String FMRI_DEMO = "fmri-demo";
    static final String FMRI_DEMO_RESOURCE = "/models/voxel-model-demo.onnx";
    /** The model name that selects the bundled window model (sliding windows of 250 ms: 272 channels × 30 samples). */
    public static final String WINDOW_DEMO = "window-demo";
    static final String WINDOW_DEMO_RESOURCE = "/models/window-model-demo.onnx";

    private Models() {
    }

    /** The bundled demo brain module as a file (copied out of the jar once per call). */
    public static Path demoModel() throws InvalidModelException {
        return bundled(DEMO_RESOURCE);
    }

    /** The bundled fMRI voxel model as a file. */
    public static Path fmriDemoModel() throws InvalidModelException {
        return bundled(FMRI_DEMO_RESOURCE);
    }

    /** The bundled window model as a file. */
    public static Path windowDemoModel() throws InvalidModelException {
        return bundled(WINDOW_DEMO_RESOURCE);
    }

    private static synchronized Path bundled(String resource) throws InvalidModelException {
        try (java.io.InputStream in = Models.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidModelException("the bundled model " + resource + " is missing from the classpath");
            }
            Path dir = java.nio.file.Files.createTempDirectory("mindstream-model");
            Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            java.nio.file.Files.copy(in, file);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new InvalidModelException("cannot extract the bundled model " + resource + ": " + e.getMessage(), e);
        }
    }

    public static EmbeddingModel load(Path file, EngineOptions engine) throws InvalidModelException,
            EngineUnavailableException {
        if (file.toString().equals(DEMO)) {
            return OnnxEmbeddingModel.load(demoModel(), engine);
        }
        if (file.toString().equals(FMRI_DEMO)) {
            return OnnxEmbeddingModel.load(fmriDemoModel(), engine);
        }
        if (file.toString().equals(WINDOW_DEMO)) {
            return OnnxEmbeddingModel.load(windowDemoModel(), engine);
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".ridge")) {
            return RidgeModel.load(file);
        }
        if (name.endsWith(".onnx")) {
            return OnnxEmbeddingModel.load(file, engine);
        }
        throw new InvalidModelException("model " + file + ": unknown kind (expected a .onnx brain module or a .ridge "
                + "model from ./mindstream calibrate)");
    }
}
