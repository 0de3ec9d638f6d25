package io.mindstream.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SNR knob means what docs/simulator.md says: with everything else fixed by the seed, the difference between a
 * run at SNR s and one at SNR 0 is exactly the evoked field, whose RMS over 0–1 s after onsets divided by the
 * background RMS is s.
 */
class SnrDialTest {

    static SimulationConfig cfg(double snr) {
        return SimulationConfig.defaults(5).toBuilder().clean().snr(snr).fmriVoxels(10).build();
    }

    /** Measured single-trial SNR over the first trials. */
    static double measured(SimulatedSubject s, SimulatedSubject silent, int trials) {
        int c = s.channelCount();
        float[] a = new float[1200 * c], b = new float[1200 * c];
        double sig = 0, noise = 0;
        long n = 0;
        int used = 0;
        for (StimulusEvent ev : s.schedule()) {
            if (ev.catchTrial()) {
                continue;
            }
            long on = ev.onsetSample(1200);
            s.generateMeg(on, 1200, a);
            silent.generateMeg(on, 1200, b);
            for (int i = 0; i < a.length; i++) {
                double d = a[i] - b[i];
                sig += d * d;
                noise += (double) b[i] * b[i];
            }
            n += a.length;
            if (++used == trials) {
                break;
            }
        }
        return Math.sqrt(sig / n) / Math.sqrt(noise / n);
    }

    @Test
    void measuredSnrMatchesTheDialAndIsMonotonic() {
        SimulatedSubject silent = new SimulatedSubject(cfg(0));
        double previous = 0;
        for (double snr : new double[]{0.2, 0.5, 1.5}) {
            double m = measured(new SimulatedSubject(cfg(snr)), silent, 12);
            assertEquals(snr, m, 0.2 * snr, "dial " + snr + " measured " + m);
            assertTrue(m > previous, "monotonic: " + m + " after " + previous);
            previous = m;
        }
    }

    @Test
    void backgroundRmsMatchesTheConfiguredAmplitudes() {
        SimulatedSubject s = new SimulatedSubject(cfg(0));
        int c = s.channelCount();
        float[] buf = new float[12_000 * c];
        s.generateMeg(0, 12_000, buf);
        double ss = 0;
        for (float v : buf) {
            ss += (double) v * v;
        }
        double rms = Math.sqrt(ss / buf.length);
        assertEquals(s.backgroundRms(), rms, 0.2 * s.backgroundRms());
    }
}
