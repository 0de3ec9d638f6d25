package io.mindstream.decoder.bank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.bank.EmbeddingBank;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bank build} over a folder of images with the tiny DINOv2-shaped ViT: a bank that reads back as built. */
class BankBuilderTest {

    @Test
    void buildsABankFromAFolderOfImages(@TempDir Path dir) throws Exception {
        JsonNode fx = new ObjectMapper().readTree(Path.of("src/test/resources/tiny-vit/fixtures.json").toFile());
        Path images = Files.createDirectories(dir.resolve("images"));
        int n = 0;
        for (JsonNode c : fx.path("colours")) {
            BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(c.get("rgb").get(0).asInt(), c.get("rgb").get(1).asInt(), c.get("rgb").get(2).asInt()));
            g.fillRect(0, 0, 320, 240);
            g.dispose();
            ImageIO.write(img, n % 2 == 0 ? "png" : "jpg", images.resolve("colour" + n + (n % 2 == 0 ? ".png" : ".jpg")).toFile());
            n++;
        }
        Files.writeString(images.resolve("notes.txt"), "not an image");
        Path out = dir.resolve("bank");
        java.util.List<Path> files = BankBuilder.images(images);
        assertEquals(4, files.size(), "notes.txt is not an image");
        java.util.List<String> problems = new java.util.ArrayList<>();
        try (ImageEncoder enc = ImageEncoder.load(Path.of("src/test/resources/tiny-vit/tiny-vit.onnx"),
                TokenPooling.CLS)) {
            BankBuilder.Result r = new BankBuilder(enc, 3, 128).build(files, java.util.List.of("colour1", "colour3",
                    "colour9"), out, line -> { }, problems::add);
            assertEquals(0, r.skipped());
        }
        assertEquals(java.util.List.of("test id colour9 is not among the images; ignored"), problems);
        EmbeddingBank bank = EmbeddingBank.read(out);
        assertEquals(4, bank.count());
        assertEquals(48, bank.dim());
        assertEquals(java.util.List.of("colour0", "colour1", "colour2", "colour3"), bank.ids());
        assertEquals(java.util.List.of("colour1", "colour3"), bank.testIds());
        assertTrue(Files.isRegularFile(out.resolve(bank.thumbnails().get(0))));
        assertTrue(bank.model().contains("tiny-vit.onnx"), bank.model());
        // the PNG (lossless) colour's vector equals torch's CLS embedding
        float[] v = bank.vector(0, new float[48]);
        JsonNode want = fx.path("colours").get(0).get("cls");
        for (int k = 0; k < 48; k++) {
            assertEquals(want.get(k).asDouble(), v[k], 1e-4 + 1e-4 * Math.abs(want.get(k).asDouble()));
        }
    }
}
