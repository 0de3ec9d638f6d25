package io.mindstream.formats.dicom;

import io.mindstream.formats.FormatException;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.Volume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stacks the single-frame slices of one volume (one DICOM file per slice, as scanners without mosaics export) into
 * the volume: slices ordered along the slice normal (row × column cosine) by their position, evenly spaced, same
 * grid and in-plane orientation. Slice k of the result is the k-th along the normal; the affine's third column is the
 * step between consecutive slices, so the geometry is what the positions say (as dcm2niix stacks them).
 */
public final class SliceStack {

    /** Positions may differ from an even spacing by this much (DS values carry few decimals). */
    static final double SPACING_TOLERANCE_MM = 0.01;

    private SliceStack() {
    }

    public static Volume stack(List<Volume> slices) {
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("no slices");
        }
        Volume first = slices.get(0);
        Geometry g0 = first.geometry();
        double[] a0 = g0.affine();
        for (Volume s : slices) {
            Geometry g = s.geometry();
            double[] a = g.affine();
            boolean sameInPlane = g.nz() == 1 && g.nx() == g0.nx() && g.ny() == g0.ny();
            for (int row = 0; row < 3 && sameInPlane; row++) {
                sameInPlane = Math.abs(a[row * 4] - a0[row * 4]) < 1e-4
                        && Math.abs(a[row * 4 + 1] - a0[row * 4 + 1]) < 1e-4;
            }
            if (!sameInPlane) {
                throw new FormatException(s.source(), "slice " + g.describe() + " does not match the grid or "
                        + "orientation of " + first.source() + " (" + g0.describe() + ")");
            }
        }
        // the slice normal: row cosine × column cosine (affine columns 0 and 1)
        double[] n = {a0[4] * a0[9] - a0[8] * a0[5], a0[8] * a0[1] - a0[0] * a0[9], a0[0] * a0[5] - a0[4] * a0[1]};
        List<Volume> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparingDouble(s -> along(s, n)));
        int nz = sorted.size();
        double[] step = new double[3];
        if (nz > 1) {
            double[] p0 = origin(sorted.get(0)), pn = origin(sorted.get(nz - 1));
            for (int ax = 0; ax < 3; ax++) {
                step[ax] = (pn[ax] - p0[ax]) / (nz - 1);
            }
            for (int k = 1; k < nz; k++) {
                double[] p = origin(sorted.get(k));
                for (int ax = 0; ax < 3; ax++) {
                    if (Math.abs(p[ax] - (p0[ax] + k * step[ax])) > SPACING_TOLERANCE_MM) {
                        throw new FormatException(sorted.get(k).source(), "slice position is not evenly spaced with "
                                + "the other " + (nz - 1) + " slices of its volume (missing or duplicate slice?)");
                    }
                }
            }
        } else {
            for (int ax = 0; ax < 3; ax++) {
                step[ax] = a0[ax * 4 + 2];
            }
        }
        double dz = Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
        double[] origin = origin(sorted.get(0));
        double[] m = a0.clone();
        for (int ax = 0; ax < 3; ax++) {
            m[ax * 4 + 2] = step[ax];
            m[ax * 4 + 3] = origin[ax];
        }
        double[] vs = g0.voxelSize();
        Geometry g = new Geometry(g0.nx(), g0.ny(), nz, new double[]{vs[0], vs[1], dz}, m);
        int plane = g0.nx() * g0.ny();
        float[] voxels = new float[plane * nz];
        double acquired = Double.NaN;
        for (int k = 0; k < nz; k++) {
            Volume s = sorted.get(k);
            System.arraycopy(s.voxels(), 0, voxels, k * plane, plane);
            if (!Double.isNaN(s.acquisitionSeconds())) {
                acquired = Double.isNaN(acquired) ? s.acquisitionSeconds() : Math.min(acquired, s.acquisitionSeconds());
            }
        }
        return new Volume(sorted.get(0).source(), first.index(), acquired, first.trSeconds(), g, voxels);
    }

    private static double[] origin(Volume s) {
        double[] a = s.geometry().affine();
        return new double[]{a[3], a[7], a[11]};
    }

    private static double along(Volume s, double[] n) {
        double[] p = origin(s);
        return p[0] * n[0] + p[1] * n[1] + p[2] * n[2];
    }
}
