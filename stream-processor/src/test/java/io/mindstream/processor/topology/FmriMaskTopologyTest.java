package io.mindstream.processor.topology;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.nifti.NiftiWriter;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.fmri.FmriSettings;
import io.mindstream.processor.fmri.Nifti1Mask;
import io.mindstream.processor.fmri.VoxelMask;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The voxel mask against the geometry on raw.streams, through the Kafka Streams topology (TopologyTestDriver): a
 * 64×64×36 mask on a stream described as 48×64×48 (the same 147,456 voxels) is refused with one error line and the
 * other sessions go on; a matching description changes no output; no description is today's count check; and the
 * geometry is still known after a restart (the description store).
 */
class FmriMaskTopologyTest {

    static final Geometry MASK_GRID = Geometry.axisAligned(64, 64, 36, 3, 3, 3);
    static final Geometry OTHER_AXES = Geometry.axisAligned(48, 64, 48, 3, 3, 3);
    static final int VOXELS = 147_456;
    static final String[] STORES = {ProcessorTopology.CHUNK_STORE, ProcessorTopology.SNAPSHOT_STORE,
            ProcessorTopology.MARKER_STORE, ProcessorTopology.DONE_STORE, ProcessorTopology.PROGRESS_STORE,
            ProcessorTopology.VOLUME_PART_STORE, ProcessorTopology.DESCRIPTION_STORE};

    @TempDir
    Path tmp;

    static ProcessorConfig config() {
        float[] on = new float[VOXELS];
        for (int i : new int[]{0, 4_095, 70_000, 100_001, VOXELS - 1}) {
            on[i] = 1;
        }
        VoxelMask mask = Nifti1Mask.parse(NiftiWriter.float32(MASK_GRID, on, Double.NaN, Double.NaN),
                "mask64x64x36.nii");
        return ProcessorConfig.defaults()
                .withFmri(FmriSettings.defaults().withCalibrationVolumes(4).withMask(mask));
    }

    /** A session's fMRI volumes with one stimulus (its epoch needs the volumes to 19.5 s). */
    static List<Object> session(String session, int volumes) {
        List<Object> out = new ArrayList<>(Recording.fmriVolumes(session, "bold", VOXELS, volumes));
        out.add(Math.min(2, out.size()), Recording.onset(session, 1, 11.5, "img"));
        return out;
    }

    final class Driver implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, SampleChunk> fmri;
        final TestInputTopic<String, Marker> markers;
        final TestInputTopic<String, StreamDescription> streams;
        final TestOutputTopic<String, Epoch> epochs;
        final TestOutputTopic<String, Epoch> windows;
        final ProcessorStats stats = new ProcessorStats();
        final List<SampleChunk> piped = new ArrayList<>();
        Instant time = Instant.parse("2026-11-26T10:00:00Z");

        Driver(String dir, RawReplay replay) {
            var props = io.mindstream.runtime.kafka.KafkaClients.streams("unused:9092", "ttd-" + dir, null,
                    tmp.resolve(dir), false, 1);
            driver = new TopologyTestDriver(ProcessorTopology.build(config(), stats, () -> 1L, c -> {
            }, replay), props, time);
            var key = Serdes.String();
            fmri = driver.createInputTopic(Topics.rawTopic(StreamKind.FMRI), key.serializer(),
                    ContractSerdes.sampleChunk().serializer());
            markers = driver.createInputTopic(Topics.MARKERS, key.serializer(), ContractSerdes.marker().serializer());
            streams = driver.createInputTopic(Topics.STREAMS, key.serializer(),
                    ContractSerdes.streamDescription().serializer());
            epochs = driver.createOutputTopic(Topics.EPOCHS, key.deserializer(), ContractSerdes.epoch().deserializer());
            windows = driver.createOutputTopic(Topics.WINDOWS, key.deserializer(),
                    ContractSerdes.epoch().deserializer());
        }

        void pipe(Object r) {
            time = time.plusMillis(2);
            if (r instanceof Marker m) {
                markers.pipeInput(m.session(), m, time);
            } else if (r instanceof StreamDescription d) {
                streams.pipeInput(d.session(), d, time);
            } else {
                SampleChunk c = (SampleChunk) r;
                fmri.pipeInput(c.session(), c, time);
                piped.add(c);
            }
        }

        /** What a restarted processor re-reads of raw.fmri (this driver's volumes, by offset). */
        RawReplay asRawTopic() {
            return (tp, from, through, session, stream, sink) -> {
                for (long o = from; o <= through && o < piped.size(); o++) {
                    SampleChunk c = piped.get((int) o);
                    if (c.session().equals(session) && c.streamId().equals(stream)) {
                        sink.accept(c);
                    }
                }
            };
        }

        List<Epoch> all() {
            List<Epoch> out = new ArrayList<>(epochs.readValuesToList());
            out.addAll(windows.readValuesToList());
            return out;
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    /** What the records produce, with the error lines logged meanwhile (slf4j-simple writes to System.err). */
    record Run(List<Epoch> out, List<String> errors, long rejected) {
        Map<String, List<Epoch>> bySession() {
            Map<String, List<Epoch>> m = new HashMap<>();
            out.forEach(e -> m.computeIfAbsent(e.session(), k -> new ArrayList<>()).add(e));
            return m;
        }
    }

    Run run(String dir, List<Object> records) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Driver d = new Driver(dir, RawReplay.NONE)) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            records.forEach(d::pipe);
            return new Run(d.all(), errorLines(captured), d.stats.rejectedRecords.sum());
        } finally {
            System.setErr(err);
        }
    }

    static List<String> errorLines(ByteArrayOutputStream captured) {
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" ERROR ")).toList();
    }

    /** Two sessions, interleaved; each session's description first, when given. */
    static List<Object> twoSessions(Geometry describedA, Geometry describedB) {
        List<Object> a = session("sA", 12);
        List<Object> b = session("sB", 12);
        List<Object> out = new ArrayList<>();
        if (describedA != null) {
            out.add(Recording.fmriDescription("sA", "bold", describedA));
        }
        if (describedB != null) {
            out.add(Recording.fmriDescription("sB", "bold", describedB));
        }
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i));
            out.add(b.get(i));
        }
        return out;
    }

    @Test
    void aMaskOn64x64x36IsRefusedOnAStreamDescribedAs48x64x48AndTheOtherSessionGoesOn() {
        Run refused = run("refused", twoSessions(OTHER_AXES, MASK_GRID));
        assertEquals(1, refused.errors().size(), String.join("\n", refused.errors()));
        String line = refused.errors().get(0);
        assertTrue(line.contains("mask64x64x36.nii") && line.contains("64×64×36") && line.contains("sA/bold")
                && line.contains("48×64×48"), line);
        assertEquals(12, refused.rejected(), "every volume of the refused stream, counted");
        assertFalse(refused.bySession().containsKey("sA"), "nothing cut from the refused stream");
        assertTrue(refused.bySession().get("sB").stream()
                .anyMatch(e -> e.trigger().kind() == io.mindstream.contracts.TriggerKind.FMRI_STIMULUS));
        // sB's outputs are those of a run without sA at all
        Run alone = run("alone", twoSessions(null, MASK_GRID).stream()
                .filter(r -> !(r instanceof SampleChunk c && c.session().equals("sA"))
                        && !(r instanceof Marker m && m.session().equals("sA"))).toList());
        assertEquals(alone.out(), refused.bySession().get("sB"));
    }

    @Test
    void aMatchingDescriptionGivesTheOutputOfToday() {
        Run described = run("described", twoSessions(MASK_GRID, MASK_GRID));
        Run today = run("today", twoSessions(null, null));
        assertEquals(List.of(), described.errors());
        assertEquals(0, described.rejected());
        assertFalse(today.out().isEmpty());
        assertEquals(today.out(), described.out());
    }

    @Test
    void withoutADescriptionTheVoxelCountIsCheckedAsBefore() {
        List<Object> records = new ArrayList<>(session("sA", 12)); // 147,456 voxels: the count fits, axes unknown
        records.addAll(Recording.fmriVolumes("sC", "bold", 64 * 64 * 30, 3)); // another count: refused
        Run r = run("count", records);
        assertEquals(1, r.errors().size(), String.join("\n", r.errors()));
        assertTrue(r.errors().get(0).contains("sC/bold has 122880 voxels per volume"), r.errors().get(0));
        assertEquals(3, r.rejected());
        assertFalse(r.bySession().getOrDefault("sA", List.of()).isEmpty());
    }

    @Test
    void theGeometryIsStillKnownAfterARestart() {
        List<SampleChunk> late = Recording.fmriVolumes("late", "bold", VOXELS, 10);
        List<KeyValue<String, Object>>[] saved;
        Driver before = new Driver("before", RawReplay.NONE);
        try (Driver a = before) {
            // session "early": only its description before the restart; session "late": five volumes, then a
            // description that does not fit (the stream, running on the count check, is refused from then on)
            a.pipe(Recording.fmriDescription("early", "bold", OTHER_AXES));
            late.subList(0, 5).forEach(a::pipe);
            assertFalse(a.all().isEmpty());
            a.pipe(Recording.fmriDescription("late", "bold", OTHER_AXES));
            saved = ProcessorTopologyTest.copy(a.driver, STORES);
        }
        assertFalse(saved[6].isEmpty(), "descriptions stored");
        assertFalse(saved[1].isEmpty(), "the late stream has a snapshot to be rebuilt from");
        try (Driver b = new Driver("after", before.asRawTopic())) {
            ProcessorTopologyTest.restore(b.driver, STORES, saved);
            Recording.fmriVolumes("early", "bold", VOXELS, 3).forEach(b::pipe);
            late.subList(5, 10).forEach(b::pipe);
            assertEquals(List.of(), b.all(), "neither stream is epoched after the restart");
            assertEquals(8, b.stats.rejectedRecords.sum());
        }
    }
}
