package io.mindstream.processor.fmri;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a NIfTI-1 mask ({@code .nii}, {@code .nii.gz}, or a {@code .hdr}/{@code .img} pair): the 348-byte header
 * (byte order from {@code sizeof_hdr}, {@code dim}, {@code datatype}, {@code vox_offset}, {@code scl_slope/inter},
 * magic {@code n+1} or {@code ni1}), then the first volume; every voxel whose scaled value is non-zero is in the mask.
 * Indices are NIfTI's storage order, {@code x + nx·(y + ny·z)}, which is the channel order fMRI streams use.
 */
public final class Nifti1Mask {

    private static final int HEADER = 348;

    private Nifti1Mask() {
    }

    public static VoxelMask read(Path file) throws IOException {
        byte[] bytes = readMaybeGzip(file);
        return parse(bytes, file.toString(), file);
    }

    /** Parses a single-file NIfTI-1 image held in memory. */
    public static VoxelMask parse(byte[] bytes, String source) {
        return parse(bytes, source, null);
    }

    private static VoxelMask parse(byte[] bytes, String source, Path file) {
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException(source + ": " + bytes.length + " bytes, too short for a NIfTI-1 header");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != HEADER) {
            h.order(ByteOrder.BIG_ENDIAN);
            if (h.getInt(0) != HEADER) {
                throw new IllegalArgumentException(source + ": sizeof_hdr is not 348 in either byte order: not NIfTI-1");
            }
        }
        String magic = new String(bytes, 344, 3, java.nio.charset.StandardCharsets.US_ASCII);
        if (!magic.equals("n+1") && !magic.equals("ni1")) {
            throw new IllegalArgumentException(source + ": magic '" + magic + "' is not n+1 or ni1");
        }
        int rank = h.getShort(40);
        if (rank < 1 || rank > 7) {
            throw new IllegalArgumentException(source + ": dim[0] = " + rank + " is not 1…7");
        }
        long voxels = 1;
        for (int d = 1; d <= Math.min(rank, 3); d++) {
            int n = h.getShort(40 + 2 * d);
            if (n < 1) {
                throw new IllegalArgumentException(source + ": dim[" + d + "] = " + n);
            }
            voxels *= n;
        }
        if (voxels > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException(source + ": " + voxels + " voxels is too many for a mask");
        }
        int datatype = h.getShort(70);
        int bitpix = h.getShort(72);
        float slope = h.getFloat(112);
        float inter = h.getFloat(116);
        if (slope == 0 || !Float.isFinite(slope)) {
            slope = 1;
            inter = 0;
        }
        ByteBuffer data;
        if (magic.equals("n+1")) {
            int offset = (int) h.getFloat(108);
            if (offset < HEADER) {
                offset = 352;
            }
            data = ByteBuffer.wrap(bytes, 0, bytes.length).order(h.order());
            data.position(offset);
            data = data.slice().order(h.order());
        } else {
            if (file == null) {
                throw new IllegalArgumentException(source + ": a two-file (ni1) NIfTI needs its .img file");
            }
            String img = file.getFileName().toString().replaceAll("\\.hdr$", ".img");
            try {
                data = ByteBuffer.wrap(readMaybeGzip(file.resolveSibling(img))).order(h.order());
            } catch (IOException e) {
                throw new IllegalArgumentException(source + ": cannot read " + img + ": " + e.getMessage());
            }
        }
        int bytesPer = switch (datatype) {
            case 2, 256 -> 1;
            case 4, 512 -> 2;
            case 8, 16, 768 -> 4;
            case 64 -> 8;
            default -> throw new IllegalArgumentException(source + ": datatype " + datatype
                    + " is not supported for masks (uint8, int8, int16, uint16, int32, uint32, float32, float64)");
        };
        if (bitpix != bytesPer * 8) {
            throw new IllegalArgumentException(source + ": bitpix " + bitpix + " does not match datatype " + datatype);
        }
        if ((long) data.remaining() < voxels * bytesPer) {
            throw new IllegalArgumentException(source + ": " + data.remaining() + " data bytes, expected "
                    + voxels * bytesPer + " for " + voxels + " voxels");
        }
        int[] idx = new int[(int) voxels];
        int n = 0;
        for (int i = 0; i < voxels; i++) {
            int p = i * bytesPer;
            double v = switch (datatype) {
                case 2 -> data.get(p) & 0xff;
                case 256 -> data.get(p);
                case 4 -> data.getShort(p);
                case 512 -> data.getShort(p) & 0xffff;
                case 8 -> data.getInt(p);
                case 768 -> data.getInt(p) & 0xffffffffL;
                case 16 -> data.getFloat(p);
                default -> data.getDouble(p);
            };
            if (v * slope + inter != 0 && !Double.isNaN(v)) {
                idx[n++] = i;
            }
        }
        return new VoxelMask(java.util.Arrays.copyOf(idx, n), source);
    }

    private static byte[] readMaybeGzip(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            }
        }
        return raw;
    }
}
