package io.mindstream.simulator;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParadigmTest {

    static SimulatedSubject subject(double lag) {
        return new SimulatedSubject(SimulationConfig.defaults(9).toBuilder().triggerLagSeconds(lag).fmriVoxels(10)
                .concepts(40).exemplarsPerConcept(5).testImages(20).testRepeats(12).build());
    }

    @Test
    void thingsTimingAndCounts() {
        SimulatedSubject s = subject(0);
        List<StimulusEvent> ev = s.schedule();
        int trainImages = 200, test = 20;
        long catches = ev.stream().filter(StimulusEvent::catchTrial).count();
        assertEquals(trainImages + test * 12 + catches, ev.size());
        double catchFraction = (double) catches / ev.size();
        assertTrue(catchFraction > 0.08 && catchFraction < 0.10, "catch fraction " + catchFraction);
        Map<String, Integer> shown = new HashMap<>();
        for (StimulusEvent e : ev) {
            if (!e.catchTrial()) {
                shown.merge(e.imageId(), 1, Integer::sum);
            }
        }
        for (String id : s.imageIds()) {
            int expected = s.testImageIds().contains(id) ? 12 : 1;
            assertEquals(expected, shown.get(id), id);
        }
        // SOA = 500 ms image + 1000 ± 200 ms fixation within a block
        double sum = 0, min = 99, max = 0;
        int n = 0;
        for (int i = 1; i < ev.size(); i++) {
            if (i % s.config().trialsPerBlock() == 0) {
                continue;
            }
            double soa = ev.get(i).onsetSeconds() - ev.get(i - 1).onsetSeconds();
            sum += soa;
            n++;
            min = Math.min(min, soa);
            max = Math.max(max, soa);
        }
        assertTrue(min >= 1.3 - 1e-3 && max <= 1.7 + 1e-3, "SOA range " + min + " .. " + max);
        assertEquals(1.5, sum / n, 0.03);
        assertTrue(max - min > 0.3, "jitter spans the interval: " + (max - min));
        for (int i = 0; i < ev.size(); i++) {
            assertEquals(i, ev.get(i).trial());
            assertEquals(ev.get(i).onsetSeconds() * 1200, ev.get(i).onsetSample(1200), 1e-6, "onsets on the grid");
        }
    }

    @Test
    void markersFollowTheConventionsAndTheTriggerLag() {
        SimulatedSubject exact = subject(0), lagged = subject(0.15);
        List<MarkerEvent> m0 = exact.markers(), m1 = lagged.markers();
        assertEquals(m0.size(), m1.size());
        int blocks = 0;
        for (int i = 0; i < m0.size(); i++) {
            MarkerEvent a = m0.get(i), b = m1.get(i);
            assertEquals(a.label(), b.label());
            if (a.label().startsWith("block start=")) {
                assertEquals(a.seconds(), b.seconds(), 1e-9);
                blocks++;
                continue;
            }
            assertEquals(a.seconds() + 0.15, b.seconds(), 1e-9);
            StimulusEvent ev = exact.schedule().get(a.trial());
            assertEquals(ev.onsetSeconds(), lagged.schedule().get(a.trial()).onsetSeconds(), 0.0,
                    "the true onsets do not move");
            if (a.label().startsWith("onset ")) {
                assertEquals("onset image=" + ev.imageId() + " trial=" + ev.trial() + " split=" + ev.split(),
                        a.label());
                assertEquals(ev.onsetSeconds(), a.seconds(), 1e-9);
            } else if (a.label().startsWith("catch ")) {
                assertTrue(ev.catchTrial());
                assertEquals("catch trial=" + ev.trial(), a.label());
            } else {
                assertEquals("offset trial=" + ev.trial(), a.label());
                assertEquals(ev.onsetSeconds() + 0.5, a.seconds(), 1e-9);
            }
        }
        int trials = exact.schedule().size();
        assertEquals((trials + exact.config().trialsPerBlock() - 1) / exact.config().trialsPerBlock(), blocks);
        assertEquals(2 * trials + blocks, m0.size());
        for (int i = 1; i < m0.size(); i++) {
            assertTrue(m0.get(i).seconds() >= m0.get(i - 1).seconds(), "markers in time order");
        }
    }
}
