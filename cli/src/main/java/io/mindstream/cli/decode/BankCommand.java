package io.mindstream.cli.decode;

import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.bank.BankBuilder;
import io.mindstream.decoder.bank.ImageEncoder;
import io.mindstream.decoder.bank.TokenPooling;
import io.mindstream.decoder.model.InvalidModelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mindstream bank build|info}: embedding banks (format in docs/decoding.md, {@link EmbeddingBank}). */
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
            List<Path> files = BankBuilder.images(images);
            if (files.isEmpty()) {
                System.err.println("error: no images (png, jpg, gif, bmp) in " + images);
                return 1;
            }
            List<String> test = new ArrayList<>();
            if (testList != null) {
                Files.readAllLines(testList).stream().map(String::strip).filter(l -> !l.isEmpty()).forEach(test::add);
            }
            try (ImageEncoder enc = ImageEncoder.load(model, pooling)) {
                long t0 = System.nanoTime();
                BankBuilder.Result r = new BankBuilder(enc, batch, thumbSize).build(files, test, out,
                        line -> System.out.println("  " + line), System.err::println);
                System.out.printf(Locale.ROOT, "bank %s: %d images × %d (%s), %d test ids, %d skipped, %.1f s%n", out,
                        r.bank().count(), enc.dim(), enc.description(), r.bank().testIds().size(), r.skipped(),
                        (System.nanoTime() - t0) / 1e9);
                return r.skipped() == 0 ? 0 : 1;
            } catch (InvalidModelException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
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
