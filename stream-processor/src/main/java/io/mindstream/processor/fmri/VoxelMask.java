package io.mindstream.processor.fmri;

import io.mindstream.formats.Geometry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which voxels of a volume are kept, as sorted linear indices into the volume's channel order (NIfTI order:
 * {@code x + nx·(y + ny·z)}). From an explicit list, a text file of indices, or a NIfTI-1 mask ({@link Nifti1Mask}).
 *
 * @param grid the grid a NIfTI mask was drawn on, or null for a list of indices: a NIfTI mask is only meaningful on
 *             a stream of exactly that grid (on another it would select wrong voxels, often the right number of
 *             them), so {@link FmriStream} refuses a stream it does not fit ({@link #requireFits})
 */
public record VoxelMask(int[] indices, String source, MaskGrid grid) {

    /** A list of indices, drawn on no particular grid. */
    public VoxelMask(int[] indices, String source) {
        this(indices, source, null);
    }

    public VoxelMask {
        indices = indices.clone();
        Arrays.sort(indices);
        if (indices.length == 0) {
            throw new IllegalArgumentException("voxel mask " + source + " selects no voxel");
        }
        if (grid != null && indices[indices.length - 1] >= grid.voxels()) {
            throw new IllegalArgumentException("voxel mask " + source + " selects voxel " + indices[indices.length - 1]
                    + " outside its own " + grid.describe() + " grid");
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

    /** The voxels of the grid the mask was drawn on, or 0 when unknown (a list of indices). */
    public int gridVoxels() {
        return grid == null ? 0 : grid.voxels();
    }

    /**
     * Refuses (IllegalArgumentException, one line naming the mask, its grid, the stream and its grid) a stream this
     * mask does not fit. With the stream's described geometry, a NIfTI mask is checked per axis, and on voxel size
     * and affine where its file states them ({@link MaskGrid#differenceFrom}); without one (no description seen, or
     * one without a geometry) only the voxel count can be compared. A list of indices needs only to be in range.
     *
     * @param stream       session/stream id, for the message
     * @param streamVoxels voxels per volume of the stream
     * @param described    the stream's geometry as its description on {@code raw.streams} states it, if known
     */
    public void requireFits(String stream, int streamVoxels, Optional<Geometry> described) {
        if (grid != null && described.isPresent()) {
            Geometry g = described.get();
            grid.differenceFrom(g).ifPresent(why -> {
                throw new IllegalArgumentException("voxel mask " + source + " is drawn on a " + grid.describe()
                        + " grid but stream " + stream + " is described (raw.streams) as " + g.describe()
                        + ": not the same grid (" + why + "); stream refused");
            });
        }
        if (grid != null && grid.voxels() != streamVoxels) {
            throw new IllegalArgumentException("voxel mask " + source + " is drawn on a " + grid.describe()
                    + " grid (" + grid.voxels() + " voxels) but stream " + stream + " has " + streamVoxels
                    + " voxels per volume: not the same grid; stream refused");
        }
        if (maxIndex() >= streamVoxels) {
            throw new IllegalArgumentException("voxel mask " + source + " selects voxel " + maxIndex()
                    + " but stream " + stream + " has " + streamVoxels + " voxels");
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
