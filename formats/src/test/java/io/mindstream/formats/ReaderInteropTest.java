package io.mindstream.formats;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files written by nibabel and pydicom (src/test/python/write_fixtures.py, at test time) in every layout we claim
 * come through our readers with nibabel's values and geometry (compare.py maps every voxel through both affines);
 * the files that must fail fail with one line naming the file and the reason.
 */
class ReaderInteropTest {

    @TempDir
    static Path tmp;
    static Path fixtures;
    static List<String> ok = new ArrayList<>();

    @BeforeAll
    static void writeFixtures() throws Exception {
        assumeTrue(FieldTools.pythonWithImagingLibraries(), "needs /usr/bin/python3 with numpy, nibabel, pydicom");
        fixtures = tmp.resolve("fixtures");
        FieldTools.Result r = FieldTools.python("write_fixtures.py", fixtures.toString());
        assertEquals(0, r.exitCode(), r.output());
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[2].equals("ok")) {
                ok.add(f[0]);
            }
        }
        assertTrue(ok.size() >= 23, "fixtures written: " + r.output());
    }

    @Test
    void everyLayoutReadsAsNibabelReadsIt() throws Exception {
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        for (String name : ok) {
            VolumeFiles.Contents c = VolumeFiles.read(fixtures.resolve(name), 0);
            assertTrue(c.complete(), name);
            assertEquals(c.declared(), c.volumes().size(), name);
            FieldTools.dump(ours, name, c.volumes());
        }
        List<String> args = new ArrayList<>(List.of(fixtures.toString(), ours.toString()));
        args.addAll(ok);
        FieldTools.Result r = FieldTools.python("compare.py", args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(ok.size(), r.output().lines().filter(l -> l.startsWith("SAME ")).count(), r.output());
    }

    @Test
    void theFixturesAreTheLayoutsTheyClaim() throws Exception {
        // nibabel chooses the byte order and the scaling: make sure the files exercise them
        assertEquals(java.nio.ByteOrder.BIG_ENDIAN,
                io.mindstream.formats.nifti.NiftiFile.read(fixtures.resolve("n1_i16_be.nii")).header().order());
        for (String name : List.of("n1_i16.nii", "n1_u16_gz.nii.gz", "n2_i16.nii", "n2_u16.nii")) {
            assertTrue(io.mindstream.formats.nifti.NiftiFile.read(fixtures.resolve(name)).header().scaled(), name);
        }
        assertEquals(2, io.mindstream.formats.nifti.NiftiFile.read(fixtures.resolve("n2_f32.nii")).header()
                .version());
        assertEquals(io.mindstream.formats.dicom.TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                io.mindstream.formats.dicom.DicomFile.read(fixtures.resolve("single_evrbe_u16.dcm")).transferSyntax());
    }

    @Test
    void dicomTimingAndOrderComeFromTheHeader() throws Exception {
        Volume v = VolumeFiles.read(fixtures.resolve("single_ivrle_s16.dcm"), 0).volumes().get(0);
        assertEquals(7, v.index(), "InstanceNumber");
        assertEquals(2.0, v.trSeconds(), 1e-12, "RepetitionTime 2000 ms");
        assertEquals(10 * 3600 + 15 * 60 + 30.25, v.acquisitionSeconds(), 1e-9, "AcquisitionTime 101530.25");
        Volume m = VolumeFiles.read(fixtures.resolve("mosaic_evrle.dcm"), 0).volumes().get(0);
        assertEquals(6, m.geometry().nx());
        assertEquals(4, m.geometry().ny());
        assertEquals(5, m.geometry().nz(), "5 slices unpacked from the 3×3 tile mosaic");
    }

    @Test
    void a4dNiftiGivesEveryVolumeWithItsTr() throws Exception {
        VolumeFiles.Contents c = VolumeFiles.read(fixtures.resolve("n2_i16_4d_gz.nii.gz"), 0);
        assertEquals(3, c.volumes().size());
        assertEquals(1.5, c.volumes().get(0).trSeconds(), 1e-6);
        assertEquals(List.of(0L, 1L, 2L), c.volumes().stream().map(Volume::index).toList());
        assertEquals(1, VolumeFiles.read(fixtures.resolve("n2_i16_4d_gz.nii.gz"), 2).volumes().size(),
                "volumes already taken are skipped");
    }

    @Test
    void aGrowing4dFileGivesItsCompleteVolumesAndThenTheRest() throws Exception {
        byte[] whole = Files.readAllBytes(fixtures.resolve("n1_f32_4d.nii"));
        int volumeBytes = 6 * 5 * 3 * 4;
        int voxOffset = whole.length - 4 * volumeBytes;
        byte[] partial = java.util.Arrays.copyOf(whole, voxOffset + 2 * volumeBytes + volumeBytes / 2);
        VolumeFiles.Contents two = VolumeFiles.parse("growing.nii", partial, 0);
        assertEquals(2, two.volumes().size(), "two and a half volumes written: two are complete");
        assertFalse(two.complete());
        VolumeFiles.Contents all = VolumeFiles.parse("growing.nii", whole, 2);
        assertTrue(all.complete());
        assertEquals(List.of(2L, 3L), all.volumes().stream().map(Volume::index).toList());
        assertArrayEquals(VolumeFiles.parse("x", whole, 0).volumes().get(1).voxels(), two.volumes().get(1).voxels());
        IncompleteFileException e = assertThrows(IncompleteFileException.class,
                () -> VolumeFiles.parse("growing.nii", java.util.Arrays.copyOf(whole, voxOffset + 10), 0));
        assertTrue(e.getMessage().startsWith("growing.nii: truncated: "), e.getMessage());
    }

    @Test
    void compressedDicomIsOneClearError() {
        Path f = fixtures.resolve("rle.dcm");
        FormatException e = assertThrows(FormatException.class, () -> VolumeFiles.read(f, 0));
        assertFalse(e instanceof IncompleteFileException);
        assertTrue(e.getMessage().startsWith(f.toString() + ": transfer syntax 1.2.840.10008.1.2.5 (RLE lossless"),
                e.getMessage());
    }

    @Test
    void truncatedFilesAreIncompleteNotGarbage() {
        Path d = fixtures.resolve("truncated.dcm");
        IncompleteFileException e = assertThrows(IncompleteFileException.class, () -> VolumeFiles.read(d, 0));
        assertTrue(e.getMessage().startsWith(d + ": truncated: "), e.getMessage());
        Path n = fixtures.resolve("truncated.nii.gz");
        IncompleteFileException e2 = assertThrows(IncompleteFileException.class, () -> VolumeFiles.read(n, 0));
        assertTrue(e2.getMessage().startsWith(n + ": truncated: "), e2.getMessage());
    }

    @Test
    void aForeignFileIsNamedAsSuch() {
        Path f = fixtures.resolve("notes.txt");
        FormatException e = assertThrows(FormatException.class, () -> VolumeFiles.read(f, 0));
        assertFalse(e instanceof IncompleteFileException);
        assertEquals(f + ": neither DICOM (no 'DICM' at byte 128) nor NIfTI (sizeof_hdr is not 348 or 540, no gzip "
                + "magic)", e.getMessage());
    }
}
