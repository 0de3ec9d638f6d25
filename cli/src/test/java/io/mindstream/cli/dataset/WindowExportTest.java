package io.mindstream.cli.dataset;

import io.mindstream.cli.Mindstream;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.dataset.DatasetFormat;
import io.mindstream.decoder.dataset.DatasetTrial;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import io.mindstream.simulator.StimulusEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dataset export --windows}: the exported windows are the processor's own (the same ids, data, flags and
 * preprocessing id as its offline core cuts from the same session with windows on — the core the live topology runs,
 * ProcessorTopologyTest), and every row's label and offset agree with the simulator's ground truth (its schedule of
 * true onsets, not the markers the exporter read).
 */
class WindowExportTest {

    static final int STEPS = 31; // offset bins −0.20 … +1.30 s every 50 ms

    @Test
    void windowsAreTheProcessorsAndLabelledByTheGroundTruth(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("win");
        assertEquals(0, Mindstream.newCommandLine().execute("dataset", "export", "--windows", "--out", out.toString(),
                "--trials", "36", "--seed", "3", "--test-images", "4", "--test-repeats", "3", "--no-thumbnails"));

        // the subject the command builds for these options (36 trials: 4 concepts × 6 exemplars + 4 test × 3)
        SimulationConfig cfg = SimulationConfig.defaults(3).toBuilder().concepts(4).exemplarsPerConcept(6)
                .trainRepeats(1).testImages(4).testRepeats(3).nonlinear(true).build();
        SimulatedSubject subject = new SimulatedSubject(cfg);
        ProcessorConfig pc = ProcessorConfig.defaults().withWindows(true, 0.25, 0.05);
        Map<String, Epoch> cut = new HashMap<>();
        double[] lastSample = {0};
        try (OfflineEpocher ep = new OfflineEpocher(pc)) {
            List<Epoch> all = new ArrayList<>();
            new SimulatedRecording(subject, "sim", 12).replay(r -> {
                if (r instanceof io.mindstream.contracts.SampleChunk c) {
                    lastSample[0] = c.timestamps()[c.timestamps().length - 1];
                }
                all.addAll(ep.accept(r));
            }, f -> {
            });
            all.addAll(ep.flush());
            for (Epoch e : all) {
                if (e.trigger().kind() == TriggerKind.WINDOW) {
                    cut.put(e.epochId(), e);
                }
            }
        }
        double firstCalibrated = cut.values().stream().filter(w -> (w.qualityFlags() & QualityFlags.UNCALIBRATED) == 0)
                .mapToDouble(w -> w.trigger().eventTime()).min().orElseThrow();
        Map<Integer, StimulusEvent> truth = new HashMap<>();
        for (StimulusEvent s : subject.schedule()) {
            truth.put(s.trial(), s);
        }

        try (DatasetFormat.Dataset ds = DatasetFormat.open(out)) {
            assertEquals("windows", ds.kind());
            assertEquals(272, ds.channels());
            assertEquals(30, ds.times());
            assertEquals(120.0, ds.sampleRate(), 1e-12);
            assertEquals(subject.imageIds(), ds.bank().ids(), "the same simulated subject");
            Map<Integer, Set<Long>> binsOfTrial = new HashMap<>();
            Set<String> rows = new HashSet<>();
            for (int i = 0; i < ds.trials().size(); i++) {
                DatasetTrial t = ds.trials().get(i);
                Epoch w = cut.get(t.epochId());
                assertNotNull(w, t.epochId() + " is not a window the processor cut");
                assertEquals(0, w.qualityFlags() & QualityFlags.UNCALIBRATED, "calibration-block windows left out");
                assertEquals(w.preprocessingId(), ds.preprocessingId());
                assertEquals(w.qualityFlags(), t.qualityFlags());
                assertArrayEquals(w.data(), ds.epoch(i, null), t.epochId() + ": exported data = the processor's");
                // the window ending at input sample e is window e / 60, stamped with sample e's time (e / 1200 s)
                long index = Long.parseLong(t.epochId().substring(t.epochId().lastIndexOf('/') + 1));
                assertEquals(index * 60 / 1200.0, w.trigger().eventTime(), 1e-9);

                StimulusEvent s = truth.get(t.trial());
                assertNotNull(s, "trial " + t.trial());
                assertFalse(s.catchTrial(), "catch trials have no bank image");
                assertEquals(s.imageId(), t.imageId());
                assertEquals(s.split(), t.split());
                double onset = s.onsetSeconds() + cfg.triggerLagSeconds();
                assertEquals(w.trigger().eventTime() - onset, t.offset(), 1e-9, t.epochId() + " offset");
                assertTrue(t.offset() >= -0.225 - 1e-6 && t.offset() < 1.325, "offset " + t.offset());
                assertTrue(rows.add(t.epochId() + "@" + t.trial()), "a window appears once per trial");
                long bin = Math.round(t.offset() / 0.05 + 1e-6); // a lower bin edge (x.5) is in the bin above
                assertTrue(binsOfTrial.computeIfAbsent(t.trial(), k -> new HashSet<>()).add(bin),
                        "trial " + t.trial() + " has one window in offset bin " + bin);
            }
            // every image trial whose whole span is calibrated and recorded has all 31 windows, and the windows of
            // trials only partly covered are exactly the covered ones
            int whole = 0;
            for (StimulusEvent s : subject.schedule()) {
                if (s.catchTrial()) {
                    assertFalse(binsOfTrial.containsKey(s.trial()));
                    continue;
                }
                double onset = s.onsetSeconds() + cfg.triggerLagSeconds();
                long expected = 0;
                for (Epoch w : cut.values()) {
                    double off = w.trigger().eventTime() - onset;
                    if ((w.qualityFlags() & QualityFlags.UNCALIBRATED) == 0 && off >= -0.225 - 1e-6
                            && off < 1.325 - 1e-6) {
                        expected++;
                    }
                }
                int got = binsOfTrial.getOrDefault(s.trial(), Set.of()).size();
                assertEquals(expected, got, "trial " + s.trial() + " windows");
                if (onset - 0.225 >= firstCalibrated && onset + 1.325 <= lastSample[0]) {
                    assertEquals(STEPS, got, "trial " + s.trial());
                    assertEquals(Set.copyOf(range(-4, 26)), binsOfTrial.get(s.trial()));
                    whole++;
                }
            }
            assertTrue(whole >= 10, "most trials after the calibration block are whole: " + whole);
            assertTrue(ds.trials().stream().anyMatch(t -> t.split().equals("test")), "test trials exported");
        }
    }

    /** The labeller alone: overlapping spans label a window for both trials; windows wait for their markers. */
    @Test
    void labellerWaitsForMarkersAndLabelsOverlapsForBoth() {
        WindowLabeller l = new WindowLabeller(-0.2, 1.3, 0.05);
        l.trial(new WindowLabeller.Trial(10.0, "a", "train", 1));
        // windows ending at 11.30 and 11.35: offsets 1.30 and 1.35 from trial a (the last outside its span), and
        // −0.20 and −0.15 from trial b at 11.5, whose marker is not known yet
        l.window(window(11.30));
        l.window(window(11.35));
        assertTrue(l.knownUntil(11.5).isEmpty(), "waits until markers up to 11.30 + 0.225 are known");
        l.trial(new WindowLabeller.Trial(11.5, "b", "test", 2));
        List<WindowLabeller.Labelled> got = l.knownUntil(12.0);
        assertEquals(List.of("a@1.300", "b@-0.200", "b@-0.150"), got.stream()
                .map(x -> x.trial().imageId() + "@" + String.format(java.util.Locale.ROOT, "%.3f", x.offset()))
                .toList());
        l.window(window(20.0));
        assertTrue(l.flush().isEmpty());
        assertEquals(1, l.unlabelled());
    }

    private static Epoch window(double end) {
        return new Epoch("s", "s/m/window/" + Math.round(end / 0.05), "m", io.mindstream.contracts.StreamKind.MEG,
                new io.mindstream.contracts.Trigger(TriggerKind.WINDOW, end, Math.round(end / 0.05), null, null, null),
                end - 0.24, end, 120, 1, 1, new float[1], "p", 0, io.mindstream.contracts.TraceStamps.empty());
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long k = from; k <= to; k++) {
            r.add(k);
        }
        return r;
    }
}
