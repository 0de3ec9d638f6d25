package io.mindstream.simulator;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensorLayoutTest {

    @Test
    void has272UniqueCtfLabelsWithoutTheDeadChannels() {
        SensorLayout l = SensorLayout.ctf275(272);
        assertEquals(272, l.channelCount());
        Set<String> labels = new HashSet<>(l.labels());
        assertEquals(272, labels.size());
        for (String s : l.labels()) {
            assertTrue(s.matches("M[LR][CFOPT][1-7][1-7]|MZ[CFOP]0[1-4]"), s);
        }
        for (String dead : SensorLayout.DEAD_CHANNELS) {
            assertFalse(labels.contains(dead), dead);
        }
        assertTrue(labels.containsAll(List.of("MLC11", "MRC11", "MZC01", "MLT57", "MRO11", "MLF67")));
        long left = l.labels().stream().filter(s -> s.startsWith("ML")).count();
        long right = l.labels().stream().filter(s -> s.startsWith("MR")).count();
        assertEquals(131, left);   // 132 − MLF25
        assertEquals(130, right);  // 132 − MRF43 − MRO13
    }

    @Test
    void variant271AlsoDropsMro11() {
        SensorLayout l = SensorLayout.ctf275(271);
        assertEquals(271, l.channelCount());
        assertFalse(l.labels().contains("MRO11"));
        assertThrows(IllegalArgumentException.class, () -> SensorLayout.ctf275(275));
    }

    @Test
    void positionsAreDistinctOnAHelmetAndMirrorLeftRight() {
        SensorLayout l = SensorLayout.ctf275(272);
        double minDist = Double.MAX_VALUE;
        for (int i = 0; i < l.channelCount(); i++) {
            double[] p = l.position(i);
            double r = Math.sqrt(p[0] * p[0] + p[1] * p[1] + Math.pow(p[2] - SensorLayout.HELMET_CENTRE_Z, 2));
            assertEquals(SensorLayout.HELMET_RADIUS, r, 1e-9);
            double[] q = l.position2d(i);
            assertTrue(q[0] >= 0 && q[0] <= 1 && q[1] >= 0 && q[1] <= 1, l.label(i));
            String lab = l.label(i);
            if (lab.startsWith("ML")) {
                assertTrue(p[1] > 0, lab + " should be on the left (y > 0)");
                assertTrue(q[0] < 0.5, lab + " should be drawn on the left");
                int mirror = l.labels().indexOf("MR" + lab.substring(2));
                if (mirror >= 0) {
                    assertEquals(-p[1], l.position(mirror)[1], 1e-12);
                }
            }
            for (int j = 0; j < i; j++) {
                double[] o = l.position(j);
                minDist = Math.min(minDist, Math.sqrt(Math.pow(p[0] - o[0], 2) + Math.pow(p[1] - o[1], 2)
                        + Math.pow(p[2] - o[2], 2)));
            }
        }
        assertTrue(minDist > 0.004, "sensors closer than 4 mm: " + minDist);
        // frontal sensors in front of occipital ones
        assertTrue(l.position(l.labels().indexOf("MZF01"))[0] > 0.05);
        assertTrue(l.position(l.labels().indexOf("MZO01"))[0] < -0.05);
    }
}
