package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.offline.EpochComparison;
import io.mindstream.processor.offline.OfflineEpocher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Epochs do not depend on how the stream was cut into chunks, nor on where the markers fall among them. */
class ChunkingPropertyTest {

    static final int C = 3;
    static final long SAMPLES = 7200;

    /** Fixed seed: every run checks the same cases; a failure names the seed and case index to reproduce it. */
    static final long SEED = 0x6d696e6473747265L;
    static final int CASES = 15;
    static final int MIN_CHUNKS = 1, MAX_CHUNKS = 6, MIN_CHUNK = 1, MAX_CHUNK = 60;
    static final int MIN_FIRST_ONSET = 700, MAX_FIRST_ONSET = 1200, MIN_SPACING = 1300, MAX_SPACING = 2200;

    /**
     * {@value #CASES} cases: the extremes of every range first (single-sample chunks with the earliest, closest
     * markers; the largest chunks with the latest, widest-spaced markers), then random ones from {@link #SEED}.
     */
    static Stream<Arguments> chunkingCases() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of(0, List.of(MIN_CHUNK), MIN_FIRST_ONSET, MIN_SPACING));
        cases.add(Arguments.of(1, List.of(MAX_CHUNK), MAX_FIRST_ONSET, MAX_SPACING));
        SplittableRandom rnd = new SplittableRandom(SEED);
        while (cases.size() < CASES) {
            int count = rnd.nextInt(MIN_CHUNKS, MAX_CHUNKS + 1);
            List<Integer> sizes = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                sizes.add(rnd.nextInt(MIN_CHUNK, MAX_CHUNK + 1));
            }
            cases.add(Arguments.of(cases.size(), List.copyOf(sizes), rnd.nextInt(MIN_FIRST_ONSET, MAX_FIRST_ONSET + 1),
                    rnd.nextInt(MIN_SPACING, MAX_SPACING + 1)));
        }
        return cases.stream();
    }

    static List<SampleChunk> chunked(List<Integer> sizes) {
        List<SampleChunk> out = new ArrayList<>();
        long s = 0;
        int i = 0;
        while (s < SAMPLES) {
            int n = (int) Math.min(sizes.get(i++ % sizes.size()), SAMPLES - s);
            out.addAll(Recording.continuous("p", "meg", StreamKind.MEG, C, 1200, 20.0, s, n, n, Recording::meg));
            s += n;
        }
        return out;
    }

    static List<Epoch> run(List<SampleChunk> chunks, List<Marker> markers) {
        OfflineEpocher ep = new OfflineEpocher(ProcessorConfig.defaults().withCalibrationEpochs(2), () -> 3L);
        List<Epoch> out = new ArrayList<>();
        int m = 0;
        for (SampleChunk c : chunks) {
            out.addAll(ep.accept(c));
            while (m < markers.size() && markers.get(m).timestamp() <= c.timestamps()[c.sampleCount() - 1]) {
                out.addAll(ep.accept(markers.get(m++)));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "case {0}: sizes={1} firstOnset={2} spacing={3}")
    @MethodSource("chunkingCases")
    void epochsAreIndependentOfChunkBoundaries(int caseIndex, List<Integer> sizes, int firstOnset, int spacing) {
        String where = "seed " + SEED + " case " + caseIndex + " (sizes " + sizes + ", firstOnset " + firstOnset
                + ", spacing " + spacing + ")";
        List<Marker> markers = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            markers.add(Recording.onset("p", k, 20.0 + (firstOnset + (long) k * spacing + 0.25) / 1200, "i" + k));
        }
        List<Epoch> reference = run(chunked(List.of(12)), markers);
        List<Epoch> other = run(chunked(sizes), markers);
        assertEquals(3, reference.size(), "reference epochs, " + where);
        assertEquals(reference.size(), other.size(), "epoch count, " + where);
        for (int i = 0; i < reference.size(); i++) {
            assertTrue(EpochComparison.sameIgnoringTrace(reference.get(i), other.get(i)),
                    "epoch " + i + " differs, " + where);
        }
    }

    @Test
    void eegAt500HzDecimatesBy4To125Hz() {
        List<SampleChunk> eeg = Recording.continuous("e", "eeg", StreamKind.EEG, 4, 500, 0.0, 0, 3000, 5,
                (s, c) -> (float) Math.sin(s * 0.01 + c));
        OfflineEpocher ep = new OfflineEpocher(ProcessorConfig.defaults(), () -> 1L);
        List<Epoch> out = new ArrayList<>();
        eeg.forEach(c -> out.addAll(ep.accept(c)));
        out.addAll(ep.accept(Recording.onset("e", 1, 2.0, "x")));
        assertEquals(1, out.size());
        assertEquals(125.0, out.get(0).sampleRate());
        // -0.5 … +1.0 s at 125 Hz: round(-62.5) = -62 (Java rounds half up) … +125 → 188 samples
        assertEquals(188, out.get(0).times());
        assertTrue(out.get(0).preprocessingId().startsWith("eeg:bp0.1-40/o4/notch60x4q30/fs500/d4"),
                out.get(0).preprocessingId());
    }
}
