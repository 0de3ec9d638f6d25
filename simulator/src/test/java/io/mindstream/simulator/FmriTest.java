package io.mindstream.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FmriTest {

    @Test
    void hrfPeaksAroundFiveSecondsWithAnUndershoot() {
        double best = 0, at = 0;
        for (double t = 0; t < 30; t += 0.05) {
            if (FmriGenerator.hrf(t) > best) {
                best = FmriGenerator.hrf(t);
                at = t;
            }
        }
        assertEquals(1.0, best, 1e-3);
        assertTrue(at > 4.5 && at < 5.5, "peak at " + at);
        assertTrue(FmriGenerator.hrf(15) < 0, "undershoot");
        assertEquals(0.0, FmriGenerator.hrf(0), 0.0);
    }

    @Test
    void volumesCarryTheHrfConvolvedResponseAtTheConfiguredSnr() {
        SimulationConfig base = SimulationConfig.defaults(4).toBuilder().fmriVoxels(2000).fmriSnr(0).build();
        SimulatedSubject silent = new SimulatedSubject(base);
        SimulatedSubject loud = new SimulatedSubject(base.toBuilder().fmriSnr(1.0).build());
        assertEquals(2000, loud.fmriVoxels());
        assertEquals(1.5, loud.fmriTr());
        float[] a = new float[2000], b = new float[2000];
        double sig = 0, early = 0, noise = 0, mean = 0;
        int n = 0;
        long volumes = loud.fmriVolumeCount();
        assertTrue(volumes > 100);
        for (long j = 0; j < volumes; j++) {
            loud.generateFmri(j, a);
            silent.generateFmri(j, b);
            double ss = 0;
            for (int v = 0; v < a.length; v++) {
                double d = a[v] - b[v];
                ss += d * d;
                mean += b[v];
            }
            // before the first onset (2 s lead-in + 1 s) the HRF has had no stimulus yet
            if (j * 1.5 < 3.0) {
                early += ss;
            } else if (j * 1.5 > 20) {
                sig += ss;
                n++;
            }
        }
        assertEquals(0.0, early, 0.0, "no response before the first stimulus");
        double sd = Math.sqrt(sig / (n * 2000.0));
        assertTrue(sd > 0.5 && sd < 1.5, "response sd relative to unit noise: " + sd);
        assertEquals(100.0, mean / (volumes * 2000.0), 3.0, "baseline near 100");
        // noise: two seeds' silent volumes differ by ~√2
        SimulatedSubject other = new SimulatedSubject(base.toBuilder().seed(99).build());
        silent.generateFmri(50, a);
        SimulatedSubject again = new SimulatedSubject(base);
        again.generateFmri(50, b);
        for (int v = 0; v < a.length; v++) {
            assertEquals(a[v], b[v], 0.0);
        }
        other.generateFmri(50, b);
        for (int v = 0; v < a.length; v++) {
            noise += (a[v] - b[v]) * (a[v] - b[v]);
        }
        assertTrue(noise > 0);
    }
}
