package io.mindstream.processor.fmri;

import io.mindstream.formats.Geometry;

import java.util.Optional;

/**
 * The grid a NIfTI mask was drawn on, as its header states it, and the comparison with the grid a stream's
 * description states ({@code <desc><geometry>} on {@code raw.streams}).
 *
 * @param geometry        dimensions, voxel size (pixdim) and voxel-to-world affine (sform, else qform)
 * @param voxelSizeStated whether the header sets pixdim[1..3] (> 0); when it does not, the reader's 1 mm stands in
 *                        and says nothing, so it is not compared
 * @param oriented        whether the affine is the file's own (sform or qform code set); when it is not, it is made
 *                        up from pixdim and is not compared
 */
public record MaskGrid(Geometry geometry, boolean voxelSizeStated, boolean oriented) {

    /**
     * Millimetres by which voxel sizes and affine entries may differ and still be the same grid: far above float32
     * rounding of a header (~1e-5 mm at 100 mm) and a DICOM → NIfTI conversion, far below any real shift, flip or
     * resampling (a voxel is millimetres).
     */
    public static final double TOLERANCE_MM = 0.01;

    public int voxels() {
        return geometry.voxels();
    }

    /** {@code 64×64×36}, with {@code @ 3.00×3.00×3.00 mm} when the file states a voxel size. */
    public String describe() {
        return voxelSizeStated ? geometry.describe() : dimensions(geometry);
    }

    /**
     * Why a stream whose description states {@code stream} is not on this grid, or empty when it is: the dimensions
     * per axis always, the voxel size and the affine within {@link #TOLERANCE_MM} when the mask file states them.
     */
    public Optional<String> differenceFrom(Geometry stream) {
        if (geometry.nx() != stream.nx() || geometry.ny() != stream.ny() || geometry.nz() != stream.nz()) {
            return Optional.of(geometry.voxels() == stream.voxels()
                    ? "the same number of voxels on other axes: the mask would select the right number of wrong voxels"
                    : "other dimensions");
        }
        if (voxelSizeStated) {
            double worst = maxDifference(geometry.voxelSize(), stream.voxelSize());
            if (worst > TOLERANCE_MM) {
                return Optional.of(String.format(java.util.Locale.ROOT,
                        "voxel sizes differ by %.3f mm (tolerance %s mm)", worst, TOLERANCE_MM));
            }
        }
        if (oriented) {
            double worst = maxDifference(geometry.affine(), stream.affine());
            if (worst > TOLERANCE_MM) {
                return Optional.of(String.format(java.util.Locale.ROOT,
                        "voxel-to-world affines differ by up to %.3f mm (tolerance %s mm): the grids lie elsewhere "
                                + "in the scanner", worst, TOLERANCE_MM));
            }
        }
        return Optional.empty();
    }

    static String dimensions(Geometry g) {
        return g.nx() + "×" + g.ny() + "×" + g.nz();
    }

    private static double maxDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
