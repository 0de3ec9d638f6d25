package io.mindstream.decoder.model;

import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.ridge.RidgeModel;

import java.nio.file.Path;

/** Opens a decoding model by its file: {@code .onnx} → DJL/ONNX Runtime, {@code .ridge} → the pure-Java ridge. */
public final class Models {
    private Models() {
    }

    public static EmbeddingModel load(Path file, EngineOptions engine) throws InvalidModelException,
            EngineUnavailableException {
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
