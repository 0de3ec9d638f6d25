package io.mindstream.ingest.it;

import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.formats.Geometry;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.Recorded;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import io.mindstream.simulator.export.ScannerExport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.mindstream.ingest.scanner.ScannerConfig;

import static io.mindstream.ingest.it.IngestEndToEndTest.waitFor;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The simulated subject's scanner export (files written in pieces, one per TR, one withheld) → ingest
 * {@code --scanner-dir} → the real broker's raw.fmri: the records read back equal the simulator's volumes, with the
 * same sequence numbers, one flagged gap where the file was withheld, every volume once; and a restarted ingest over
 * the same folder continues the sequence without taking a journaled volume again.
 */
class ScannerFolderIngestTest {

    static final int VOXELS = 20 * 20 * 15;
    static final double TR = 0.5;
    /** One series start for both runs of the restart test: the scanner does not restart with ingest. */
    static final double START = 12 * 3600 + 0.25;

    @TempDir
    Path tmp;

    static SimulatedSubject subject() {
        return new SimulatedSubject(SimulationConfig.defaults(7).toBuilder().fmriVoxels(VOXELS).fmriTr(TR).build());
    }

    static IngestConfig config(String session, Path journal, String bootstrap, Path folder, String streamId) {
        // LSL: a source id nothing publishes, so only the folder is ingested
        return IngestFixture.config(session, journal, bootstrap, List.of(IngestFixture.uniqueId("none")))
                .withScanner(ScannerConfig.defaults(folder).withStreamId(streamId)
                        .withWaits(Duration.ofMillis(400), Duration.ofSeconds(5)));
    }

    /** What the export wrote for volume j, as its format stores it. */
    static float[] expected(SimulatedSubject s, long j, ScannerExport.Format f) {
        float[] v = new float[VOXELS];
        s.generateFmri(j, v);
        if (f == ScannerExport.Format.DICOM) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (Math.rint(v[i] / ScannerExport.DICOM_SLOPE) * ScannerExport.DICOM_SLOPE);
            }
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(ScannerExport.Format.class)
    void exportedSeriesArrivesOnRawFmriAsTheSimulatorsVolumes(ScannerExport.Format format) throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        String id = IngestFixture.uniqueId("scanner");
        String session = "scan-" + id;
        Path folder = tmp.resolve("export");
        SimulatedSubject subject = subject();
        Geometry grid = ScannerExport.gridFor(VOXELS);
        ScannerExport export = new ScannerExport(folder, format, grid, 5.0, 12, 4, 3_000_000L, Set.of(5L), "vol",
                Double.NaN);
        try (IngestService ingest = new IngestService(config(session, tmp.resolve("journal"),
                kafka.bootstrapServers(), folder, id)).start()) {
            ScannerExport.Summary sum = export.run(subject, new AtomicBoolean());
            assertEquals(11, sum.written());
            waitFor("11 volumes journaled (" + ingest.stats().summaryLine() + ")", Duration.ofSeconds(30),
                    () -> ingest.stats().stream(id).journaled() == 11);
            assertTrue(ingest.forwarder().awaitCaughtUp(Duration.ofSeconds(60)));
            assertTrue(grid.sameAs(ingest.scanner().geometry(), 1e-4), "the stream's geometry is the export's: "
                    + ingest.scanner().geometry());
            ingest.close(Duration.ofSeconds(10));
            assertEquals(1, ingest.stats().stream(id).gaps(), "the withheld file is one gap");
            assertEquals(1, ingest.stats().stream(id).missingSamples());
            assertEquals(0, ingest.stats().stream(id).dropped());
        }
        Recorded rec = Recorded.read(kafka.bootstrapServers(), session);
        // the folder's stream is described as an LSL source would describe it, the geometry in its <desc>
        assertEquals(1, rec.descriptions.size(), rec.descriptions.toString());
        io.mindstream.lsl4j.StreamInfo described =
                io.mindstream.lsl4j.StreamInfo.fromXml(rec.descriptions.get(0).xml());
        assertEquals(id, described.sourceId());
        assertEquals(grid.voxels(), described.channelCount());
        assertEquals(grid.nx() + " " + grid.ny() + " " + grid.nz(),
                described.desc().child("geometry").childValue("dimensions"));
        List<Long> sequences = new ArrayList<>();
        double lastStamp = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rec.chunks.size(); r++) {
            SampleChunk c = rec.chunks.get(r);
            ConsumerRecord<byte[], byte[]> kr = rec.chunkRecords.get(r);
            assertEquals(id, c.streamId());
            if (c.isEnd()) {
                assertEquals(12, c.firstSequence(), "the end record sits after the last volume");
                continue;
            }
            long j = c.firstSequence();
            sequences.add(j);
            assertEquals(1, c.sampleCount());
            assertEquals(VOXELS, c.channelCount());
            assertEquals(1 / TR, c.nominalRate(), 1e-12);
            float[] got = new float[VOXELS];
            c.copyFloats(got, 0);
            assertArrayEquals(expected(subject, j, format), got, "volume " + j + " as the simulator wrote it");
            int flags = RecordHeaders.flags(kr.headers());
            if (j == 6) {
                assertEquals(1, c.lostBefore(), "volume 5 was never written");
                assertEquals(QualityFlags.GAP, flags & QualityFlags.GAP);
            } else {
                assertEquals(0, c.lostBefore(), "volume " + j);
                assertEquals(0, flags & QualityFlags.GAP, "volume " + j);
            }
            // two files that became complete between the same two listings share the listing's stamp
            assertTrue(c.timestamps()[0] >= lastStamp, "stamps do not go back");
            lastStamp = c.timestamps()[0];
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L, 11L), sequences,
                "every volume once, in acquisition order, the withheld one a hole");
    }

    @ParameterizedTest
    @EnumSource(value = ScannerExport.Format.class, names = "NIFTI")
    void aRestartContinuesTheSequenceAndTakesNoVolumeTwice(ScannerExport.Format format) throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        String id = IngestFixture.uniqueId("restart");
        String session = "scan-" + id;
        Path folder = tmp.resolve("export");
        Path journal = tmp.resolve("journal");
        SimulatedSubject subject = subject();
        Geometry grid = ScannerExport.gridFor(VOXELS);
        try (IngestService first = new IngestService(config(session, journal, kafka.bootstrapServers(), folder, id))
                .start()) {
            new ScannerExport(folder, format, grid, Double.POSITIVE_INFINITY, 6, 3, 1_000_000L, Set.of(), "vol", START)
                    .run(subject, new AtomicBoolean());
            waitFor("6 volumes journaled", Duration.ofSeconds(30), () -> first.stats().stream(id).journaled() == 6);
            assertTrue(first.forwarder().awaitCaughtUp(Duration.ofSeconds(60)));
        }
        // the first six files are still in the folder; the scanner goes on with the next six
        try (IngestService second = new IngestService(config(session, journal, kafka.bootstrapServers(), folder, id))
                .start()) {
            new ScannerExport(folder, format, grid, Double.POSITIVE_INFINITY, 12, 3, 1_000_000L,
                    Set.of(0L, 1L, 2L, 3L, 4L, 5L), "vol", START).run(subject, new AtomicBoolean());
            waitFor("6 more volumes journaled", Duration.ofSeconds(30),
                    () -> second.stats().stream(id).journaled() == 6);
            Thread.sleep(300); // a few more listings: nothing else may be taken
            assertEquals(6, second.stats().stream(id).journaled());
            assertTrue(second.forwarder().awaitCaughtUp(Duration.ofSeconds(60)));
        }
        Recorded rec = Recorded.read(kafka.bootstrapServers(), session);
        List<Long> sequences = rec.chunks.stream().filter(c -> !c.isEnd()).map(SampleChunk::firstSequence).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), sequences);
        for (SampleChunk c : rec.chunks) {
            if (!c.isEnd()) {
                float[] got = new float[VOXELS];
                c.copyFloats(got, 0);
                assertArrayEquals(expected(subject, c.firstSequence(), format), got);
                assertEquals(0, c.lostBefore());
            }
        }
    }
}
