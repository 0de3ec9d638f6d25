package io.mindstream.ingest.it;

import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.nifti.NiftiWriter;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.mindstream.ingest.scanner.ScannerConfig;

import static io.mindstream.ingest.it.IngestEndToEndTest.waitFor;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The folder source's file handling, journal only (what it journals is what the forwarder sends): a half-written
 * file is not taken until complete, volumes go out in acquisition order whatever the arrival order, a file that
 * never completes and a foreign file are skipped and ingest goes on, a file that arrives after its gap was declared
 * is dropped, and a 4D NIfTI is taken volume by volume as it grows.
 */
class ScannerFolderFilesTest {

    static final Geometry GRID = Geometry.axisAligned(4, 3, 2, 3, 3, 3);
    static final double TR = 1.0;

    @TempDir
    Path tmp;

    static float[] volume(int j) {
        float[] v = new float[GRID.voxels()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 * j + i + 0.25f;
        }
        return v;
    }

    /** NIfTI volume j of the series: acquisition time 10:00:00 + j × TR, as dcm2niix records it. */
    static byte[] nifti(int j) {
        return NiftiWriter.float32(GRID, volume(j), TR, 36_000 + j * TR);
    }

    IngestService ingest(Path folder, Duration reorderWait, Duration incompleteTimeout) {
        return new IngestService(IngestFixture.config("files-" + System.nanoTime(), tmp.resolve("journal"), null,
                List.of(IngestFixture.uniqueId("none"))).withScanner(ScannerConfig.defaults(folder)
                .withWaits(reorderWait, incompleteTimeout))).start();
    }

    /** The journal's data records (the stream's description, journaled before its first volume, left out). */
    static List<JournalEntry> entries(Journal j) {
        List<JournalEntry> out = new ArrayList<>();
        try (Journal.Reader r = j.reader()) {
            JournalEntry e;
            while ((e = r.next()) != null) {
                if (e.isData()) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    @Test
    void halfWrittenFilesWaitAndVolumesGoOutInAcquisitionOrder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("export"));
        try (IngestService ingest = ingest(folder, Duration.ofSeconds(3), Duration.ofSeconds(30))) {
            Files.write(folder.resolve("b.nii"), nifti(1)); // the second volume arrives first
            byte[] first = nifti(0);
            Files.write(folder.resolve("a.nii"), Arrays.copyOf(first, first.length / 2));
            Thread.sleep(300); // sixty listings: the half file must not be taken, volume 1 must wait for volume 0
            assertEquals(0, ingest.stats().stream("scanner").journaled());
            Files.write(folder.resolve("a.nii"), Arrays.copyOfRange(first, first.length / 2, first.length),
                    StandardOpenOption.APPEND);
            waitFor("both volumes", Duration.ofSeconds(10), () -> ingest.stats().stream("scanner").journaled() == 2);
            Thread.sleep(100);
            List<JournalEntry> es = entries(ingest.journal());
            SampleChunkCodec codec = new SampleChunkCodec();
            List<SampleChunk> chunks = es.stream().map(e -> codec.decode(e.payload())).toList();
            assertEquals(2, chunks.size(), "each volume once");
            for (int j = 0; j < 2; j++) {
                assertEquals(j, chunks.get(j).firstSequence());
                float[] got = new float[GRID.voxels()];
                chunks.get(j).copyFloats(got, 0);
                assertArrayEquals(volume(j), got, "volume " + j + " in acquisition order");
                assertEquals(0, es.get(j).flags() & QualityFlags.GAP);
                long acquired = chunks.get(j).trace().get(io.mindstream.contracts.Stage.ACQUIRED);
                assertEquals(java.time.LocalTime.of(10, 0, j), java.time.Instant.ofEpochSecond(0, acquired * 1000)
                        .atZone(java.time.ZoneId.systemDefault()).toLocalTime(),
                        "ACQUIRED is the header's acquisition time (descrip Time=hhmmss)");
            }
            assertEquals(36_000.0, es.get(0).lastTimestamp() - es.get(0).clockOffset(), 1e-6,
                    "the journal keeps the acquisition time as the source stamp");
        }
    }

    @Test
    void aFileThatNeverCompletesOrIsForeignIsSkippedAndIngestGoesOn() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("export"));
        try (IngestService ingest = ingest(folder, Duration.ofMillis(400), Duration.ofMillis(300))) {
            Files.write(folder.resolve("v1.nii"), nifti(0));
            waitFor("volume 0", Duration.ofSeconds(10), () -> ingest.stats().stream("scanner").journaled() == 1);
            byte[] second = nifti(1);
            Files.write(folder.resolve("v2.nii"), Arrays.copyOf(second, second.length - 7)); // never finished
            Files.writeString(folder.resolve("notes.txt"), "scanner operator's notes, not a volume\n".repeat(10));
            Files.write(folder.resolve("v3.nii"), nifti(2));
            waitFor("volume 2 after the gap", Duration.ofSeconds(10),
                    () -> ingest.stats().stream("scanner").journaled() == 2);
            assertEquals(1, ingest.stats().stream("scanner").gaps());
            assertEquals(1, ingest.stats().stream("scanner").dropped(), "the foreign file");
            // the late rest of volume 1: its place was declared a gap, it must not go out now
            Files.write(folder.resolve("v2.nii"), Arrays.copyOfRange(second, second.length - 7, second.length),
                    StandardOpenOption.APPEND);
            waitFor("the late volume counted as dropped", Duration.ofSeconds(10),
                    () -> ingest.stats().stream("scanner").dropped() == 2);
            assertEquals(2, ingest.stats().stream("scanner").journaled());
            List<JournalEntry> es = entries(ingest.journal());
            assertEquals(List.of(0L, 2L), es.stream().map(JournalEntry::sequence).toList());
            assertEquals(QualityFlags.GAP, es.get(1).flags() & QualityFlags.GAP);
        }
    }

    @Test
    void singleFrameSlicesAreStackedIntoTheirVolumes() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("export"));
        io.mindstream.formats.dicom.DicomWriter w = new io.mindstream.formats.dicom.DicomWriter("2.25.3", "2.25.3.1", 1,
                TR, GRID, 1.0 / 64, 0);
        List<byte[]> files = new ArrayList<>();
        for (int t = 1; t <= 2; t++) {
            for (int k = 0; k < GRID.nz(); k++) {
                files.add(w.slice(t, k, 36_000 + (t - 1) * TR, volume(t - 1)).bytes());
            }
        }
        java.util.Collections.reverse(files); // the last slice of the last volume arrives first
        try (IngestService ingest = new IngestService(IngestFixture.config("slices-" + System.nanoTime(),
                tmp.resolve("journal"), null, List.of(IngestFixture.uniqueId("none"))).withScanner(
                ScannerConfig.defaults(folder).withSlicesPerVolume(GRID.nz())
                        .withWaits(Duration.ofMillis(500), Duration.ofSeconds(30)))).start()) {
            for (int f = 0; f < files.size(); f++) {
                Files.write(folder.resolve("slice" + f + ".dcm"), files.get(f));
            }
            waitFor("both volumes", Duration.ofSeconds(10), () -> ingest.stats().stream("scanner").journaled() == 2);
            Thread.sleep(100);
            List<JournalEntry> es = entries(ingest.journal());
            SampleChunkCodec codec = new SampleChunkCodec();
            assertEquals(List.of(0L, 1L), es.stream().map(JournalEntry::sequence).toList());
            for (int j = 0; j < 2; j++) {
                float[] got = new float[GRID.voxels()];
                codec.decode(es.get(j).payload()).copyFloats(got, 0);
                float[] want = volume(j);
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) (Math.rint(want[i] * 64) / 64);
                }
                assertArrayEquals(want, got, "volume " + j + " stacked from its " + GRID.nz() + " slice files");
            }
        }
    }

    @Test
    void aGrowing4dNiftiIsTakenVolumeByVolume() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("export"));
        byte[] head = NiftiWriter.float32(GRID, volume(0), TR, Double.NaN);
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putShort(48, (short) 3); // dim[4] = 3 volumes
        try (IngestService ingest = ingest(folder, Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            Path f = folder.resolve("run.nii");
            Files.write(f, head);
            waitFor("volume 0", Duration.ofSeconds(10), () -> ingest.stats().stream("scanner").journaled() == 1);
            for (int j = 1; j < 3; j++) {
                ByteBuffer b = ByteBuffer.allocate(4 * GRID.voxels()).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(volume(j));
                Files.write(f, b.array(), StandardOpenOption.APPEND);
                int want = j + 1;
                waitFor("volume " + j, Duration.ofSeconds(10),
                        () -> ingest.stats().stream("scanner").journaled() == want);
            }
            List<JournalEntry> es = entries(ingest.journal());
            SampleChunkCodec codec = new SampleChunkCodec();
            assertEquals(List.of(0L, 1L, 2L), es.stream().map(JournalEntry::sequence).toList());
            for (int j = 0; j < 3; j++) {
                float[] got = new float[GRID.voxels()];
                codec.decode(es.get(j).payload()).copyFloats(got, 0);
                assertArrayEquals(volume(j), got);
            }
        }
    }
}
