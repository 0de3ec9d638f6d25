package io.mindstream.formats;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a volume's voxels sit: the grid ({@code nx × ny × nz}, x fastest in storage), the voxel size in millimetres
 * and the voxel-to-world affine in NIfTI's convention (RAS+: x towards the subject's right, y towards anterior,
 * z towards superior, millimetres), row-major 4 × 4. Voxel {@code (i, j, k)} is value
 * {@code i + nx·(j + ny·k)}: the channel order of fMRI streams. DICOM's LPS coordinates are converted on reading.
 *
 * @param nx        voxels along i (NIfTI dim[1]; DICOM columns)
 * @param ny        voxels along j (NIfTI dim[2]; DICOM rows)
 * @param nz        voxels along k (slices)
 * @param voxelSize millimetres along i, j, k
 * @param affine    16 values, row-major: world = affine · (i, j, k, 1)
 */
public record Geometry(int nx, int ny, int nz, double[] voxelSize, double[] affine) {

    public Geometry {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("grid " + nx + "×" + ny + "×" + nz + " has an empty dimension");
        }
        if ((long) nx * ny * nz > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("grid " + nx + "×" + ny + "×" + nz + " exceeds 2^31 − 1 voxels");
        }
        if (voxelSize.length != 3 || affine.length != 16) {
            throw new IllegalArgumentException("voxel size needs 3 values and the affine 16");
        }
        voxelSize = voxelSize.clone();
        affine = affine.clone();
    }

    /** An axis-aligned grid with its first voxel at the origin (what a header without orientation means). */
    public static Geometry axisAligned(int nx, int ny, int nz, double dx, double dy, double dz) {
        return new Geometry(nx, ny, nz, new double[]{dx, dy, dz},
                new double[]{dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0, 0, 0, 0, 1});
    }

    public int voxels() {
        return nx * ny * nz;
    }

    @Override
    public double[] voxelSize() {
        return voxelSize.clone();
    }

    @Override
    public double[] affine() {
        return affine.clone();
    }

    /**
     * The geometry as a stream description says it ({@code <desc><geometry>}: {@code dimensions} "nx ny nz",
     * {@code voxel_size} "dx dy dz", {@code affine} the 16 values row-major, space-separated): one writer for every
     * source that describes its volumes (the scanner folder, the simulator's LSL outlet).
     */
    public void describeTo(java.util.function.BiConsumer<String, String> field) {
        field.accept("dimensions", nx + " " + ny + " " + nz);
        field.accept("voxel_size", words(voxelSize));
        field.accept("affine", words(affine));
    }

    /**
     * The geometry a stream description states, read back from the fields {@link #describeTo} writes
     * ({@code field} gives a field's text, "" when absent); empty unless all three are there and parse (a grid
     * without its voxel size and affine is not a geometry).
     */
    public static java.util.Optional<Geometry> fromDescription(java.util.function.Function<String, String> field) {
        double[] dims = numbers(field.apply("dimensions"), 3);
        double[] size = numbers(field.apply("voxel_size"), 3);
        double[] affine = numbers(field.apply("affine"), 16);
        if (dims == null || size == null || affine == null) {
            return java.util.Optional.empty();
        }
        for (double d : dims) {
            if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
                return java.util.Optional.empty();
            }
        }
        try {
            return java.util.Optional.of(new Geometry((int) dims[0], (int) dims[1], (int) dims[2], size, affine));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Exactly {@code count} finite space-separated numbers, or null. */
    private static double[] numbers(String text, int count) {
        String[] parts = text == null ? new String[0] : text.strip().split("\\s+");
        if (parts.length != count) {
            return null;
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(out[i])) {
                return null;
            }
        }
        return out;
    }

    private static String words(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.isEmpty() ? "" : " ").append(v);
        }
        return sb.toString();
    }

    /** World coordinate {@code axis} (0 x, 1 y, 2 z) of voxel (i, j, k), millimetres. */
    public double world(int axis, double i, double j, double k) {
        int r = axis * 4;
        return affine[r] * i + affine[r + 1] * j + affine[r + 2] * k + affine[r + 3];
    }

    /**
     * The voxel coordinates (i, j, k, fractional) of a world point: the affine inverted (its 3 × 3 part by the
     * adjugate). For mapping one grid onto another, e.g. a mask onto a stream's volumes.
     */
    public double[] voxelAt(double x, double y, double z) {
        double[] a = affine;
        double m00 = a[0], m01 = a[1], m02 = a[2], m10 = a[4], m11 = a[5], m12 = a[6], m20 = a[8], m21 = a[9],
                m22 = a[10];
        double det = m00 * (m11 * m22 - m12 * m21) - m01 * (m10 * m22 - m12 * m20) + m02 * (m10 * m21 - m11 * m20);
        if (det == 0) {
            throw new IllegalStateException("singular affine: " + Arrays.toString(a));
        }
        double px = x - a[3], py = y - a[7], pz = z - a[11];
        return new double[]{
                ((m11 * m22 - m12 * m21) * px - (m01 * m22 - m02 * m21) * py + (m01 * m12 - m02 * m11) * pz) / det,
                (-(m10 * m22 - m12 * m20) * px + (m00 * m22 - m02 * m20) * py - (m00 * m12 - m02 * m10) * pz) / det,
                ((m10 * m21 - m11 * m20) * px - (m00 * m21 - m01 * m20) * py + (m00 * m11 - m01 * m10) * pz) / det};
    }

    /** The same grid and orientation in one line, e.g. for logs: {@code 64×64×36 @ 3.00×3.00×3.00 mm}. */
    public String describe() {
        return String.format(Locale.ROOT, "%d×%d×%d @ %.2f×%.2f×%.2f mm", nx, ny, nz, voxelSize[0], voxelSize[1],
                voxelSize[2]);
    }

    /** True when grid and affine agree within {@code tolMm} millimetres per matrix entry. */
    public boolean sameAs(Geometry o, double tolMm) {
        if (nx != o.nx || ny != o.ny || nz != o.nz) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            if (Math.abs(affine[i] - o.affine[i]) > tolMm) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Geometry g && nx == g.nx && ny == g.ny && nz == g.nz
                && Arrays.equals(voxelSize, g.voxelSize) && Arrays.equals(affine, g.affine);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * nx + ny) + nz) + Arrays.hashCode(affine);
    }

    @Override
    public String toString() {
        return "Geometry[" + describe() + ", affine " + Arrays.toString(affine) + "]";
    }
}
