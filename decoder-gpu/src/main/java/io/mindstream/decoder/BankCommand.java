package io.mindstream.decoder;

import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.bank.DinoPreprocessing;
import io.mindstream.decoder.bank.ImageEncoder;
import io.mindstream.decoder.bank.TokenPooling;
import io.mindstream.decoder.model.InvalidModelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code mindstream bank build|info}: embedding banks (format in TEAM.md / {@link EmbeddingBank}). */
@Command(name = "bank", mixinStandardHelpOptions = true,
        subcommands = {BankCommand.Build.class, BankCommand.Info.class},
        description = "Embedding banks: the images the decoder retrieves among, as vectors (embeddings.npy + bank.json).")
public final class BankCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "build", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Embed a folder of images (png, jpg, gif, bmp) with an ONNX image encoder such as DINOv2 "
                    + "through DJL: resize 256, centre crop 224, ImageNet normalisation, CLS or mean patch token.")
    public static final class Build implements Callable<Integer> {

        @Option(names = "--images", required = true, description = "folder of images; an image's id is its file name "
                + "without extension")
        Path images;

        @Option(names = "--model", required = true, description = "ONNX image encoder: input (B,3,224,224), output "
                + "tokens (B,N,D) or pooled (B,D)")
        Path model;

        @Option(names = "--out", required = true, description = "bank directory to write")
        Path out;

        @Option(names = "--pooling", defaultValue = "cls", description = "cls or mean (of the patch tokens)")
        TokenPooling pooling;

        @Option(names = "--test-list", description = "text file of image ids (one a line) held out for testing")
        Path testList;

        @Option(names = "--batch", defaultValue = "16", description = "images per encoder call")
        int batch;

        @Option(names = "--thumbnail-size", defaultValue = "128", description = "longer side of the thumbnails, px")
        int thumbSize;

        @Override
        public Integer call() throws IOException {
            if (!Files.isDirectory(images)) {
                System.err.println("error: --images " + images + " is not a directory");
                return 2;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(images)) {
                files = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                        .matches(".*\\.(png|jpe?g|gif|bmp)$")).sorted().toList();
            }
            if (files.isEmpty()) {
                System.err.println("error: no images (png, jpg, gif, bmp) in " + images);
                return 1;
            }
            try (ImageEncoder enc = ImageEncoder.load(model, pooling)) {
                Files.createDirectories(out.resolve("thumbs"));
                List<String> ids = new ArrayList<>();
                List<String> thumbs = new ArrayList<>();
                float[] vectors = new float[files.size() * enc.dim()];
                List<float[]> pending = new ArrayList<>();
                int skipped = 0;
                long t0 = System.nanoTime();
                for (Path f : files) {
                    BufferedImage img;
                    try {
                        img = ImageIO.read(f.toFile());
                    } catch (IOException e) {
                        img = null;
                    }
                    if (img == null) {
                        System.err.println("skipping " + f + ": not a readable image");
                        skipped++;
                        continue;
                    }
                    String name = f.getFileName().toString();
                    String id = name.substring(0, name.lastIndexOf('.'));
                    ids.add(id);
                    String rel = "thumbs/" + id + ".png";
                    thumbs.add(rel);
                    ImageIO.write(DinoPreprocessing.thumbnail(img, thumbSize), "png", out.resolve(rel).toFile());
                    pending.add(enc.preprocess(img));
                    if (pending.size() == batch) {
                        flush(enc, pending, vectors, ids.size() - pending.size());
                        System.out.printf(Locale.ROOT, "  %d / %d images%n", ids.size(), files.size());
                    }
                }
                flush(enc, pending, vectors, ids.size() - pending.size());
                List<String> test = new ArrayList<>();
                if (testList != null) {
                    Set<String> known = new HashSet<>(ids);
                    for (String line : Files.readAllLines(testList)) {
                        String id = line.strip();
                        if (!id.isEmpty() && known.contains(id)) {
                            test.add(id);
                        } else if (!id.isEmpty()) {
                            System.err.println("test id " + id + " is not among the images; ignored");
                        }
                    }
                }
                float[] used = java.util.Arrays.copyOf(vectors, ids.size() * enc.dim());
                EmbeddingBank bank = new EmbeddingBank(ids, enc.dim(), used, thumbs, enc.description(), test);
                bank.write(out);
                System.out.printf(Locale.ROOT, "bank %s: %d images × %d (%s), %d test ids, %d skipped, %.1f s%n", out,
                        ids.size(), enc.dim(), enc.description(), test.size(), skipped, (System.nanoTime() - t0) / 1e9);
                return skipped == 0 ? 0 : 1;
            } catch (InvalidModelException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }

        private static void flush(ImageEncoder enc, List<float[]> pending, float[] vectors, int firstRow) {
            if (pending.isEmpty()) {
                return;
            }
            float[][] y = enc.embed(pending);
            for (int i = 0; i < y.length; i++) {
                System.arraycopy(y[i], 0, vectors, (firstRow + i) * enc.dim(), enc.dim());
            }
            pending.clear();
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Summarise a bank directory.")
    public static final class Info implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "bank directory")
        Path dir;

        @Override
        public Integer call() throws IOException {
            EmbeddingBank b = EmbeddingBank.read(dir);
            System.out.printf(Locale.ROOT, "%s: %d images × %d dims, model '%s', %d test ids%n", dir, b.count(), b.dim(),
                    b.model(), b.testIds().size());
            return 0;
        }
    }
}
