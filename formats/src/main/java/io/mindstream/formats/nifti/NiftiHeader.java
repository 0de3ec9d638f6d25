package io.mindstream.formats.nifti;

import io.mindstream.formats.FormatException;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.IncompleteFileException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fields of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) single-file header that a volume reader needs, in either
 * byte order (told by {@code sizeof_hdr}). Offsets from nifti1.h and nifti2.h.
 *
 * @param version     1 or 2
 * @param order       byte order of header and data
 * @param dims        dim[1..] as read ({@code dims.length} = dim[0])
 * @param dataType    voxel type
 * @param pixdim      pixdim[0..7] (pixdim[0] is qfac, pixdim[4] the TR in {@code xyzt_units})
 * @param voxOffset   byte offset of the first voxel
 * @param slope       scl_slope (0 or NaN: no scaling)
 * @param intercept   scl_inter
 * @param timeUnitSec seconds per unit of pixdim[4] ({@code xyzt_units}; 1 when unset)
 * @param description the {@code descrip} text (dcm2niix writes {@code Time=hhmmss.ffffff} there)
 * @param geometry    grid of the first three dimensions and the sform (else qform, else pixdim) affine
 * @param oriented    whether that affine is the file's own (sform or qform code set); false: made up from pixdim,
 *                    so it says nothing about where the grid lies (a mask compared with a stream's grid must not
 *                    be refused for it)
 */
public record NiftiHeader(int version, ByteOrder order, long[] dims, NiftiDataType dataType, double[] pixdim,
                          long voxOffset, double slope, double intercept, double timeUnitSec, String description,
                          Geometry geometry, boolean oriented) {

    static final int N1_SIZE = 348;
    static final int N2_SIZE = 540;

    /** Volumes along the 4th dimension (1 for a 3D file). */
    public long volumes() {
        return dims.length >= 4 ? Math.max(1, dims[3]) : 1;
    }

    /** Bytes of one 3D volume. */
    public long volumeBytes() {
        return (long) geometry.voxels() * dataType.bytes();
    }

    /** The TR in seconds from pixdim[4], NaN when not set. */
    public double trSeconds() {
        double tr = pixdim[4] * timeUnitSec;
        return dims.length >= 4 && tr > 0 && Double.isFinite(tr) ? tr : Double.NaN;
    }

    /** True when {@code scl_slope} asks for scaling (NIfTI: 0 means none). */
    public boolean scaled() {
        return slope != 0 && Double.isFinite(slope) && !(slope == 1 && (intercept == 0 || !Double.isFinite(intercept)));
    }

    /** Parses a single-file header at the start of {@code b} ({@code length} valid bytes). */
    public static NiftiHeader parse(String source, byte[] b, int length) {
        return parse(source, b, length, false);
    }

    /**
     * Parses the header at the start of {@code b}; {@code pair}: it is a {@code .hdr} whose voxels are in a separate
     * {@code .img} (magic {@code ni1}/{@code ni2}, {@code vox_offset} counted in the .img).
     */
    public static NiftiHeader parse(String source, byte[] b, int length, boolean pair) {
        if (length < 4) {
            throw new IncompleteFileException(source, length, N1_SIZE, "a NIfTI header");
        }
        ByteBuffer h = ByteBuffer.wrap(b, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int size = h.getInt(0);
        if (size != N1_SIZE && size != N2_SIZE) {
            h.order(ByteOrder.BIG_ENDIAN);
            size = h.getInt(0);
            if (size != N1_SIZE && size != N2_SIZE) {
                throw new FormatException(source, "not NIfTI: sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2) "
                        + "in either byte order");
            }
        }
        if (length < size) {
            throw new IncompleteFileException(source, length, size, "the NIfTI-" + (size == N1_SIZE ? 1 : 2)
                    + " header");
        }
        return size == N1_SIZE ? parse1(source, h, pair) : parse2(source, h, pair);
    }

    private static NiftiHeader parse1(String source, ByteBuffer h, boolean pair) {
        requireMagic(source, ascii(h, 344, 4), 1, pair);
        int rank = h.getShort(40);
        long[] dims = dims(source, rank, i -> h.getShort(40 + 2 * i));
        NiftiDataType type = type(source, h.getShort(70));
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = h.getFloat(76 + 4 * i);
        }
        long voxOffset = (long) h.getFloat(108);
        double slope = h.getFloat(112);
        double inter = h.getFloat(116);
        int units = h.get(123) & 0xFF;
        String descrip = ascii(h, 148, 80);
        int qcode = h.getShort(252);
        int scode = h.getShort(254);
        double[] q = {h.getFloat(256), h.getFloat(260), h.getFloat(264), h.getFloat(268), h.getFloat(272),
                h.getFloat(276)};
        double[] s = new double[12];
        for (int i = 0; i < 12; i++) {
            s[i] = h.getFloat(280 + 4 * i);
        }
        return build(source, 1, h.order(), dims, type, pixdim,
                pair ? voxOffset : Math.max(voxOffset, N1_SIZE), slope, inter, units,
                descrip, qcode, scode, q, s);
    }

    private static NiftiHeader parse2(String source, ByteBuffer h, boolean pair) {
        requireMagic(source, ascii(h, 4, 4), 2, pair);
        long rank = h.getLong(16);
        long[] dims = dims(source, (int) Math.min(rank, 99), i -> h.getLong(16 + 8 * i));
        NiftiDataType type = type(source, h.getShort(12));
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = h.getDouble(104 + 8 * i);
        }
        long voxOffset = h.getLong(168);
        double slope = h.getDouble(176);
        double inter = h.getDouble(184);
        String descrip = ascii(h, 240, 80);
        int qcode = h.getInt(344);
        int scode = h.getInt(348);
        double[] q = new double[6];
        for (int i = 0; i < 6; i++) {
            q[i] = h.getDouble(352 + 8 * i);
        }
        double[] s = new double[12];
        for (int i = 0; i < 12; i++) {
            s[i] = h.getDouble(400 + 8 * i);
        }
        int units = h.getInt(500);
        return build(source, 2, h.order(), dims, type, pixdim,
                pair ? voxOffset : Math.max(voxOffset, N2_SIZE), slope, inter, units,
                descrip, qcode, scode, q, s);
    }

    /** {@code n+1}/{@code n+2} for a single file, {@code ni1}/{@code ni2} for a .hdr whose voxels are in a .img. */
    private static void requireMagic(String source, String magic, int version, boolean pair) {
        String want = (pair ? "ni" : "n+") + version;
        if (!magic.equals(want)) {
            throw new FormatException(source, magic.equals("ni" + version)
                    ? "a .hdr/.img pair header; open the .hdr itself (its voxels are in the .img)"
                    : "NIfTI-" + version + " magic is '" + magic + "', not " + want);
        }
    }

    private interface DimAt {
        long at(int i);
    }

    private static long[] dims(String source, int rank, DimAt dim) {
        if (rank < 1 || rank > 7) {
            throw new FormatException(source, "dim[0] = " + rank + " is not 1…7");
        }
        long[] dims = new long[rank];
        for (int i = 1; i <= rank; i++) {
            dims[i - 1] = dim.at(i);
            if (dims[i - 1] < 1) {
                throw new FormatException(source, "dim[" + i + "] = " + dims[i - 1] + " (must be ≥ 1)");
            }
        }
        for (int i = 4; i < rank; i++) {
            if (dims[i] != 1) {
                throw new FormatException(source, "dim[" + (i + 1) + "] = " + dims[i]
                        + ": 5D and higher images are not scanner volumes");
            }
        }
        return dims;
    }

    private static NiftiDataType type(String source, int code) {
        NiftiDataType t = NiftiDataType.ofCode(code);
        if (t == null) {
            throw new FormatException(source, "datatype " + code + " is not read (uint8, int8, int16, uint16, int32, "
                    + "uint32, float32 and float64 are)");
        }
        return t;
    }

    private static NiftiHeader build(String source, int version, ByteOrder order, long[] dims, NiftiDataType type,
                                     double[] pixdim, long voxOffset, double slope, double inter, int units,
                                     String descrip, int qcode, int scode, double[] q, double[] s) {
        long nx = dims[0];
        long ny = dims.length > 1 ? dims[1] : 1;
        long nz = dims.length > 2 ? dims[2] : 1;
        if (nx * ny * nz > Integer.MAX_VALUE) {
            throw new FormatException(source, "a " + nx + "×" + ny + "×" + nz + " volume exceeds 2^31 − 1 voxels");
        }
        double dx = Math.abs(pixdim[1]) > 0 ? Math.abs(pixdim[1]) : 1;
        double dy = Math.abs(pixdim[2]) > 0 ? Math.abs(pixdim[2]) : 1;
        double dz = Math.abs(pixdim[3]) > 0 ? Math.abs(pixdim[3]) : 1;
        double[] affine;
        if (scode > 0) {
            affine = new double[]{s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], 0, 0, 0, 1};
        } else if (qcode > 0) {
            affine = quaternAffine(q, pixdim[0] < 0 ? -1 : 1, dx, dy, dz);
        } else {
            affine = new double[]{dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0, 0, 0, 0, 1};
        }
        double unit = switch (units & 0x38) {
            case 16 -> 1e-3;   // NIFTI_UNITS_MSEC
            case 24 -> 1e-6;   // NIFTI_UNITS_USEC
            default -> 1.0;    // seconds, or unset
        };
        Geometry g = new Geometry((int) nx, (int) ny, (int) nz, new double[]{dx, dy, dz}, affine);
        return new NiftiHeader(version, order, dims, type, pixdim, voxOffset, slope, inter, unit, descrip.trim(), g,
                scode > 0 || qcode > 0);
    }

    /** The qform affine (nifti1.h, "METHOD 2"): rotation from quatern_b/c/d, scaled by pixdim, qfac on k. */
    static double[] quaternAffine(double[] q, double qfac, double dx, double dy, double dz) {
        double b = q[0], c = q[1], d = q[2];
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7) {
            // nifti1_io: a 180° rotation; renormalise b, c, d
            double inv = 1 / Math.sqrt(b * b + c * c + d * d);
            b *= inv;
            c *= inv;
            d *= inv;
            a = 0;
        } else {
            a = Math.sqrt(a);
        }
        double[] r = {
                a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
                2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
                2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b};
        double[] s = {dx, dy, dz * qfac};
        double[] m = new double[16];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                m[row * 4 + col] = r[row * 3 + col] * s[col];
            }
            m[row * 4 + 3] = q[3 + row];
        }
        m[15] = 1;
        return m;
    }

    private static String ascii(ByteBuffer h, int at, int max) {
        int n = 0;
        while (n < max && h.get(at + n) != 0) {
            n++;
        }
        byte[] out = new byte[n];
        h.get(at, out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
