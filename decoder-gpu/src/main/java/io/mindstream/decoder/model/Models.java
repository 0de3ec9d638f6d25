package io.mindstream.decoder.model;

import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.ridge.RidgeModel;

import java.nio.file.Path;

/**
 * Opens a decoding model by its file: {@code .onnx} → DJL/ONNX Runtime, {@code .ridge} → the pure-Java ridge; the
 * name {@value #DEMO} means the demo brain module shipped in this jar.
 */
public final class Models {

    /** The model name that selects the bundled demo brain module. */
    public static final String DEMO = "demo";
    static final String DEMO_RESOURCE = "/models/brain-module-demo.onnx";

    private Models() {
    }

    /** The bundled demo brain module as a file (copied out of the jar once per JVM). */
    public static synchronized Path demoModel() throws InvalidModelException {
        try (java.io.InputStream in = Models.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new InvalidModelException("the demo model " + DEMO_RESOURCE + " is missing from the classpath");
            }
            Path dir = java.nio.file.Files.createTempDirectory("mindstream-model");
            Path file = dir.resolve("brain-module-demo.onnx");
            java.nio.file.Files.copy(in, file);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new InvalidModelException("cannot extract the demo model: " + e.getMessage(), e);
        }
    }

    public static EmbeddingModel load(Path file, EngineOptions engine) throws InvalidModelException,
            EngineUnavailableException {
        if (file.toString().equals(DEMO)) {
            return OnnxEmbeddingModel.load(demoModel(), engine);
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
