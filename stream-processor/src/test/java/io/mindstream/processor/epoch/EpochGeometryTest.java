package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.dsp.FilterSettings;
import io.mindstream.processor.dsp.SosFilter;
import io.mindstream.processor.offline.OfflineEpocher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact sample indices of marker-locked epochs and sliding windows, at 1200 Hz and after decimation to 120 Hz. */
class EpochGeometryTest {

    static final int C = 3;
    static final double FS = 1200;

    static Calibration identity(int channels) {
        float[] zero = new float[channels];
        float[] one = new float[channels];
        Arrays.fill(one, 1f);
        return Calibration.of(StreamKind.MEG, Calibration.ROBUST, zero, one, "identity (test)");
    }

    /** Filters off, no decimation, no baseline, identity scaling, no clamp: epochs are raw samples. */
    static ProcessorConfig rawConfig() {
        return ProcessorConfig.defaults().withFilter(new FilterSettings(0, 0, 4, 0, 0, 30, FS))
                .withBaseline(false).withClamp(0).withCalibration(identity(C))
                .withThresholds(0, Double.MAX_VALUE);
    }

    static List<SampleChunk> indexSignal(long samples) {
        // channel c carries seq + c/4: exact in float32 for these indices
        return Recording.continuous("s1", "meg", StreamKind.MEG, C, FS, 100.0, 0, samples, 12,
                (s, c) -> s + c / 4f);
    }

    @Test
    void epochAt1200HzTakesSamplesOnsetMinus600ThroughOnsetPlus1200() {
        OfflineEpocher ep = new OfflineEpocher(rawConfig(), () -> 1L);
        ep.accept(Recording.onset("s1", 7, 100.0 + 3000 / FS + 0.3 / FS, "img7")); // nearest sample: 3000
        List<Epoch> out = new ArrayList<>();
        for (SampleChunk c : indexSignal(6000)) {
            List<Epoch> got = ep.accept(c);
            if (!got.isEmpty()) {
                // emitted by the chunk that brought sample 4200 (= onset + 1200), not later
                assertTrue(c.firstSequence() <= 4200 && 4200 < c.firstSequence() + c.sampleCount(), c.toString());
            }
            out.addAll(got);
        }
        assertEquals(1, out.size());
        Epoch e = out.get(0);
        assertEquals(1801, e.times());
        assertEquals(C, e.channels());
        assertEquals(1200.0, e.sampleRate());
        for (int t = 0; t < 1801; t++) {
            for (int c = 0; c < C; c++) {
                assertEquals(2400 + t + c / 4f, e.value(c, t), "sample " + t + " channel " + c);
            }
        }
        assertEquals(100.0 + 2400 / FS, e.tStart());
        assertEquals(100.0 + 4200 / FS, e.tEnd());
        assertEquals("s1/meg/marker/7", e.epochId());
        assertEquals(TriggerKind.MARKER, e.trigger().kind());
        assertEquals("img7", e.trigger().imageId());
        assertEquals(0, e.qualityFlags(), QualityFlags.describe(e.qualityFlags()));
    }

    @Test
    void decimatedEpochTakesEveryTenthFilteredSampleAlignedToTheOnset() {
        ProcessorConfig cfg = ProcessorConfig.defaults().withBaseline(false).withClamp(0)
                .withCalibration(identity(C));
        List<SampleChunk> chunks = Recording.continuous("s1", "meg", StreamKind.MEG, C, FS, 100.0, 0, 8000, 12,
                Recording::meg);
        // reference: the same cascade over the whole recording at once
        float[] x = new float[8000 * C];
        for (int s = 0; s < 8000; s++) {
            for (int c = 0; c < C; c++) {
                x[s * C + c] = Recording.meg((long) s, c);
            }
        }
        float[] y = new float[x.length];
        new SosFilter(cfg.filter().cascade(FS), C).process(x, 0, y, 0, 8000);

        OfflineEpocher ep = new OfflineEpocher(cfg, () -> 1L);
        ep.accept(Recording.onset("s1", 1, 100.0 + 3003 / FS, "a")); // onset sample 3003: not on the 10-grid
        List<Epoch> out = new ArrayList<>();
        chunks.forEach(c -> out.addAll(ep.accept(c)));
        assertEquals(1, out.size());
        Epoch e = out.get(0);
        assertEquals(181, e.times());
        assertEquals(120.0, e.sampleRate());
        for (int k = 0; k < 181; k++) {
            int idx = 3003 - 600 + 10 * k;
            for (int c = 0; c < C; c++) {
                assertEquals(y[idx * C + c], e.value(c, k), "k=" + k + " c=" + c);
            }
        }
        assertEquals(100.0 + 2403 / FS, e.tStart());
        assertEquals(100.0 + 4203 / FS, e.tEnd());
        assertTrue(e.preprocessingId().startsWith("meg:bp0.1-40/o4/notch60x9q30/fs1200/d10"), e.preprocessingId());
    }

    @Test
    void slidingWindowsEvery50msOver250msOnTheSampleGrid() {
        ProcessorConfig cfg = rawConfig().withFilter(new FilterSettings(0, 0, 4, 0, 0, 30, 120))
                .withWindows(true, 0.25, 0.05);
        // with a 120 Hz target and no band filters the cascade is the anti-alias filter alone: use an index
        // signal through an identity-filtered config instead to see indices
        OfflineEpocher ep = new OfflineEpocher(rawConfig().withWindows(true, 0.25, 0.05), () -> 1L);
        List<Epoch> windows = new ArrayList<>();
        indexSignal(1200).forEach(c -> windows.addAll(ep.accept(c)));
        // at 1200 Hz without decimation: 300 samples per window, hop 60; first end index 300 (first multiple of
        // 60 at or after 299)
        assertEquals(TriggerKind.WINDOW, windows.get(0).trigger().kind());
        Epoch w0 = windows.get(0);
        assertEquals(300, w0.times());
        assertEquals(1.0f, w0.value(0, 0));
        assertEquals(300.0f, w0.value(0, 299));
        assertEquals("s1/meg/window/5", w0.epochId());
        Epoch w1 = windows.get(1);
        assertEquals(61.0f, w1.value(0, 0));
        assertEquals("s1/meg/window/6", w1.epochId());
        // 1200 samples: ends 300, 360, …, 1140 → 15 windows
        assertEquals(15, windows.size());
        // and decimated: 30 samples every 60 input samples, every 10th filtered sample
        OfflineEpocher dec = new OfflineEpocher(cfg, () -> 1L);
        List<Epoch> dw = new ArrayList<>();
        indexSignal(1200).forEach(c -> dw.addAll(dec.accept(c)));
        assertEquals(30, dw.get(0).times());
        assertEquals(120.0, dw.get(0).sampleRate());
        assertEquals(100.0 + 300 / FS, dw.get(0).trigger().eventTime());
        assertEquals(100.0 + 10 / FS, dw.get(0).tStart());
    }
}
