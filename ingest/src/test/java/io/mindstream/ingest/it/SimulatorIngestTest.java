package io.mindstream.ingest.it;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.stats.StreamStats;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.Recorded;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import io.mindstream.simulator.SimulationPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mindstream.ingest.it.IngestEndToEndTest.waitFor;
import static org.junit.jupiter.api.Assertions.*;

/** The simulated subject (MEG 272 ch @ 1200 Hz, markers, 100k-voxel fMRI) → ingest → Kafka, every sample accounted. */
class SimulatorIngestTest {

    @TempDir
    Path tmp;

    @Test
    void simulatedSubjectArrivesInKafkaCompleteAndInOrder() throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        String base = IngestFixture.uniqueId("sim");
        String meg = base + "-meg";
        String mk = base + "-markers";
        String fmri = base + "-fmri";
        String session = "sim-" + base;
        SimulationConfig cfg = SimulationConfig.defaults(5).toBuilder().fmriVoxels(100_000).fmriTr(0.5).build();
        SimulatedSubject subject = new SimulatedSubject(cfg);
        double end = 3.6; // a block marker at 2.0 s, the first onset at 3.0 s and its offset at 3.5 s
        SimulationPublisher pub = new SimulationPublisher(subject,
                new SimulationPublisher.Options(base, base, 2.0, end, true, 12, 0));
        SimulationPublisher.Summary sum;
        try (IngestService ingest = new IngestService(IngestFixture.config(session, tmp.resolve("journal"),
                kafka.bootstrapServers(), List.of(meg, mk, fmri))).start()) {
            // LSL keeps no history for new inlets: start the subject once all three inlets are open (an outlet
            // registers an inlet's queue before answering its handshake, so nothing pushed after that is missed,
            // and closing the outlets at the end still delivers what was pushed: lsl4j DeliveryTest)
            waitFor("ingest connected to the three streams", Duration.ofSeconds(30), () -> List.of(meg, mk, fmri)
                    .stream().allMatch(id -> ingest.stats().stream(id).state() == StreamStats.State.ACTIVE));
            sum = pub.run(new AtomicBoolean(), 10);
            waitFor("everything journaled (" + sum + "; " + ingest.stats().summaryLine() + ")",
                    Duration.ofSeconds(30), () ->
                    ingest.stats().stream(meg).journaled() == sum.megSamples()
                            && ingest.stats().stream(fmri).journaled() == sum.fmriVolumes()
                            && ingest.stats().stream(mk).journaled() == sum.markers());
            assertTrue(ingest.forwarder().awaitCaughtUp(Duration.ofSeconds(60)));
            ingest.close(Duration.ofSeconds(10));
            assertEquals(0, ingest.stats().stream(meg).gaps());
            assertEquals(sum.megSamples(), ingest.stats().stream(meg).produced());
        }
        assertTrue(sum.markers() >= 3 && sum.fmriVolumes() >= 7, sum.toString());

        Recorded rec = Recorded.read(kafka.bootstrapServers(), session);
        // MEG: every sample once, in order, exactly the simulator's values
        List<SampleChunk> chunks = rec.chunksOf(meg);
        int total = (int) sum.megSamples();
        float[] got = new float[total * 272];
        long next = 0;
        for (SampleChunk c : chunks) {
            assertEquals(next, c.firstSequence());
            c.copyFloats(got, (int) next * 272);
            next += c.sampleCount();
        }
        assertEquals(total, next);
        float[] expected = new float[total * 272];
        subject.generateMeg(0, total, expected);
        assertArrayEquals(expected, got, "MEG values exactly as generated");

        // fMRI: 400 kB volumes split across records, reassembled losslessly, one per TR
        List<SampleChunk> slices = rec.chunksOf(fmri);
        assertTrue(slices.stream().anyMatch(c -> c.channelOffset() > 0), "volumes were split");
        VolumeAssembler asm = new VolumeAssembler();
        long volumes = 0;
        for (SampleChunk c : slices) {
            SampleChunk whole = asm.accept(c).orElse(null);
            if (whole != null && !whole.isEnd()) { // the stream's end (ingest stopped) is a record, not a volume
                assertEquals(volumes++, whole.firstSequence());
                assertEquals(100_000, whole.channelCount());
            }
        }
        assertEquals(sum.fmriVolumes(), volumes);

        // markers: all of them, with image ids on onsets
        List<Marker> markers = rec.markers.stream().filter(m -> m.streamId().equals(mk)).toList();
        assertEquals(sum.markers(), markers.size());
        for (Marker m : markers) {
            if (m.label().startsWith("onset")) {
                assertNotNull(m.imageId(), m.label());
                assertTrue(m.label().contains("image=" + m.imageId()));
            }
        }
    }
}
