package io.mindstream.display;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.bank.EmbeddingBank;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test data: a small embedding bank with real PNG thumbnails, decode results and MEG chunks. */
final class Fixtures {

    private Fixtures() {
    }

    static String imageId(int i) {
        return String.format("img_%04d", i);
    }

    /** The fixture bank's concepts: four images each (img_0000 … img_0003 are concept-0). */
    static String conceptOf(int i) {
        return "concept-" + i / 4;
    }

    /** Writes a real bank of {@code n} images (embeddings.npy, bank.json, thumbs/*.png) and reads it back. */
    static BankCatalog bank(Path dir, int n) throws IOException {
        Files.createDirectories(dir.resolve("thumbs"));
        List<String> ids = new ArrayList<>();
        List<String> thumbs = new ArrayList<>();
        float[] vectors = new float[n * 8];
        for (int i = 0; i < n; i++) {
            String id = imageId(i);
            BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.getHSBColor(i / (float) n, 0.6f, 0.85f));
            g.fillRect(0, 0, 96, 96);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(id, 8, 52);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("thumbs").resolve(id + ".png").toFile());
            ids.add(id);
            thumbs.add("thumbs/" + id + ".png");
            vectors[i * 8 + i % 8] = 1f;
        }
        List<String> concepts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            concepts.add(conceptOf(i));
        }
        new EmbeddingBank(ids, 8, vectors, thumbs, "test-fixture", List.of(), concepts).write(dir);
        return BankCatalog.read(dir);
    }

    /** A marker-locked result for stimulus {@code truth} whose top-5 are the given images, best first. */
    static DecodeResult result(String session, long n, String truth, List<String> topIds) {
        long now = TraceStamps.nowMicros();
        long[] t = new long[Stage.values().length];
        // a plausible trace: each stage a little after the previous one
        long[] offsetsUs = {-60_000, -58_000, -57_500, -57_000, -52_000, -30_000, -2_000};
        for (int i = 0; i < offsetsUs.length; i++) {
            t[i] = now + offsetsUs[i];
        }
        List<Match> top = new ArrayList<>();
        for (int i = 0; i < topIds.size(); i++) {
            top.add(new Match(topIds.get(i), 0.9f - 0.1f * i));
        }
        Trigger trig = new Trigger(TriggerKind.MARKER, 100.0 + n, n,
                "onset image=" + truth + " trial=" + n + " split=test", null, truth);
        return new DecodeResult(session, session + "/meg/marker/" + n, trig, new float[]{1f, 0f}, top,
                "test-model.onnx", 0, new TraceStamps(t));
    }

    /** A float32 MEG chunk of {@code samples} × {@code channels}: a sine per channel, stamps at {@code rate}. */
    static SampleChunk megChunk(String stream, long firstSeq, int samples, int channels, double rate) {
        double[] ts = new double[samples];
        float[] v = new float[samples * channels];
        for (int s = 0; s < samples; s++) {
            ts[s] = 1000.0 + (firstSeq + s) / rate;
            for (int c = 0; c < channels; c++) {
                v[s * channels + c] = (float) (1e-12 * Math.sin(2 * Math.PI * (3 + c % 7) * ts[s] + c));
            }
        }
        long acquired = TraceStamps.nowMicros();
        return SampleChunk.ofFloats("s1", stream, StreamKind.MEG, channels, rate, firstSeq, ts, v,
                TraceStamps.empty().with(Stage.ACQUIRED, acquired).with(Stage.INGESTED, acquired + 300));
    }
}
