package io.mindstream.decoder.model;

import io.mindstream.decoder.engine.EngineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxEmbeddingModelTest {

    @Test
    void anImageModelIsRejectedAsEpochDecoder() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> OnnxEmbeddingModel.load(Path.of("src/test/resources/tiny-vit/tiny-vit.onnx"), EngineOptions.cpu()));
        assertTrue(e.getMessage().contains("expected (batch, channels, times)"), e.getMessage());
    }

    @Test
    void missingAndCorruptFilesAreNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.onnx");
        InvalidModelException e1 = assertThrows(InvalidModelException.class,
                () -> OnnxEmbeddingModel.load(missing, EngineOptions.cpu()));
        assertTrue(e1.getMessage().contains("nope.onnx") && e1.getMessage().contains("does not exist"), e1.getMessage());
        Path junk = Files.write(dir.resolve("junk.onnx"), new byte[]{1, 2, 3, 4});
        InvalidModelException e2 = assertThrows(InvalidModelException.class,
                () -> OnnxEmbeddingModel.load(junk, EngineOptions.cpu()));
        assertTrue(e2.getMessage().contains("junk.onnx") && e2.getMessage().contains("not a valid ONNX model"),
                e2.getMessage());
    }
}
