package io.mindstream.processor.fmri;

import io.mindstream.formats.FormatException;
import io.mindstream.formats.Volume;
import io.mindstream.formats.nifti.NiftiFile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a NIfTI mask ({@code .nii}, {@code .nii.gz}, or a {@code .hdr}/{@code .img} pair; NIfTI-1 or NIfTI-2) with
 * the one NIfTI reader, {@link NiftiFile} (module {@code formats}): every voxel of the first volume whose scaled value
 * is non-zero (and not NaN) is in the mask. Indices are NIfTI's storage order, {@code x + nx·(y + ny·z)}, which is the
 * channel order fMRI streams use. The mask keeps the grid it was drawn on ({@link MaskGrid}).
 */
public final class Nifti1Mask {

    private Nifti1Mask() {
    }

    /** The mask in a file; a file that is not a readable NIfTI image is an {@link IllegalArgumentException}. */
    public static VoxelMask read(Path file) throws IOException {
        try {
            return mask(NiftiFile.read(file), file.toString());
        } catch (FormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Parses a single-file NIfTI image held in memory. */
    public static VoxelMask parse(byte[] bytes, String source) {
        try {
            return mask(NiftiFile.parse(source, bytes), source);
        } catch (FormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static VoxelMask mask(NiftiFile f, String source) {
        if (f.completeVolumes() == 0) {
            f.requireComplete(); // names what is missing
        }
        Volume v = f.volume(0);
        float[] values = v.voxels();
        int[] idx = new int[values.length];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && !Float.isNaN(values[i])) {
                idx[n++] = i;
            }
        }
        // what the header states of the grid, beside its dimensions, is kept: a stream's description is checked
        // against it (FmriStream); what it leaves unset (pixdim 0, no sform/qform) is not compared
        double[] pixdim = f.header().pixdim();
        boolean voxelSizeStated = Math.abs(pixdim[1]) > 0 && Math.abs(pixdim[2]) > 0 && Math.abs(pixdim[3]) > 0;
        MaskGrid grid = new MaskGrid(v.geometry(), voxelSizeStated, f.header().oriented());
        return new VoxelMask(java.util.Arrays.copyOf(idx, n), source, grid);
    }
}
