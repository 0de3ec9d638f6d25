package io.mindstream.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spectral properties of the ongoing activity: mains lines, alpha band, 1/f^β background. */
class SpectrumTest {

    static final int SECONDS = 16;
    static final int NFFT = 4096; // 0.29 Hz bins at 1200 Hz

    static double[] psd(SimulationConfig cfg) {
        SimulatedSubject s = new SimulatedSubject(cfg);
        int n = SECONDS * 1200;
        float[] buf = new float[n * s.channelCount()];
        s.generateMeg(0, n, buf);
        return Signals.channelMeanPsd(buf, s.channelCount(), n, NFFT, 17);
    }

    static SimulationConfig base() {
        return SimulationConfig.defaults(3).toBuilder().fmriVoxels(10).dropoutsPerHour(0).transientsPerHour(0)
                .build();
    }

    static double peakOverNeighbours(double[] psd, double f) {
        int k = (int) Math.round(f * NFFT / 1200.0);
        double side = 0;
        int m = 0;
        for (int d = 8; d <= 24; d++) {
            side += psd[k - d] + psd[k + d];
            m += 2;
        }
        return psd[k] / (side / m);
    }

    @Test
    void mainsAt60HzAndHarmonicsOr50HzWhenConfigured() {
        double[] p60 = psd(base());
        for (double f : new double[]{60, 120, 180}) {
            assertTrue(peakOverNeighbours(p60, f) > 20, f + " Hz peak ratio " + peakOverNeighbours(p60, f));
        }
        assertTrue(peakOverNeighbours(p60, 50) < 3, "no 50 Hz line in a 60 Hz rig");
        double[] p50 = psd(base().toBuilder().lineFrequency(50).build());
        for (double f : new double[]{50, 100, 150}) {
            assertTrue(peakOverNeighbours(p50, f) > 20, f + " Hz peak ratio " + peakOverNeighbours(p50, f));
        }
        assertTrue(peakOverNeighbours(p50, 60) < 3, "no 60 Hz line in a 50 Hz rig");
    }

    @Test
    void alphaBurstsAddPowerIn8To12HzOnly() {
        double[] with = psd(base());
        double[] without = psd(base().toBuilder().alphaAmplitude(0).build());
        double alphaGain = Signals.bandPower(with, 1200, NFFT, 8, 12) / Signals.bandPower(without, 1200, NFFT, 8, 12);
        double betaGain = Signals.bandPower(with, 1200, NFFT, 20, 30) / Signals.bandPower(without, 1200, NFFT, 20, 30);
        assertTrue(alphaGain > 3, "alpha band gain " + alphaGain);
        assertEquals(1.0, betaGain, 0.15, "20-30 Hz should be unchanged");
    }

    @Test
    void backgroundFollowsOneOverFBeta() {
        for (double beta : new double[]{1.0, 2.0}) {
            SimulationConfig cfg = base().toBuilder().clean().snr(0).sensorNoise(0).backgroundBeta(beta).build();
            double slope = Signals.logLogSlope(psd(cfg), 1200, NFFT, 2, 60);
            assertEquals(-beta, slope, 0.25, "β = " + beta);
        }
    }
}
