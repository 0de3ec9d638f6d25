package io.mindstream.processor.epoch;

import io.mindstream.contracts.Marker;
import io.mindstream.processor.calibration.Calibration;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The parts of {@link StreamEpocher#restoreProgress} every stream kind shares: marking journaled markers done and
 * resuming calibration. Kept in one place so MEG/EEG and fMRI streams cannot drift apart on restart.
 */
public final class ProgressRestore {

    private ProgressRestore() {
    }

    /** Records every journaled done marker in {@code done} (marker key → marker time), as if it had just finished. */
    public static void restoreDoneMarkers(Map<String, Double> done, Collection<Marker> doneMarkers) {
        for (Marker m : doneMarkers) {
            done.put(EpochIds.markerKey(m), m.timestamp());
        }
    }

    /**
     * Resumes calibration. A calibration the stream already has (configured up front) wins; otherwise the journaled
     * frozen statistics are taken; failing both, {@code calibrationBlock} is refilled with the blocks collected
     * before the restart so collection carries on where it stopped.
     *
     * @return the calibration the stream continues with (null while still collecting)
     */
    public static Calibration restoreCalibration(Calibration current, Calibration restored,
                                                 List<float[]> calibrationBlock, List<float[]> journaledBlocks) {
        if (restored != null && current == null) {
            return restored;
        } else if (current == null) {
            calibrationBlock.clear();
            calibrationBlock.addAll(journaledBlocks);
        }
        return current;
    }
}
