package io.mindstream.cli.decode;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.KafkaEpochReader;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.decoder.dataset.DatasetTrial;
import io.mindstream.decoder.ridge.RidgeCalibrator;
import io.mindstream.decoder.ridge.RidgeFit;
import io.mindstream.decoder.ridge.RidgeModel;
import io.mindstream.kafka.KafkaTarget;
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

    @Option(names = "--dataset", description = "read labelled epochs from a dataset export instead of Kafka")
    Path dataset;

    @Option(names = "--session", description = "with Kafka: the recorded session whose epochs form the calibration "
            + "block")
    String session;

    @Option(names = "--topic", defaultValue = "epochs", description = "with Kafka: epochs, or windows (fMRI)")
    String topic;

    @Option(names = "--split", defaultValue = "train", description = "use only epochs whose marker says split=<this> "
            + "(dataset: the split column); 'any' for all labelled epochs")
    String split;

    @Option(names = "--bank", description = "embedding bank with the targets (default: the dataset's bank)")
    Path bankDir;

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
        if ((dataset == null) == (session == null)) {
            System.err.println("error: give either --dataset DIR or --session S (a recorded session on Kafka)");
            return 2;
        }
        double[] grid = alphas != null ? alphas : RidgeFit.defaultRelativeAlphas();
        long t0 = System.nanoTime();
        RidgeCalibrator cal;
        EmbeddingBank bank;
        int[] skipped = new int[3]; // unlabelled or other split, not in bank, uncalibrated
        if (dataset != null) {
            try (DatasetFormat.Dataset ds = DatasetFormat.open(dataset)) {
                bank = bankDir != null ? EmbeddingBank.read(bankDir) : ds.bank();
                cal = new RidgeCalibrator(ds.channels(), ds.times(), timeBin, bank.dim(), true);
                float[] target = new float[bank.dim()];
                for (int i = 0; i < ds.trials().size() && (maxEpochs <= 0 || cal.size() < maxEpochs); i++) {
                    DatasetTrial t = ds.trials().get(i);
                    if (!split.equals("any") && !split.equals(t.split())) {
                        skipped[0]++;
                        continue;
                    }
                    int row = bank.indexOf(t.imageId());
                    if (row < 0) {
                        skipped[1]++;
                        continue;
                    }
                    cal.add(ds.epoch(i, null), bank.vector(row, target), ds.preprocessingId());
                }
            }
        } else {
            if (bankDir == null) {
                System.err.println("error: --bank DIR is needed with --session");
                return 2;
            }
            bank = EmbeddingBank.read(bankDir);
            List<Epoch> epochs;
            try (KafkaTarget target = kafka.open()) {
                System.out.println("reading " + topic + " of session " + session + " from " + target.describe());
                epochs = KafkaEpochReader.readSession(target.bootstrapServers(), topic, session);
            }
            if (epochs.isEmpty()) {
                System.err.println("error: no epochs of session " + session + " on topic " + topic);
                return 1;
            }
            Epoch first = epochs.get(0);
            cal = new RidgeCalibrator(first.channels(), first.times(), timeBin, bank.dim(), true);
            float[] target = new float[bank.dim()];
            for (Epoch e : epochs) {
                if (maxEpochs > 0 && cal.size() >= maxEpochs) {
                    break;
                }
                String img = e.trigger().imageId();
                String label = e.trigger().label() == null ? "" : e.trigger().label();
                if (img == null || (!split.equals("any") && !label.contains("split=" + split))) {
                    skipped[0]++;
                    continue;
                }
                if ((e.qualityFlags() & QualityFlags.UNCALIBRATED) != 0) {
                    skipped[2]++;
                    continue;
                }
                int row = bank.indexOf(img);
                if (row < 0) {
                    skipped[1]++;
                    continue;
                }
                cal.add(e.data(), bank.vector(row, target), e.preprocessingId());
            }
        }
        System.out.printf(Locale.ROOT, "calibration block: %d labelled epochs (skipped: %d other split/unlabelled, "
                + "%d images not in the bank, %d before the preprocessing froze)%n", cal.size(), skipped[0],
                skipped[1], skipped[2]);
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
