package io.mindstream.formats.nifti;

import java.nio.ByteBuffer;

/** The NIfTI voxel data types we read (NIfTI-1 §datatype codes), with how one value is fetched. */
public enum NiftiDataType {
    UINT8(2, 1), INT16(4, 2), INT32(8, 4), FLOAT32(16, 4), FLOAT64(64, 8), INT8(256, 1), UINT16(512, 2),
    UINT32(768, 4);

    private final int code;
    private final int bytes;

    NiftiDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    public int bytes() {
        return bytes;
    }

    /** The type with this code, or null (complex, RGB, 64-bit integers and float128 are not voxel intensities). */
    public static NiftiDataType ofCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** The value at byte {@code pos} of {@code b} (in b's order) as a double. */
    double get(ByteBuffer b, int pos) {
        return switch (this) {
            case UINT8 -> b.get(pos) & 0xFF;
            case INT8 -> b.get(pos);
            case INT16 -> b.getShort(pos);
            case UINT16 -> b.getShort(pos) & 0xFFFF;
            case INT32 -> b.getInt(pos);
            case UINT32 -> b.getInt(pos) & 0xFFFFFFFFL;
            case FLOAT32 -> b.getFloat(pos);
            case FLOAT64 -> b.getDouble(pos);
        };
    }
}
