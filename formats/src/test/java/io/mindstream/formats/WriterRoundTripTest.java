package io.mindstream.formats;

import io.mindstream.formats.dicom.DicomFile;
import io.mindstream.formats.dicom.DicomWriter;
import io.mindstream.formats.nifti.NiftiFile;
import io.mindstream.formats.nifti.NiftiWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What our writers produce (the simulator's scanner export) read back by the field's tools: dcm2niix converts the
 * DICOM mosaic series to NIfTI whose voxels equal what our DICOM reader decoded, mapped through both affines; nibabel
 * (with pydicom underneath) reads our DICOM and NIfTI files with our values and geometry.
 */
class WriterRoundTripTest {

    /** A rotated, non-square grid: a transposition or a wrong tile order cannot pass. */
    static Geometry geometry() {
        double a = Math.toRadians(8);
        double[] m = {3 * Math.cos(a), -2.5 * Math.sin(a), 0, -60, 3 * Math.sin(a), 2.5 * Math.cos(a), 0, -70, 0, 0,
                3.5, -20, 0, 0, 0, 1};
        return new Geometry(8, 6, 5, new double[]{3, 2.5, 3.5}, m);
    }

    static float[] volume(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (100 + 20 * rnd.nextGaussian());
        }
        return v;
    }

    @TempDir
    Path tmp;

    @Test
    void dcm2niixConvertsOurMosaicsToTheVoxelsWeRead() throws Exception {
        assumeTrue(FieldTools.dcm2niixAvailable(), "needs dcm2niix");
        Geometry g = geometry();
        DicomWriter w = new DicomWriter("2.25.1", "2.25.1.2", 5, 1.5, g, 1.0 / 64, 0);
        Path dcm = Files.createDirectories(tmp.resolve("dicom"));
        SplittableRandom rnd = new SplittableRandom(3);
        List<Volume> ours = new ArrayList<>();
        for (int t = 1; t <= 3; t++) {
            float[] v = volume(rnd, g.voxels());
            DicomWriter.Written f = w.mosaic(t, 36_000 + (t - 1) * 1.5, v);
            assertEquals(0, f.clamped());
            Path file = dcm.resolve(String.format("vol_%04d.dcm", t));
            Files.write(file, f.bytes());
            Volume back = DicomFile.read(file).volume();
            for (int i = 0; i < v.length; i++) {
                assertEquals(Math.rint(v[i] * 64) / 64, back.voxels()[i], 0.0, "voxel " + i);
            }
            assertTrue(back.geometry().sameAs(g, 1e-4), back.geometry() + " vs " + g);
            assertEquals(t, back.index());
            assertEquals(1.5, back.trSeconds(), 1e-9);
            assertEquals(36_000 + (t - 1) * 1.5, back.acquisitionSeconds(), 1e-5);
            ours.add(back);
        }
        NiftiFile conv = dcm2niix(dcm, Files.createDirectories(tmp.resolve("nii")));
        assertTrue(conv.complete());
        assertEquals(3, conv.completeVolumes());
        for (int t = 0; t < 3; t++) {
            Volume theirs = conv.volume(t);
            Volume mine = ours.get(t);
            assertSameVoxels(mine, theirs, "volume " + t);
        }
        assertEquals(1.5, conv.header().trSeconds(), 1e-6);
    }

    @Test
    void singleFrameSlicesStackAsDcm2niixStacksThem() throws Exception {
        assumeTrue(FieldTools.dcm2niixAvailable(), "needs dcm2niix");
        Geometry g = geometry();
        DicomWriter w = new DicomWriter("2.25.2", "2.25.2.7", 7, 2.0, g, 1.0 / 64, 0);
        Path dcm = Files.createDirectories(tmp.resolve("slices"));
        SplittableRandom rnd = new SplittableRandom(5);
        List<float[]> inputs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int t = 1; t <= 2; t++) {
            float[] v = volume(rnd, g.voxels());
            inputs.add(v);
            for (int k = 0; k < g.nz(); k++) {
                // names that sort neither by slice nor by volume
                Path f = dcm.resolve(String.format("im_%08x.dcm", rnd.nextInt() & 0x7FFFFFFF));
                Files.write(f, w.slice(t, k, 36_000 + (t - 1) * 2.0, v).bytes());
                files.add(f);
            }
        }
        java.util.Collections.shuffle(files, new java.util.Random(5));
        java.util.Map<Long, List<Volume>> byVolume = new java.util.TreeMap<>();
        for (Path f : files) {
            Volume s = DicomFile.read(f).volume();
            assertEquals(1, s.geometry().nz());
            byVolume.computeIfAbsent(s.index(), k -> new ArrayList<>()).add(s);
        }
        assertEquals(java.util.Set.of(1L, 2L), byVolume.keySet(), "slices grouped by AcquisitionNumber");
        List<Volume> ours = new ArrayList<>();
        for (long t = 1; t <= 2; t++) {
            Volume v = io.mindstream.formats.dicom.SliceStack.stack(byVolume.get(t));
            assertTrue(v.geometry().sameAs(g, 1e-4), v.geometry() + " vs " + g);
            float[] in = inputs.get((int) t - 1);
            for (int i = 0; i < in.length; i++) {
                assertEquals(Math.rint(in[i] * 64) / 64, v.voxels()[i], 0.0, "voxel " + i);
            }
            ours.add(v);
        }
        NiftiFile conv = dcm2niix(dcm, Files.createDirectories(tmp.resolve("slices-nii")));
        assertEquals(2, conv.completeVolumes());
        for (int t = 0; t < 2; t++) {
            assertSameVoxels(ours.get(t), conv.volume(t), "volume " + t);
        }
    }

    /** dcm2niix on a folder of DICOM files (uncompressed output, no sidecar): the one NIfTI it writes. */
    static NiftiFile dcm2niix(Path dicom, Path out) throws java.io.IOException {
        FieldTools.Result r = FieldTools.run(List.of("dcm2niix", "-z", "n", "-b", "n", "-f", "series", "-o",
                out.toString(), dicom.toString()), null);
        assertEquals(0, r.exitCode(), r.output());
        try (Stream<Path> s = Files.list(out)) {
            return NiftiFile.read(s.filter(p -> p.toString().endsWith(".nii")).findFirst().orElseThrow(() ->
                    new AssertionError("dcm2niix wrote no .nii:\n" + r.output())));
        }
    }

    /** Every voxel of {@code a} mapped through a's affine and back through b's lands on a voxel of b with a's value. */
    static void assertSameVoxels(Volume a, Volume b, String what) {
        Geometry ga = a.geometry(), gb = b.geometry();
        assertEquals(ga.voxels(), gb.voxels(), what + ": " + ga + " vs " + gb);
        for (int k = 0; k < ga.nz(); k++) {
            for (int j = 0; j < ga.ny(); j++) {
                for (int i = 0; i < ga.nx(); i++) {
                    double[] v = gb.voxelAt(ga.world(0, i, j, k), ga.world(1, i, j, k), ga.world(2, i, j, k));
                    int bi = (int) Math.rint(v[0]), bj = (int) Math.rint(v[1]), bk = (int) Math.rint(v[2]);
                    assertTrue(Math.abs(v[0] - bi) < 1e-3 && Math.abs(v[1] - bj) < 1e-3 && Math.abs(v[2] - bk) < 1e-3,
                            what + ": voxel " + i + "," + j + "," + k + " lands at " + java.util.Arrays.toString(v));
                    assertEquals(a.at(i, j, k), b.at(bi, bj, bk), 1e-6 * Math.abs(a.at(i, j, k)),
                            what + ": voxel " + i + "," + j + "," + k);
                }
            }
        }
    }

    @Test
    void nibabelReadsOurDicomAndNiftiWithOurValuesAndGeometry() throws Exception {
        assumeTrue(FieldTools.pythonWithImagingLibraries(), "needs /usr/bin/python3 with numpy, nibabel, pydicom");
        Geometry g = geometry();
        SplittableRandom rnd = new SplittableRandom(4);
        Path files = Files.createDirectories(tmp.resolve("files"));
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        float[] v = volume(rnd, g.voxels());
        Files.write(files.resolve("sim.dcm"), new DicomWriter("2.25.9", "2.25.9.1", 2, 2.0, g, 1.0 / 64, 0)
                .mosaic(4, 40_000, v).bytes());
        Files.write(files.resolve("sim.nii"), NiftiWriter.float32(g, v, 2.0, 40_000));
        for (String name : List.of("sim.dcm", "sim.nii")) {
            FieldTools.dump(ours, name, VolumeFiles.read(files.resolve(name), 0).volumes());
        }
        Volume n = VolumeFiles.read(files.resolve("sim.nii"), 0).volumes().get(0);
        assertArrayEquals(v, n.voxels(), "float32 NIfTI is exact");
        assertEquals(40_000, n.acquisitionSeconds(), 1e-5, "Time= in descrip, as dcm2niix writes it");
        FieldTools.Result r = FieldTools.python("compare.py", files.toString(), ours.toString(), "sim.dcm", "sim.nii");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(2, r.output().lines().filter(l -> l.startsWith("SAME ")).count(), r.output());
    }
}
