package io.mindstream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.contracts.bank.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroundTruthTest {

    @Test
    void writesAReadableBankThumbnailsScheduleAndParameters(@TempDir Path dir) throws Exception {
        SimulatedSubject s = new SimulatedSubject(SimulationConfig.defaults(21).toBuilder().fmriVoxels(10)
                .concepts(12).exemplarsPerConcept(2).testImages(6).testRepeats(2).embeddingDim(96).build());
        GroundTruthWriter.write(s, dir);
        EmbeddingBank bank = EmbeddingBank.read(dir.resolve(GroundTruthWriter.BANK_DIR));
        assertEquals(s.bank(), bank);
        assertEquals(30, bank.count());
        assertEquals(96, bank.dim());
        assertEquals(s.testImageIds(), bank.testIds());
        assertEquals(6, bank.testIds().size());
        for (int i = 0; i < bank.count(); i++) {
            double n = 0;
            for (int d = 0; d < bank.dim(); d++) {
                n += bank.vectors()[i * bank.dim() + d] * bank.vectors()[i * bank.dim() + d];
            }
            assertEquals(1.0, n, 1e-4, "embeddings are unit norm");
        }
        // thumbnails: 96×96 PNGs, pairwise clearly different
        List<BufferedImage> thumbs = new ArrayList<>();
        for (int i = 0; i < bank.count(); i++) {
            BufferedImage img = ImageIO.read(bank.thumbnail(dir.resolve(GroundTruthWriter.BANK_DIR), i).toFile());
            assertEquals(96, img.getWidth());
            assertEquals(96, img.getHeight());
            thumbs.add(img);
        }
        for (int i = 0; i < thumbs.size(); i++) {
            for (int j = 0; j < i; j++) {
                double d = meanAbsDiff(thumbs.get(i), thumbs.get(j));
                assertTrue(d > 8, bank.id(i) + " vs " + bank.id(j) + " differ by only " + d);
            }
        }
        // the picture is a function of the id: drawn again, it is identical
        assertEquals(0.0, meanAbsDiff(thumbs.get(3), s.thumbnail(bank.id(3))), 0.0);

        List<String> events = Files.readAllLines(dir.resolve("events.tsv"));
        assertEquals(s.schedule().size() + 1, events.size());
        assertTrue(events.get(0).startsWith("onset\tmarker_onset\tduration\ttrial\timage_id\tsplit\tcatch"));
        assertEquals(s.markers().size() + 1, Files.readAllLines(dir.resolve("markers.tsv")).size());
        List<String> channels = Files.readAllLines(dir.resolve("channels.tsv"));
        assertEquals(273, channels.size());
        assertTrue(channels.get(1).startsWith(s.sensorLayout().label(0) + "\t"));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("simulation.json").toFile());
        assertEquals(21, json.get("config").get("seed").asLong());
        assertEquals(s.config().snr(), json.get("config").get("snr").asDouble());
        assertEquals(s.evokedGain(), json.get("derived").get("evoked_gain_fT").asDouble(), 1e-9);
        assertEquals(s.config().evokedSources(), json.get("derived").get("evoked_sources").size());
        Npy.FloatArray latents = Npy.read(dir.resolve("latents.npy"));
        assertEquals(json.get("latent_ids").size(), latents.shape()[0]);
        assertArrayEquals(s.latent(json.get("latent_ids").get(5).asText()),
                java.util.Arrays.copyOfRange(latents.data(), 5 * s.latentDim(), 6 * s.latentDim()));
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        double s = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                s += Math.abs(((p >> 16) & 255) - ((q >> 16) & 255)) + Math.abs(((p >> 8) & 255) - ((q >> 8) & 255))
                        + Math.abs((p & 255) - (q & 255));
            }
        }
        return s / (3.0 * a.getWidth() * a.getHeight());
    }
}
