package io.mindstream.processor.calibration;

import java.util.Arrays;

/** Per-channel order statistics with numpy's default (linear) percentile interpolation. */
public final class RobustStatistics {

    private RobustStatistics() {
    }

    /** numpy.percentile(v, p) with the default "linear" method; sorts {@code sorted} in place. */
    public static double percentile(float[] values, int n, double p) {
        Arrays.sort(values, 0, n);
        return percentileSorted(values, n, p);
    }

    static double percentileSorted(float[] sorted, int n, double p) {
        if (n == 0) {
            return Double.NaN;
        }
        double pos = p / 100.0 * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, n - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - (double) sorted[lo]) * frac;
    }

    /**
     * Median and IQR per channel of a channel-major block ({@code data[c * times + t]}).
     *
     * @return {@code {median[], iqr[]}}
     */
    public static float[][] medianIqr(float[] channelMajor, int channels, int times) {
        float[] median = new float[channels];
        float[] iqr = new float[channels];
        float[] row = new float[times];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(channelMajor, c * times, row, 0, times);
            Arrays.sort(row);
            median[c] = (float) percentileSorted(row, times, 50);
            iqr[c] = (float) (percentileSorted(row, times, 75) - percentileSorted(row, times, 25));
        }
        return new float[][]{median, iqr};
    }
}
