package io.mindstream.processor.fmri;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.nifti.NiftiWriter;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.offline.OfflineEpocher;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NIfTI voxel mask checked against the geometry a stream's description states (raw.streams), per axis, on voxel
 * size and on the affine: the epochers' side ({@link OfflineEpocher}, which drives the same classes as the topology).
 */
class FmriMaskGeometryTest {

    /** 64×64×36 and 48×64×48: the same 147,456 voxels. */
    static final Geometry MASK_GRID = Geometry.axisAligned(64, 64, 36, 3, 3, 3);
    static final Geometry OTHER_AXES = Geometry.axisAligned(48, 64, 48, 3, 3, 3);
    static final int VOXELS = 147_456;
    static final int[] SELECTED = {0, 4_095, 70_000, 100_001, VOXELS - 1};

    /** A mask file as a NIfTI-1 writer (with sform) writes it, parsed the way {@code --voxel-mask} reads it. */
    static VoxelMask niftiMask(Geometry grid, boolean withOrientation) {
        float[] on = new float[grid.voxels()];
        for (int i : SELECTED) {
            on[i] = 1;
        }
        byte[] file = NiftiWriter.float32(grid, on, Double.NaN, Double.NaN);
        if (!withOrientation) {
            ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putShort(254, (short) 0); // sform_code 0
        }
        return Nifti1Mask.parse(file, "mask64x64x36.nii");
    }

    static ProcessorConfig config(VoxelMask mask) {
        return ProcessorConfig.defaults().withFmri(FmriSettings.defaults().withCalibrationVolumes(4).withMask(mask));
    }

    static Geometry shifted(Geometry g, double mm) {
        double[] a = g.affine();
        a[3] += mm;
        return new Geometry(g.nx(), g.ny(), g.nz(), g.voxelSize(), a);
    }

    @Test
    void theMaskKeepsTheGridItsFileStates() {
        VoxelMask m = niftiMask(MASK_GRID, true);
        assertEquals(MASK_GRID, m.grid().geometry());
        assertTrue(m.grid().voxelSizeStated() && m.grid().oriented());
        assertFalse(niftiMask(MASK_GRID, false).grid().oriented());
        assertEquals("64×64×36 @ 3.00×3.00×3.00 mm", m.grid().describe());
    }

    @Test
    void theGeometryIsReadBackFromTheDescriptionIngestWrites() {
        Geometry g = shifted(Geometry.axisAligned(48, 64, 48, 2.5, 2.5, 3.1), -97.25);
        assertEquals(Optional.of(g), DescribedGeometry.of(Recording.fmriDescription("s", "bold", g)));
        StreamDescription none = new StreamDescription("s", "bold", io.mindstream.contracts.StreamKind.FMRI, 0,
                new io.mindstream.lsl4j.StreamInfo("bold", "fMRI", 8, 1, io.mindstream.lsl4j.ChannelFormat.FLOAT32,
                        "bold").toXml(), io.mindstream.contracts.TraceStamps.empty());
        assertEquals(Optional.empty(), DescribedGeometry.of(none));
        StreamDescription junk = new StreamDescription("s", "bold", io.mindstream.contracts.StreamKind.FMRI, 0,
                "<info><desc><geometry>", io.mindstream.contracts.TraceStamps.empty());
        assertEquals(Optional.empty(), DescribedGeometry.of(junk));
    }

    @Test
    void aMaskOn64x64x36IsRefusedOnAStreamDescribedAs48x64x48WithTheSameVoxelCount() {
        OfflineEpocher ep = new OfflineEpocher(config(niftiMask(MASK_GRID, true)), () -> 1L);
        ep.accept(Recording.fmriDescription("s", "bold", OTHER_AXES));
        List<SampleChunk> volumes = Recording.fmriVolumes("s", "bold", VOXELS, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> ep.accept(volumes.get(0)));
        String message = e.getMessage();
        assertTrue(message.contains("mask64x64x36.nii") && message.contains("64×64×36") && message.contains("s/bold")
                && message.contains("48×64×48") && !message.contains("\n"), message);
        // refused: said once; the stream's later volumes are counted and dropped
        assertTrue(ep.accept(volumes.get(1)).isEmpty());
        assertTrue(ep.accept(volumes.get(2)).isEmpty());
        assertEquals(3, ep.stats().rejectedRecords.sum());
    }

    @Test
    void aMatchingDescriptionChangesNothing() {
        VoxelMask mask = niftiMask(MASK_GRID, true);
        List<Object> records = new ArrayList<>(Recording.fmriVolumes("s", "bold", VOXELS, 14));
        records.add(5, Recording.onset("s", 1, 11.5, "img"));
        List<Epoch> plain = epochs(config(mask), records);
        records.add(0, Recording.fmriDescription("s", "bold", MASK_GRID));
        List<Epoch> described = epochs(config(mask), records);
        assertFalse(plain.isEmpty());
        assertEquals(plain, described);
    }

    /** All epochs, flushed at the end, with a fixed trace clock (so that two runs compare equal). */
    static List<Epoch> epochs(ProcessorConfig config, List<Object> records) {
        OfflineEpocher ep = new OfflineEpocher(config, () -> 1L);
        List<Epoch> out = new ArrayList<>();
        records.forEach(r -> out.addAll(ep.accept(r)));
        out.addAll(ep.flush());
        return out;
    }

    @Test
    void voxelSizeAndAffineAreComparedWhenTheMaskFileStatesThem() {
        OfflineEpocher ep = new OfflineEpocher(config(niftiMask(MASK_GRID, true)), () -> 1L);
        ep.accept(Recording.fmriDescription("s", "big", Geometry.axisAligned(64, 64, 36, 3.5, 3, 3)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ep.accept(Recording.fmriVolumes("s", "big", VOXELS, 1).get(0)));
        assertTrue(e.getMessage().contains("voxel sizes differ"), e.getMessage());
        ep.accept(Recording.fmriDescription("s", "moved", shifted(MASK_GRID, 6)));
        e = assertThrows(IllegalArgumentException.class,
                () -> ep.accept(Recording.fmriVolumes("s", "moved", VOXELS, 1).get(0)));
        assertTrue(e.getMessage().contains("affines differ by up to 6.000 mm"), e.getMessage());
        // float32 rounding of a header is not a difference
        ep.accept(Recording.fmriDescription("s", "same", shifted(MASK_GRID, 0.001)));
        ep.accept(Recording.fmriVolumes("s", "same", VOXELS, 1).get(0));

        // a mask file without sform/qform says nothing about where its grid lies: only dimensions and voxel size count
        OfflineEpocher unoriented = new OfflineEpocher(config(niftiMask(MASK_GRID, false)), () -> 1L);
        unoriented.accept(Recording.fmriDescription("s", "moved", shifted(MASK_GRID, 6)));
        unoriented.accept(Recording.fmriVolumes("s", "moved", VOXELS, 1).get(0));
        assertEquals(0, unoriented.stats().rejectedRecords.sum());
    }

    @Test
    void withoutADescriptionOnlyTheVoxelCountIsChecked() {
        OfflineEpocher ep = new OfflineEpocher(config(niftiMask(MASK_GRID, true)), () -> 1L);
        // the same count on other axes cannot be told apart without a description: accepted, as before
        ep.accept(Recording.fmriVolumes("s", "bold", VOXELS, 1).get(0));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ep.accept(Recording.fmriVolumes("s", "small", 64 * 64 * 30, 1).get(0)));
        assertTrue(e.getMessage().contains("64×64×36") && e.getMessage().contains("122880 voxels"), e.getMessage());
        assertEquals(1, ep.stats().rejectedRecords.sum());
    }

    @Test
    void aDescriptionThatComesAfterTheFirstVolumesRefusesTheStreamFromThenOn() {
        OfflineEpocher ep = new OfflineEpocher(config(niftiMask(MASK_GRID, true)), () -> 1L);
        List<SampleChunk> volumes = Recording.fmriVolumes("s", "bold", VOXELS, 6);
        List<Epoch> before = new ArrayList<>();
        for (int v = 0; v < 3; v++) {
            before.addAll(ep.accept(volumes.get(v)));
        }
        assertFalse(before.isEmpty(), "TR windows until the description comes");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ep.accept(Recording.fmriDescription("s", "bold", OTHER_AXES)));
        assertTrue(e.getMessage().contains("48×64×48"), e.getMessage());
        for (int v = 3; v < 6; v++) {
            assertTrue(ep.accept(volumes.get(v)).isEmpty());
        }
        assertEquals(4, ep.stats().rejectedRecords.sum(), "the description that refused the stream, and 3 volumes");
    }
}
