package io.mindstream.processor;

import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.dsp.FilterSettings;
import io.mindstream.processor.epoch.EpochRule;
import io.mindstream.processor.fmri.FmriSettings;

import java.util.List;
import java.util.Optional;

/**
 * Everything the stream processor can be told, in one typed place; {@link #defaults()} is what
 * {@code ./mindstream process} and {@code ./mindstream epochs --offline} run with unless told otherwise.
 *
 * @param epochRules           which markers cut epochs and their spans (default: {@code onset…} −0.5 … +1.0 s)
 * @param filter               MEG/EEG filter chain and output rate (default 0.1–40 Hz, 60 Hz notches, 120 Hz)
 * @param baseline             subtract each channel's mean over the pre-onset span (MNE {@code baseline=(None, 0)})
 * @param clamp                clamp after robust scaling (±20; ≤ 0 disables)
 * @param calibrationEpochs    marker epochs per stream used to fit the robust scaler when no calibration is given
 * @param calibration          frozen MEG/EEG statistics to use from the start (overrides live fitting), if any
 * @param windowsEnabled       emit sliding windows to the {@code windows} topic
 * @param windowSeconds        sliding window length
 * @param windowStepSeconds    sliding window hop
 * @param flatThreshold        a channel whose raw peak-to-peak over an epoch is ≤ this is FLAT
 * @param peakToPeakThreshold  a channel whose scaled (pre-clamp) peak-to-peak exceeds this flags PEAK_TO_PEAK
 * @param bufferSeconds        how much recent data each stream keeps (how late a marker may arrive)
 * @param maxHoldSeconds       how much later data (seconds of a stream) may wait behind a hole in its sequence numbers
 *                             for the missing records before they are given up as lost (bounds memory; a hole that
 *                             ingest marked as lost at the source never waits)
 * @param maxGapSeconds        gaps up to this long are bridged (held values, flagged GAP); longer ones restart
 * @param clockToleranceSeconds a step between sample stamps off the nominal period by more than this is a clock
 *                              jump (flagged CLOCK)
 * @param snapshotSeconds      how often filter state is snapshotted for restart
 * @param fmri                 fMRI epoching and preprocessing
 */
public record ProcessorConfig(
        List<EpochRule> epochRules,
        FilterSettings filter,
        boolean baseline,
        double clamp,
        int calibrationEpochs,
        Optional<Calibration> calibration,
        boolean windowsEnabled,
        double windowSeconds,
        double windowStepSeconds,
        double flatThreshold,
        double peakToPeakThreshold,
        double bufferSeconds,
        double maxHoldSeconds,
        double maxGapSeconds,
        double clockToleranceSeconds,
        double snapshotSeconds,
        FmriSettings fmri) {

    public ProcessorConfig {
        epochRules = List.copyOf(epochRules);
        if (epochRules.isEmpty()) {
            throw new IllegalArgumentException("at least one epoch rule is needed");
        }
        if (calibrationEpochs < 1) {
            throw new IllegalArgumentException("calibrationEpochs must be ≥ 1, got " + calibrationEpochs);
        }
        if (!(windowSeconds > 0) || !(windowStepSeconds > 0)) {
            throw new IllegalArgumentException("window length and step must be positive");
        }
        double span = 0;
        for (EpochRule r : epochRules) {
            span = Math.max(span, r.tmax() - r.tmin());
        }
        if (!(bufferSeconds > span)) {
            throw new IllegalArgumentException("bufferSeconds (" + bufferSeconds
                    + ") must exceed the longest epoch span (" + span + " s)");
        }
        if (!(maxHoldSeconds > 0) || maxGapSeconds < 0 || snapshotSeconds <= 0) {
            throw new IllegalArgumentException("negative time rule setting");
        }
    }

    public static ProcessorConfig defaults() {
        return new ProcessorConfig(List.of(EpochRule.onsetDefault()), FilterSettings.defaults(), true, 20.0, 20,
                Optional.empty(), false, 0.25, 0.05, 0.0, 40.0, 6.0, 60.0, 2.0, 0.1, 1.0,
                FmriSettings.defaults());
    }

    public ProcessorConfig withEpochRules(List<EpochRule> rules) {
        return new ProcessorConfig(rules, filter, baseline, clamp, calibrationEpochs, calibration, windowsEnabled,
                windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds, maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withFilter(FilterSettings f) {
        return new ProcessorConfig(epochRules, f, baseline, clamp, calibrationEpochs, calibration, windowsEnabled,
                windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds, maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withCalibrationEpochs(int n) {
        return new ProcessorConfig(epochRules, filter, baseline, clamp, n, calibration, windowsEnabled,
                windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds, maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withCalibration(Calibration c) {
        return new ProcessorConfig(epochRules, filter, baseline, clamp, calibrationEpochs, Optional.ofNullable(c),
                windowsEnabled, windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds,
                maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withWindows(boolean enabled, double lengthSeconds, double stepSeconds) {
        return new ProcessorConfig(epochRules, filter, baseline, clamp, calibrationEpochs, calibration, enabled,
                lengthSeconds, stepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds, maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withTimeRules(double bufferSec, double maxHoldSec, double maxGapSec) {
        return new ProcessorConfig(epochRules, filter, baseline, clamp, calibrationEpochs, calibration,
                windowsEnabled, windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSec,
                maxHoldSec, maxGapSec, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withFmri(FmriSettings f) {
        return new ProcessorConfig(epochRules, filter, baseline, clamp, calibrationEpochs, calibration,
                windowsEnabled, windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds,
                maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, f);
    }

    public ProcessorConfig withThresholds(double flat, double peakToPeak) {
        return new ProcessorConfig(epochRules, filter, baseline, clamp, calibrationEpochs, calibration,
                windowsEnabled, windowSeconds, windowStepSeconds, flat, peakToPeak, bufferSeconds, maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withBaseline(boolean on) {
        return new ProcessorConfig(epochRules, filter, on, clamp, calibrationEpochs, calibration, windowsEnabled,
                windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds, maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    public ProcessorConfig withClamp(double limit) {
        return new ProcessorConfig(epochRules, filter, baseline, limit, calibrationEpochs, calibration,
                windowsEnabled, windowSeconds, windowStepSeconds, flatThreshold, peakToPeakThreshold, bufferSeconds,
                maxHoldSeconds, maxGapSeconds, clockToleranceSeconds, snapshotSeconds, fmri);
    }

    /** The first rule matching a marker, if any. */
    public Optional<EpochRule> ruleFor(io.mindstream.contracts.Marker m) {
        for (EpochRule r : epochRules) {
            if (r.matches(m)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
