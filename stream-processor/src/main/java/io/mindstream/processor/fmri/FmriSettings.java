package io.mindstream.processor.fmri;

import java.util.Optional;

/**
 * fMRI epoching and preprocessing.
 *
 * @param hrfStartSeconds    start of the haemodynamic window after a stimulus onset (default +4 s)
 * @param hrfEndSeconds      its end (default +8 s); the stimulus epoch is the mean of the volumes inside
 * @param trWindowVolumes    volumes in the per-TR sliding window (default 3)
 * @param trWindowsEnabled   emit the per-TR window to the windows topic
 * @param detrend            running (cumulative least-squares) linear detrend per voxel
 * @param calibrationVolumes volumes used to fit the frozen z-score statistics
 * @param mask               voxels kept (all when empty)
 * @param bufferVolumes      processed volumes kept for late markers
 * @param snapshotVolumes    detrend state is snapshotted every this many volumes
 */
public record FmriSettings(double hrfStartSeconds, double hrfEndSeconds, int trWindowVolumes,
                           boolean trWindowsEnabled, boolean detrend, int calibrationVolumes,
                           Optional<VoxelMask> mask, int bufferVolumes, int snapshotVolumes) {

    public FmriSettings {
        if (!(hrfEndSeconds > hrfStartSeconds) || hrfStartSeconds < 0) {
            throw new IllegalArgumentException("haemodynamic window must be 0 ≤ start < end, got " + hrfStartSeconds
                    + " … " + hrfEndSeconds);
        }
        if (trWindowVolumes < 1 || calibrationVolumes < 2 || bufferVolumes < trWindowVolumes || snapshotVolumes < 1) {
            throw new IllegalArgumentException("bad fMRI volume counts: window " + trWindowVolumes + ", calibration "
                    + calibrationVolumes + ", buffer " + bufferVolumes + ", snapshot " + snapshotVolumes);
        }
    }

    public static FmriSettings defaults() {
        return new FmriSettings(4.0, 8.0, 3, true, true, 10, Optional.empty(), 32, 10);
    }

    public FmriSettings withMask(VoxelMask m) {
        return new FmriSettings(hrfStartSeconds, hrfEndSeconds, trWindowVolumes, trWindowsEnabled, detrend,
                calibrationVolumes, Optional.ofNullable(m), bufferVolumes, snapshotVolumes);
    }

    public FmriSettings withWindow(double start, double end, int trVolumes) {
        return new FmriSettings(start, end, trVolumes, trWindowsEnabled, detrend, calibrationVolumes, mask,
                bufferVolumes, snapshotVolumes);
    }

    public FmriSettings withCalibrationVolumes(int n) {
        return new FmriSettings(hrfStartSeconds, hrfEndSeconds, trWindowVolumes, trWindowsEnabled, detrend, n, mask,
                bufferVolumes, snapshotVolumes);
    }
}
