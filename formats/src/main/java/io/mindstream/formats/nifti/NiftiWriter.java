package io.mindstream.formats.nifti;

import io.mindstream.formats.Geometry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Writes one 3D float32 volume as a single-file NIfTI-1 image ({@code n+1}, little endian, 352-byte offset, sform
 * from the geometry, TR in pixdim[4] with seconds as the unit, acquisition time as dcm2niix writes it in
 * {@code descrip}): what a site that converts each volume on arrival puts in the export folder.
 */
public final class NiftiWriter {

    /** Header, 4 bytes of extension flags, then the voxels. */
    public static final int VOX_OFFSET = 352;

    private NiftiWriter() {
    }

    /**
     * The file's bytes.
     *
     * @param acquisitionSeconds seconds since midnight (written as {@code Time=hhmmss.ffffff}); NaN = not written
     */
    public static byte[] float32(Geometry g, float[] voxels, double trSeconds, double acquisitionSeconds) {
        if (voxels.length != g.voxels()) {
            throw new IllegalArgumentException(voxels.length + " values for a " + g.describe() + " grid");
        }
        ByteBuffer b = ByteBuffer.allocate(VOX_OFFSET + 4 * voxels.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, NiftiHeader.N1_SIZE);
        b.put(38, (byte) 'r'); // regular = 'r' (ANALYZE legacy field nibabel and FSL still write)
        b.putShort(40, (short) 4);
        b.putShort(42, (short) g.nx());
        b.putShort(44, (short) g.ny());
        b.putShort(46, (short) g.nz());
        b.putShort(48, (short) 1);
        b.putShort(50, (short) 1);
        b.putShort(52, (short) 1);
        b.putShort(54, (short) 1);
        b.putShort(70, (short) NiftiDataType.FLOAT32.code());
        b.putShort(72, (short) 32);
        double[] vs = g.voxelSize();
        b.putFloat(76, 1f); // qfac
        b.putFloat(80, (float) vs[0]);
        b.putFloat(84, (float) vs[1]);
        b.putFloat(88, (float) vs[2]);
        b.putFloat(92, Double.isFinite(trSeconds) ? (float) trSeconds : 0f);
        b.putFloat(108, VOX_OFFSET);
        b.putFloat(112, 1f);  // scl_slope
        b.putFloat(116, 0f);  // scl_inter
        b.put(123, (byte) (2 | 8)); // mm, seconds
        if (!Double.isNaN(acquisitionSeconds)) {
            byte[] d = ("Time=" + hhmmss(acquisitionSeconds)).getBytes(StandardCharsets.US_ASCII);
            b.put(148, d, 0, Math.min(79, d.length));
        }
        b.putShort(252, (short) 0); // qform_code
        b.putShort(254, (short) 1); // sform_code: scanner anatomical
        double[] a = g.affine();
        for (int i = 0; i < 12; i++) {
            b.putFloat(280 + 4 * i, (float) a[i]);
        }
        b.put(344, "n+1".getBytes(StandardCharsets.US_ASCII));
        b.position(VOX_OFFSET);
        b.asFloatBuffer().put(voxels);
        return b.array();
    }

    /** {@code hhmmss.ffffff}, DICOM TM style. */
    public static String hhmmss(double secondsOfDay) {
        double s = ((secondsOfDay % 86400) + 86400) % 86400;
        int h = (int) (s / 3600);
        int m = (int) ((s - h * 3600) / 60);
        double sec = s - h * 3600 - m * 60;
        return String.format(Locale.ROOT, "%02d%02d%09.6f", h, m, sec);
    }
}
