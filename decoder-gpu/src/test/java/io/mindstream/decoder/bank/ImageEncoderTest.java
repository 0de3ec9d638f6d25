package io.mindstream.decoder.bank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.decoder.model.InvalidModelException;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bank encoder path (DINOv2 preprocessing + DJL/ORT + token pooling) against torch, using the tiny ViT of DINOv2's
 * shape that export_tiny_vit.py wrote. Uniform images make resize and crop exact in any implementation, so the
 * embeddings must equal torch's to 1e-4.
 */
class ImageEncoderTest {

    static final Path DIR = Path.of("src/test/resources/tiny-vit");

    static BufferedImage uniform(int w, int h, int[] rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void embeddingsMatchTorchForClsAndMeanPooling() throws Exception {
        JsonNode fx = new ObjectMapper().readTree(DIR.resolve("fixtures.json").toFile());
        for (TokenPooling pooling : TokenPooling.values()) {
            try (ImageEncoder enc = ImageEncoder.load(DIR.resolve("tiny-vit.onnx"), pooling)) {
                assertEquals(fx.path("dim").asInt(), enc.dim());
                for (JsonNode c : fx.path("colours")) {
                    int[] rgb = {c.get("rgb").get(0).asInt(), c.get("rgb").get(1).asInt(), c.get("rgb").get(2).asInt()};
                    // three sizes: no resize needed, a plain bicubic resize, and the halving path for large images
                    for (int[] size : new int[][]{{256, 300}, {300, 280}, {1200, 900}}) {
                        float[] got = enc.embed(List.of(enc.preprocess(uniform(size[0], size[1], rgb))))[0];
                        JsonNode want = c.get(pooling == TokenPooling.CLS ? "cls" : "mean");
                        for (int k = 0; k < got.length; k++) {
                            assertEquals(want.get(k).asDouble(), got[k], 1e-4 + 1e-4 * Math.abs(want.get(k).asDouble()),
                                    pooling + " " + java.util.Arrays.toString(rgb) + " " + size[0] + "x" + size[1] + " dim " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void centreCropKeepsTheMiddle224Pixels() {
        BufferedImage img = new BufferedImage(512, 256, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 256, 256);
        g.setColor(Color.BLUE);
        g.fillRect(256, 0, 256, 256);
        g.dispose();
        float[] chw = DinoPreprocessing.dinov2().apply(img);
        float red = (1f - DinoPreprocessing.MEAN[0]) / DinoPreprocessing.STD[0];
        float notRed = (0f - DinoPreprocessing.MEAN[0]) / DinoPreprocessing.STD[0];
        int row = 100 * 224;
        assertEquals(red, chw[row + 111], 1e-6);   // crop starts at x = 144: image column 255 is crop column 111
        assertEquals(notRed, chw[row + 112], 1e-6);
        assertEquals(3 * 224 * 224, chw.length);
    }

    @Test
    void aFileThatIsNotOnnxIsRejectedWithItsName() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> ImageEncoder.load(DIR.resolve("fixtures.json"), TokenPooling.CLS));
        assertTrue(e.getMessage().contains("fixtures.json") && e.getMessage().contains("not a valid ONNX model"),
                e.getMessage());
    }
}
