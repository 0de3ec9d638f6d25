package io.mindstream.decoder.ridge;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.decoder.dataset.DatasetTrial;

import java.io.IOException;
import java.util.List;

/**
 * The labelled epochs a ridge decoder is calibrated on, with their targets from the bank: from a dataset export or
 * from a recorded session's epochs. An epoch counts when it names an image of the bank, belongs to the split asked
 * for ({@code any}: every labelled epoch) and, for live epochs, was cut after the preprocessing froze.
 */
public final class CalibrationBlock {

    /** Why epochs were left out. */
    public record Skipped(int otherSplitOrUnlabelled, int notInBank, int uncalibrated) {
    }

    private final RidgeCalibrator calibrator;
    private int otherSplit;
    private int notInBank;
    private int uncalibrated;

    private CalibrationBlock(RidgeCalibrator calibrator) {
        this.calibrator = calibrator;
    }

    /** The trials of a dataset export (its split column decides the split). */
    public static CalibrationBlock fromDataset(DatasetFormat.Dataset ds, EmbeddingBank bank, String split,
                                               int timeBin, int maxEpochs) throws IOException {
        CalibrationBlock b = new CalibrationBlock(new RidgeCalibrator(ds.channels(), ds.times(), timeBin, bank.dim(),
                true));
        float[] target = new float[bank.dim()];
        for (int i = 0; i < ds.trials().size() && b.room(maxEpochs); i++) {
            DatasetTrial t = ds.trials().get(i);
            if (!split.equals("any") && !split.equals(t.split())) {
                b.otherSplit++;
                continue;
            }
            int row = bank.indexOf(t.imageId());
            if (row < 0) {
                b.notInBank++;
                continue;
            }
            b.calibrator.add(ds.epoch(i, null), bank.vector(row, target), ds.preprocessingId());
        }
        return b;
    }

    /** Epochs as the live processor cut them (the marker's {@code split=} decides the split). */
    public static CalibrationBlock fromEpochs(List<Epoch> epochs, EmbeddingBank bank, String split, int timeBin,
                                              int maxEpochs) {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epochs to calibrate on");
        }
        Epoch first = epochs.get(0);
        CalibrationBlock b = new CalibrationBlock(new RidgeCalibrator(first.channels(), first.times(), timeBin,
                bank.dim(), true));
        float[] target = new float[bank.dim()];
        for (Epoch e : epochs) {
            if (!b.room(maxEpochs)) {
                break;
            }
            String img = e.trigger().imageId();
            String label = e.trigger().label() == null ? "" : e.trigger().label();
            if (img == null || (!split.equals("any") && !label.contains("split=" + split))) {
                b.otherSplit++;
                continue;
            }
            if ((e.qualityFlags() & QualityFlags.UNCALIBRATED) != 0) {
                b.uncalibrated++;
                continue;
            }
            int row = bank.indexOf(img);
            if (row < 0) {
                b.notInBank++;
                continue;
            }
            b.calibrator.add(e.data(), bank.vector(row, target), e.preprocessingId());
        }
        return b;
    }

    private boolean room(int maxEpochs) {
        return maxEpochs <= 0 || calibrator.size() < maxEpochs;
    }

    public RidgeCalibrator calibrator() {
        return calibrator;
    }

    public int size() {
        return calibrator.size();
    }

    public Skipped skipped() {
        return new Skipped(otherSplit, notInBank, uncalibrated);
    }
}
