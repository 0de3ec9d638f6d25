package io.mindstream.decoder.bank;

import io.mindstream.contracts.bank.EmbeddingBank;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Builds an embedding bank from a folder of images with an image encoder: each image's id is its file name without
 * extension; its thumbnail and its vector go into the bank directory. What {@code ./mindstream bank build} runs.
 */
public final class BankBuilder {

    /** What a build gave: the bank written, and how many files were skipped as unreadable. */
    public record Result(EmbeddingBank bank, int skipped) {
    }

    private final ImageEncoder encoder;
    private final int batch;
    private final int thumbnailSize;

    /**
     * @param batch         images per encoder call
     * @param thumbnailSize longer side of the thumbnails, px
     */
    public BankBuilder(ImageEncoder encoder, int batch, int thumbnailSize) {
        if (batch < 1 || thumbnailSize < 1) {
            throw new IllegalArgumentException("batch and thumbnail size must be >= 1");
        }
        this.encoder = encoder;
        this.batch = batch;
        this.thumbnailSize = thumbnailSize;
    }

    /** The images (png, jpg, gif, bmp) of a folder, sorted by name. */
    public static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|gif|bmp)$")).sorted().toList();
        }
    }

    /**
     * Embeds {@code files} into a bank written to {@code out}.
     *
     * @param testIds  ids held out for testing (those not among the images are reported and ignored)
     * @param progress told after each batch ("n / total images")
     * @param problems told of each file skipped and each test id ignored
     */
    public Result build(List<Path> files, List<String> testIds, Path out, Consumer<String> progress,
                        Consumer<String> problems) throws IOException {
        Files.createDirectories(out.resolve("thumbs"));
        int dim = encoder.dim();
        List<String> ids = new ArrayList<>();
        List<String> thumbs = new ArrayList<>();
        float[] vectors = new float[files.size() * dim];
        List<float[]> pending = new ArrayList<>();
        int skipped = 0;
        for (Path f : files) {
            BufferedImage img;
            try {
                img = ImageIO.read(f.toFile());
            } catch (IOException e) {
                img = null;
            }
            if (img == null) {
                problems.accept("skipping " + f + ": not a readable image");
                skipped++;
                continue;
            }
            String name = f.getFileName().toString();
            String id = name.substring(0, name.lastIndexOf('.'));
            ids.add(id);
            String rel = "thumbs/" + id + ".png";
            thumbs.add(rel);
            ImageIO.write(DinoPreprocessing.thumbnail(img, thumbnailSize), "png", out.resolve(rel).toFile());
            pending.add(encoder.preprocess(img));
            if (pending.size() == batch) {
                embed(pending, vectors, ids.size() - pending.size());
                progress.accept(String.format(Locale.ROOT, "%d / %d images", ids.size(), files.size()));
            }
        }
        embed(pending, vectors, ids.size() - pending.size());
        Set<String> known = new HashSet<>(ids);
        List<String> test = new ArrayList<>();
        for (String id : testIds) {
            if (known.contains(id)) {
                test.add(id);
            } else {
                problems.accept("test id " + id + " is not among the images; ignored");
            }
        }
        EmbeddingBank bank = new EmbeddingBank(ids, dim, Arrays.copyOf(vectors, ids.size() * dim), thumbs,
                encoder.description(), test);
        bank.write(out);
        return new Result(bank, skipped);
    }

    private void embed(List<float[]> pending, float[] vectors, int firstRow) {
        if (pending.isEmpty()) {
            return;
        }
        float[][] y = encoder.embed(pending);
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(y[i], 0, vectors, (firstRow + i) * encoder.dim(), encoder.dim());
        }
        pending.clear();
    }
}
