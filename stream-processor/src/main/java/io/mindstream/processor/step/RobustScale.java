package io.mindstream.processor.step;

import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.calibration.RobustStatistics;

/**
 * Robust scaling, per channel: (x − median) / IQR with the frozen statistics, or, until they are frozen, with the
 * block's own (a channel without spread is divided by 1). Stateless: the statistics belong to
 * {@link FrozenStatistics}.
 */
public final class RobustScale {

    private RobustScale() {
    }

    /** In place, on channel-major {@code data}; {@code frozen} null means "use the block's own". */
    public static void apply(float[] data, int channels, int times, Calibration frozen) {
        if (frozen != null) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < times; t++) {
                    int i = c * times + t;
                    data[i] = frozen.apply(c, data[i]);
                }
            }
            return;
        }
        float[][] s = RobustStatistics.medianIqr(data, channels, times);
        float[] center = s[0];
        float[] spread = s[1];
        for (int c = 0; c < channels; c++) {
            float sp = spread[c] > 0 ? spread[c] : 1f;
            for (int t = 0; t < times; t++) {
                int i = c * times + t;
                data[i] = (data[i] - center[c]) / sp;
            }
        }
    }
}
