package io.mindstream.cli.decode;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.decoder.ridge.CalibrationBlock;
import io.mindstream.decoder.ridge.RidgeCalibrator;
import io.mindstream.decoder.ridge.RidgeFit;
import io.mindstream.decoder.ridge.RidgeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code mindstream calibrate}: fits the ridge decoder on the labelled epochs of a calibration block — from a recorded
 * session on the {@code epochs} (or {@code windows}) topic, or from a dataset export — with targets from the
 * embedding bank, alpha chosen by leave-one-out cross-validation, and saves a versioned {@code .ridge} file that
 * records the frozen preprocessing the epochs carried.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Fit the ridge decoder on a calibration block's labelled epochs (image ids from the markers, "
                + "targets from the bank); alpha by leave-one-out cross-validation over a log grid.")
public final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "model file to write (.ridge)")
    Path out;

    @Mixin
    LabelledEpochOptions source;

    @Option(names = "--split", defaultValue = "train", description = "use only epochs whose marker says split=<this> "
            + "(dataset: the split column); 'any' for all labelled epochs")
    String split;

    @Option(names = "--time-bin", defaultValue = "1", description = "average this many samples per feature "
            + "(1 = every sample of the epoch is a feature)")
    int timeBin;

    @Option(names = "--alphas", split = ",", description = "alpha grid as multiples of the mean eigenvalue of the "
            + "Gram matrix (default 1e-5 … 1e3 in half decades)")
    double[] alphas;

    @Option(names = "--max-epochs", defaultValue = "0", description = "use at most this many epochs (0 = all)")
    int maxEpochs;

    @Mixin
    BrokerOptions kafka;

    @Override
    public Integer call() throws IOException {
        String problem = source.problem();
        if (problem != null) {
            System.err.println("error: " + problem);
            return 2;
        }
        double[] grid = alphas != null ? alphas : RidgeFit.defaultRelativeAlphas();
        long t0 = System.nanoTime();
        EmbeddingBank bank;
        CalibrationBlock block;
        if (source.dataset != null) {
            try (DatasetFormat.Dataset ds = DatasetFormat.open(source.dataset)) {
                bank = source.bankDir != null ? EmbeddingBank.read(source.bankDir) : ds.bank();
                block = CalibrationBlock.fromDataset(ds, bank, split, timeBin, maxEpochs);
            }
        } else {
            bank = EmbeddingBank.read(source.bankDir);
            List<Epoch> epochs = source.readSession(kafka);
            if (epochs.isEmpty()) {
                System.err.println("error: no epochs of session " + source.session + " on topic " + source.topic);
                return 1;
            }
            block = CalibrationBlock.fromEpochs(epochs, bank, split, timeBin, maxEpochs);
        }
        CalibrationBlock.Skipped skipped = block.skipped();
        RidgeCalibrator cal = block.calibrator();
        System.out.printf(Locale.ROOT, "calibration block: %d labelled epochs (skipped: %d other split/unlabelled, "
                + "%d images not in the bank, %d before the preprocessing froze)%n", cal.size(),
                skipped.otherSplitOrUnlabelled(), skipped.notInBank(), skipped.uncalibrated());
        if (cal.size() < 3) {
            System.err.println("error: too few labelled epochs to calibrate (" + cal.size() + ")");
            return 1;
        }
        RidgeModel model = cal.fit(grid, bank.model(), line -> System.out.println("  " + line));
        model.save(out);
        System.out.printf(Locale.ROOT, "saved %s (alpha %.4g, preprocessing %s) in %.1f s%n", out, model.alpha(),
                model.signature().preprocessingId(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
