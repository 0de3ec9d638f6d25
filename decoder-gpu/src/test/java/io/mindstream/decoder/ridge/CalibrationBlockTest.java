package io.mindstream.decoder.ridge;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.bank.EmbeddingBank;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which live epochs a calibration block takes: labelled, of the split, of a bank image, cut after the freeze. */
class CalibrationBlockTest {

    static Epoch epoch(int i, String label, String image, int flags) {
        float[] data = new float[2 * 3];
        java.util.Arrays.fill(data, i);
        return new Epoch("s", "s/meg/marker/" + i, "meg", StreamKind.MEG,
                new Trigger(TriggerKind.MARKER, i, i, label, null, image), i - 0.5, i + 1.0, 120.0, 2, 3, data,
                "meg:p", flags, TraceStamps.empty());
    }

    @Test
    void takesLabelledEpochsOfTheSplitAndTheBankCutAfterTheFreeze() {
        EmbeddingBank bank = new EmbeddingBank(List.of("a", "b"), 2, new float[]{1, 0, 0, 1}, List.of("", ""), "sim",
                List.of("b"));
        List<Epoch> epochs = new ArrayList<>();
        epochs.add(epoch(0, "onset image=a split=train", "a", QualityFlags.UNCALIBRATED)); // before the freeze
        epochs.add(epoch(1, "onset image=a split=train", "a", 0));
        epochs.add(epoch(2, "onset image=b split=test", "b", 0));                         // other split
        epochs.add(epoch(3, "onset image=z split=train", "z", 0));                         // not in the bank
        epochs.add(epoch(4, "catch trial=4", null, 0));                                    // unlabelled
        epochs.add(epoch(5, "onset image=b split=train", "b", 0));
        CalibrationBlock train = CalibrationBlock.fromEpochs(epochs, bank, "train", 1, 0);
        assertEquals(2, train.size());
        assertEquals(new CalibrationBlock.Skipped(2, 1, 1), train.skipped());
        assertEquals(3, CalibrationBlock.fromEpochs(epochs, bank, "any", 1, 0).size());
        assertEquals(1, CalibrationBlock.fromEpochs(epochs, bank, "train", 1, 1).size(), "at most max epochs");
        assertThrows(IllegalArgumentException.class, () -> CalibrationBlock.fromEpochs(List.of(), bank, "any", 1, 0));
    }
}
