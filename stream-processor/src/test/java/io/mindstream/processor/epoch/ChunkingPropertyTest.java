package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.offline.EpochsCommand;
import io.mindstream.processor.offline.OfflineEpocher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Epochs do not depend on how the stream was cut into chunks, nor on where the markers fall among them. */
class ChunkingPropertyTest {

    static final int C = 3;
    static final long SAMPLES = 7200;

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

    @Property(tries = 15)
    void epochsAreIndependentOfChunkBoundaries(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 60) Integer> sizes,
                                               @ForAll @IntRange(min = 700, max = 1200) int firstOnset,
                                               @ForAll @IntRange(min = 1300, max = 2200) int spacing) {
        List<Marker> markers = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            markers.add(Recording.onset("p", k, 20.0 + (firstOnset + (long) k * spacing + 0.25) / 1200, "i" + k));
        }
        List<Epoch> reference = run(chunked(List.of(12)), markers);
        List<Epoch> other = run(chunked(sizes), markers);
        assertEquals(3, reference.size());
        assertEquals(reference.size(), other.size());
        for (int i = 0; i < reference.size(); i++) {
            assertTrue(EpochsCommand.sameIgnoringTrace(reference.get(i), other.get(i)),
                    "epoch " + i + " differs with chunk sizes " + sizes);
        }
    }

    @Property(tries = 1)
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
