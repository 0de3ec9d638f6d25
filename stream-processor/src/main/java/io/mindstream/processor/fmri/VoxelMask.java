package io.mindstream.processor.fmri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Which voxels of a volume are kept, as sorted linear indices into the volume's channel order (NIfTI order:
 * {@code x + nx·(y + ny·z)}). From an explicit list, a text file of indices, or a NIfTI-1 mask ({@link Nifti1Mask}).
 *
 * @param grid the grid the mask was drawn on ({@code "64×64×36"}), or null for a list of indices: a NIfTI mask is
 *             only meaningful on a stream of exactly that many voxels (a mask of another grid would select the right
 *             number of wrong voxels), so {@link FmriStream} refuses a stream whose size differs
 * @param gridVoxels the voxels of that grid, or 0 when unknown
 */
public record VoxelMask(int[] indices, String source, String grid, int gridVoxels) {

    /** A list of indices, drawn on no particular grid. */
    public VoxelMask(int[] indices, String source) {
        this(indices, source, null, 0);
    }

    public VoxelMask {
        indices = indices.clone();
        Arrays.sort(indices);
        if (indices.length == 0) {
            throw new IllegalArgumentException("voxel mask " + source + " selects no voxel");
        }
        if (gridVoxels > 0 && indices[indices.length - 1] >= gridVoxels) {
            throw new IllegalArgumentException("voxel mask " + source + " selects voxel " + indices[indices.length - 1]
                    + " outside its own " + grid + " grid");
        }
        if (indices[0] < 0) {
            throw new IllegalArgumentException("voxel mask " + source + " has a negative index " + indices[0]);
        }
        for (int i = 1; i < indices.length; i++) {
            if (indices[i] == indices[i - 1]) {
                throw new IllegalArgumentException("voxel mask " + source + " lists voxel " + indices[i] + " twice");
            }
        }
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    public int size() {
        return indices.length;
    }

    public int index(int i) {
        return indices[i];
    }

    public int maxIndex() {
        return indices[indices.length - 1];
    }

    /** A text file of voxel indices (whitespace or comma separated, {@code #} comments) or a NIfTI-1 file. */
    public static VoxelMask load(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".nii") || name.endsWith(".nii.gz") || name.endsWith(".hdr")) {
            return Nifti1Mask.read(file);
        }
        String text = Files.readString(file).replaceAll("#[^\\n]*", " ").trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("voxel mask file " + file + " is empty");
        }
        String[] parts = text.split("[\\s,]+");
        int[] idx = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                idx[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("voxel mask file " + file + ": '" + parts[i] + "' is not an index");
            }
        }
        return new VoxelMask(idx, file.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VoxelMask m && Arrays.equals(indices, m.indices);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "VoxelMask[" + indices.length + " voxels from " + source + "]";
    }
}
