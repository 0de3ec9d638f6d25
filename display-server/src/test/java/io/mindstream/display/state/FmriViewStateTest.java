package io.mindstream.display.state;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fMRI view's server-side state: the slice mosaic of a volume, and the stimulus one haemodynamic delay back. */
class FmriViewStateTest {

    private static SampleChunk volume(int voxels, long seq) {
        float[] v = new float[voxels];
        for (int i = 0; i < voxels; i++) {
            v[i] = 100 + i; // rising through the volume: slice by slice, row by row
        }
        return SampleChunk.ofFloats("s", "s-fmri", StreamKind.FMRI, voxels, 1 / 1.5, seq, new double[]{seq * 1.5}, v,
                TraceStamps.empty());
    }

    @Test
    void aCubicVolumeBecomesItsSlicesSideBySide() {
        FmriMosaic.Image m = FmriMosaic.of(volume(16 * 16 * 16, 7));
        assertEquals(16, m.tileWidth());
        assertEquals(16, m.tileHeight());
        assertTrue(!m.fromGeometry());
        assertEquals(16, m.slices());
        assertEquals(16, m.slicesShown());
        assertEquals(4, m.cols());
        assertEquals(64, m.width());
        assertEquals(64, m.height());
        assertEquals(7, m.volume());
        assertEquals(10.5, m.time());
        // voxel (slice k, row y, column x) lands in tile k at (x, y); values rise with the voxel index
        int prev = -1;
        for (int k = 0; k < 16; k++) {
            for (int p = 0; p < 256; p++) {
                int px = m.pixels()[((k / 4) * 16 + p / 16) * 64 + (k % 4) * 16 + p % 16] & 0xff;
                assertTrue(px >= prev, "slice " + k + " voxel " + p + ": " + px + " after " + prev);
                prev = px;
            }
        }
        assertEquals(0, m.pixels()[0] & 0xff, "the 1st percentile is black");
        assertEquals(255, m.pixels()[m.pixels().length - 1] & 0xff, "the 99th percentile is white");
    }

    @Test
    void aVolumeWithKnownDimensionsIsShownAsItsOwnSlices() {
        // 20 × 12 × 5: not cubic; the assumed shape would cut its slices wrongly
        FmriMosaic.Image m = FmriMosaic.of(volume(20 * 12 * 5, 3), new int[]{20, 12, 5});
        assertTrue(m.fromGeometry());
        assertEquals(20, m.tileWidth());
        assertEquals(12, m.tileHeight());
        assertEquals(5, m.slices());
        assertEquals(5, m.slicesShown());
        assertEquals(m.cols() * 20, m.width());
        assertEquals(((5 + m.cols() - 1) / m.cols()) * 12, m.height());
        // voxel (x, y, z) = z·240 + y·20 + x lands in tile z at (x, y): values rise along x within each row
        for (int z = 0; z < 5; z++) {
            int ox = (z % m.cols()) * 20;
            int oy = (z / m.cols()) * 12;
            for (int y = 0; y < 12; y++) {
                for (int x = 1; x < 20; x++) {
                    int a = m.pixels()[(oy + y) * m.width() + ox + x - 1] & 0xff;
                    int b = m.pixels()[(oy + y) * m.width() + ox + x] & 0xff;
                    assertTrue(b >= a, "z " + z + " y " + y + " x " + x);
                }
            }
        }
        // dimensions that do not fit the volume are not trusted
        assertTrue(!FmriMosaic.of(volume(20 * 12 * 5, 3), new int[]{20, 12, 6}).fromGeometry());
    }

    @Test
    void theDimensionsComeFromTheStreamsDescription() {
        String xml = "<?xml version=\"1.0\"?><info><name>f</name><desc><acquisition><source>scanner folder</source>"
                + "</acquisition><geometry><dimensions> 64 64 36 </dimensions><voxel_size>3 3 3</voxel_size>"
                + "</geometry></desc></info>";
        assertArrayEquals(new int[]{64, 64, 36}, StreamGeometry.dimensions(xml));
        assertNull(StreamGeometry.dimensions("<info><desc><voxels>4096</voxels></desc></info>"), "no geometry");
        assertNull(StreamGeometry.dimensions("<info><desc><geometry><dimensions>64 64</dimensions></geometry>"
                + "</desc></info>"), "two numbers");
        assertNull(StreamGeometry.dimensions("<info><desc><geometry><dimensions>64 x 36</dimensions></geometry>"
                + "</desc></info>"), "not numbers");
        assertNull(StreamGeometry.dimensions("<info><desc"), "not XML");
        assertNull(StreamGeometry.dimensions("<?xml version=\"1.0\"?><!DOCTYPE info [<!ENTITY d \"1 2 3\">]>"
                + "<info><desc><geometry><dimensions>&d;</dimensions></geometry></desc></info>"), "DTDs refused");
    }

    @Test
    void aWholeBrainVolumeIsThinnedToAtMost256By256Pixels() {
        FmriMosaic.Image m = FmriMosaic.of(volume(64 * 64 * 36, 0));
        assertTrue((long) m.width() * m.height() <= FmriMosaic.MAX_PIXELS, m.width() + " × " + m.height());
        assertTrue(m.slicesShown() < m.slices(), m.slicesShown() + " of " + m.slices());
        assertTrue((long) m.slices() * m.tileWidth() * m.tileHeight() >= 64 * 64 * 36, "every voxel has a place");
        assertEquals(m.width() * m.height(), m.pixels().length);
    }

    @Test
    void theStimulusOneDelayBackIsTheSessionsLastOnsetBeforeIt() {
        RecentStimuli r = new RecentStimuli(3);
        r.add(new Marker("a", "a-markers", 0, 10.0, "onset image=i1", null, "i1", TraceStamps.empty()));
        r.add(new Marker("a", "a-markers", 1, 11.0, "offset trial=1", null, null, TraceStamps.empty()));
        r.add(new Marker("b", "b-markers", 0, 11.5, "onset image=x", null, "x", TraceStamps.empty()));
        r.add(new Marker("a", "a-markers", 2, 12.0, "onset image=i2", null, "i2", TraceStamps.empty()));
        assertNull(r.shownAt("a", 9.9));
        assertEquals("i1", r.shownAt("a", 11.9).imageId());
        assertEquals("i2", r.shownAt("a", 12.0).imageId());
        assertEquals("x", r.shownAt("b", 20).imageId());
        r.add(new Marker("a", "a-markers", 3, 14.0, "onset image=i3", null, "i3", TraceStamps.empty()));
        r.add(new Marker("a", "a-markers", 4, 16.0, "onset image=i4", null, "i4", TraceStamps.empty()));
        assertNull(r.shownAt("a", 11.0), "only the last 3 onsets are kept");
    }
}
