package io.mindstream.simulator;

/**
 * One trial of the paradigm: an image shown at {@code onsetSeconds} for the configured image duration.
 *
 * @param trial        trial number, 0-based, in presentation order (catch trials included)
 * @param onsetSeconds true onset on the MEG sample clock: seconds after sample 0 (sample {@code round(onset × rate)});
 *                     the marker for it is stamped {@link SimulationConfig#triggerLagSeconds()} later
 * @param imageId      the image shown: a bank id for train/test trials, {@code catch-<n>} (not in the bank) for catch
 * @param split        {@link #TRAIN}, {@link #TEST} or {@link #CATCH}
 * @param catchTrial   true for an oddball catch trial
 */
public record StimulusEvent(int trial, double onsetSeconds, String imageId, String split, boolean catchTrial) {

    public static final String TRAIN = "train";
    public static final String TEST = "test";
    public static final String CATCH = "catch";

    /** The onset as a sample index at the given rate. */
    public long onsetSample(double sampleRate) {
        return Math.round(onsetSeconds * sampleRate);
    }
}
