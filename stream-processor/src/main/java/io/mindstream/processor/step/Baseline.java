package io.mindstream.processor.step;

/**
 * Baseline correction: subtracts from each channel its mean over the first {@code baselineTimes} samples (the span
 * from the epoch's start through the onset: MNE's {@code baseline=(None, 0)}). Stateless.
 */
public final class Baseline {

    private Baseline() {
    }

    /** In place, on channel-major {@code data} (channels × times). */
    public static void subtract(float[] data, int channels, int times, int baselineTimes) {
        int n = Math.min(baselineTimes, times);
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int t = 0; t < n; t++) {
                sum += data[c * times + t];
            }
            float mean = (float) (sum / n);
            for (int t = 0; t < times; t++) {
                data[c * times + t] -= mean;
            }
        }
    }
}
