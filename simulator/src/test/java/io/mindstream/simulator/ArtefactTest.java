package io.mindstream.simulator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropouts are flat (all channels exactly 0) for 30–190 ms; transients are large and spatially localised. */
class ArtefactTest {

    static final int SECONDS = 40;

    @Test
    void dropoutsAreShortFullFlatlines() {
        SimulatedSubject s = new SimulatedSubject(SimulationConfig.defaults(13).toBuilder().fmriVoxels(10)
                .dropoutsPerHour(300).transientsPerHour(0).build());
        int c = s.channelCount();
        float[] buf = new float[1200 * c];
        int runs = 0, run = 0;
        for (int sec = 0; sec < SECONDS; sec++) {
            s.generateMeg(sec * 1200L, 1200, buf);
            for (int i = 0; i < 1200; i++) {
                boolean flat = true;
                for (int ch = 0; ch < c && flat; ch++) {
                    flat = buf[i * c + ch] == 0f;
                }
                if (flat) {
                    run++;
                } else if (run > 0) {
                    assertTrue(run >= 36 && run <= 228, "dropout of " + run + " samples");
                    runs++;
                    run = 0;
                }
            }
        }
        // 300/hour with one candidate per 10 s window: p = 0.83 per window, 4 windows
        assertTrue(runs >= 2 && runs <= 4, runs + " dropouts in " + SECONDS + " s");
        SimulatedSubject none = new SimulatedSubject(SimulationConfig.defaults(13).toBuilder().fmriVoxels(10)
                .dropoutsPerHour(0).build());
        none.generateMeg(0, 1200, buf);
        int zeros = 0;
        for (float v : buf) {
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(0, zeros, "no flat samples without dropouts");
    }

    @Test
    void transientsAreLargeAndLocalised() {
        SimulationConfig base = SimulationConfig.defaults(17).toBuilder().fmriVoxels(10).dropoutsPerHour(0).build();
        SimulatedSubject with = new SimulatedSubject(base.toBuilder().transientsPerHour(300).build());
        SimulatedSubject without = new SimulatedSubject(base.toBuilder().transientsPerHour(0).build());
        int c = with.channelCount();
        float[] a = new float[1200 * c], b = new float[1200 * c];
        int events = 0, touched = 0;
        for (int sec = 0; sec < SECONDS; sec++) {
            with.generateMeg(sec * 1200L, 1200, a);
            without.generateMeg(sec * 1200L, 1200, b);
            int peakSample = -1;
            double peak = 0;
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs(a[i] - b[i]);
                if (d > peak) {
                    peak = d;
                    peakSample = i / c;
                }
            }
            if (peak > 5000) {
                events++;
                int affected = 0;
                for (int ch = 0; ch < c; ch++) {
                    if (Math.abs(a[peakSample * c + ch] - b[peakSample * c + ch]) > 0.05 * peak) {
                        affected++;
                    }
                }
                assertTrue(affected < c / 4, "transient should be local: " + affected + " channels");
                assertTrue(peak > 5 * with.backgroundRms(), "transient " + peak + " fT");
            } else if (peak > 0) {
                touched++; // the tail of a transient that peaked in the previous second
            }
        }
        assertTrue(events >= 2, events + " transients in " + SECONDS + " s");
        assertTrue(touched <= events, "transients are brief: " + touched + " extra seconds touched by " + events);
    }
}
