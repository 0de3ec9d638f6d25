package io.mindstream.benchmarks.decoder;

import io.mindstream.decoder.ridge.RidgeCalibrator;
import io.mindstream.decoder.ridge.RidgeFit;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One-shot timing of a ridge calibration on MEG-sized epochs (272 × 181 = 49,232 features, 768-d targets, the full
 * 17-value alpha grid with leave-one-out CV) for the epoch counts given on the command line. A fit is seconds to
 * minutes, so JMH's repeated iterations would add nothing; each line reports the phases {@link RidgeFit} logs.
 *
 * <pre>java -Xmx12g -cp benchmarks/target/benchmarks.jar io.mindstream.benchmarks.decoder.RidgeFitTiming 500 1000 2000</pre>
 */
public final class RidgeFitTiming {

    public static void main(String[] args) {
        int c = 272, t = 181, dim = 768;
        for (String a : args.length == 0 ? new String[]{"500", "1000"} : args) {
            int n = Integer.parseInt(a);
            SplittableRandom r = new SplittableRandom(n);
            RidgeCalibrator cal = new RidgeCalibrator(c, t, 1, dim, true);
            float[] x = new float[c * t];
            float[] y = new float[dim];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < y.length; i++) {
                    y[i] = (float) r.nextGaussian();
                }
                cal.add(x, y, "bench");
            }
            long t0 = System.nanoTime();
            cal.fit(RidgeFit.defaultRelativeAlphas(), "bench", line -> {
                if (!line.startsWith("alpha")) {
                    System.out.println("  n=" + n + ": " + line);
                }
            });
            System.out.printf(Locale.ROOT, "ridge fit n=%d × %d features → %d: %.1f s%n", n, c * t, dim,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
