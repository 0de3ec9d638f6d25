package io.mindstream.formats;

import java.util.Objects;

/**
 * One scanner volume as read from a file: the voxel values with the header's scaling applied (float32, x fastest:
 * value {@code i + nx·(j + ny·k)}), where they sit, and what the header says about when it was acquired.
 *
 * @param source             the file it came from (for messages)
 * @param index              acquisition order: a mosaic's InstanceNumber (AcquisitionNumber when absent); for a
 *                           single-frame slice the volume it belongs to (TemporalPositionIdentifier, else
 *                           AcquisitionNumber, else InstanceNumber); a 4D NIfTI's volume index; −1 when the file
 *                           does not say (the caller orders by other means)
 * @param acquisitionSeconds acquisition time, seconds since midnight (DICOM AcquisitionTime, dcm2niix's
 *                           {@code Time=} in a NIfTI description); NaN when the file does not say
 * @param trSeconds          repetition time from the header (DICOM RepetitionTime, NIfTI pixdim[4]); NaN when absent
 * @param geometry           grid and orientation
 * @param voxels             {@code geometry.voxels()} values
 */
public record Volume(String source, long index, double acquisitionSeconds, double trSeconds, Geometry geometry,
                     float[] voxels) {

    public Volume {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(geometry, "geometry");
        if (voxels.length != geometry.voxels()) {
            throw new IllegalArgumentException(source + ": " + voxels.length + " values for a "
                    + geometry.describe() + " grid");
        }
    }

    /** The value of voxel (i, j, k). */
    public float at(int i, int j, int k) {
        return voxels[i + geometry.nx() * (j + geometry.ny() * k)];
    }
}
