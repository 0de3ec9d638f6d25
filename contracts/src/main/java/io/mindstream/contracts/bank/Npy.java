package io.mindstream.contracts.bank;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes numpy {@code .npy} files holding little-endian float32 arrays of one or two dimensions in C order:
 * exactly what {@code np.save(path, a.astype('<f4'))} produces for a vector or a matrix.
 *
 * <p>Writing always produces format version 1.0 with the header padded so the data starts on a 64-byte boundary (as
 * numpy itself does). Reading accepts versions 1.0, 2.0 and 3.0 (they differ only in the header length field and
 * header encoding). Anything else (another dtype, big-endian data, Fortran order, more than two dimensions, a file
 * shorter or longer than its header says) is rejected with a {@link BankFormatException} naming the file and the
 * problem, before any large allocation.
 *
 * <p>The format: magic {@code \x93NUMPY}, major and minor version bytes, a little-endian header length (u16 for 1.0,
 * u32 for 2.0/3.0), an ASCII Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }}
 * padded with spaces and ended by a newline, then the raw values.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the start of the data to 64 bytes since 1.14 so memory maps are aligned. */
    private static final int ALIGN = 64;
    /** numpy refuses headers longer than this by default (denial-of-service guard); so do we. */
    private static final int MAX_HEADER = 10_000;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * A float32 array read from or written to a {@code .npy} file.
     *
     * @param shape one or two non-negative dimensions
     * @param data  the values in C order ({@code data[r * cols + c]}); length = product of the shape
     */
    public record FloatArray(int[] shape, float[] data) {
        public FloatArray {
            if (shape == null || shape.length < 1 || shape.length > 2) {
                throw new IllegalArgumentException("shape must have 1 or 2 dimensions, got "
                        + (shape == null ? "null" : Arrays.toString(shape)));
            }
            shape = shape.clone();
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (data == null || data.length != n) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                        + " values, got " + (data == null ? "null" : data.length));
            }
        }

        /** A 1-D array. */
        public static FloatArray vector(float[] data) {
            return new FloatArray(new int[] {data.length}, data);
        }

        /** A 2-D C-order array; {@code data.length} must be {@code rows * cols}. */
        public static FloatArray matrix(int rows, int cols, float[] data) {
            return new FloatArray(new int[] {rows, cols}, data);
        }

        public int ndim() {
            return shape.length;
        }

        /** First dimension (the length of a 1-D array). */
        public int rows() {
            return shape[0];
        }

        /** Second dimension; 1 for a 1-D array. */
        public int cols() {
            return shape.length == 2 ? shape[1] : 1;
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FloatArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "FloatArray" + Arrays.toString(shape);
        }
    }

    /** Reads a little-endian float32 1-D or 2-D C-order array. */
    public static FloatArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (pre.hasRemaining() && ch.read(pre) >= 0) {
                // a valid file is always longer than 12 bytes; a shorter one is diagnosed below
            }
            pre.flip();
            byte[] magic = new byte[Math.min(MAGIC.length, pre.remaining())];
            pre.get(magic);
            if (!Arrays.equals(magic, Arrays.copyOf(MAGIC, magic.length))) {
                throw new BankFormatException(file, "not a .npy file (starts with bytes "
                        + hex(magic) + ", expected 93 4e 55 4d 50 59 = \\x93NUMPY)");
            }
            if (pre.remaining() < 4) {
                throw new BankFormatException(file, "truncated: only " + size + " bytes, shorter than a .npy preamble");
            }
            int major = pre.get() & 0xff;
            int minor = pre.get() & 0xff;
            long headerLen;
            int preambleLen;
            if (major == 1 && minor == 0) {
                headerLen = pre.getShort() & 0xffff;
                preambleLen = 10;
            } else if ((major == 2 || major == 3) && minor == 0) {
                headerLen = pre.getInt() & 0xffffffffL;
                preambleLen = 12;
            } else {
                throw new BankFormatException(file, "unsupported .npy format version " + major + "." + minor
                        + " (1.0, 2.0 and 3.0 are supported)");
            }
            if (headerLen > MAX_HEADER) {
                throw new BankFormatException(file, "header length " + headerLen + " exceeds " + MAX_HEADER
                        + " bytes; file is corrupt");
            }
            if (preambleLen + headerLen > size) {
                throw new BankFormatException(file, "truncated: header needs " + (preambleLen + headerLen)
                        + " bytes, file has " + size);
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.position(preambleLen);
            readFully(ch, hb, file, "the header");
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            int[] shape = parseHeader(file, header);
            long count = 1;
            for (int d : shape) {
                count *= d;
            }
            long dataStart = preambleLen + headerLen;
            long expected = count * 4;
            if (count > Integer.MAX_VALUE - 8) {
                throw new BankFormatException(file, "shape " + Arrays.toString(shape) + " holds " + count
                        + " values, more than a Java array can");
            }
            long actual = size - dataStart;
            if (actual < expected) {
                throw new BankFormatException(file, "truncated: shape " + Arrays.toString(shape) + " needs "
                        + expected + " data bytes, file has " + actual);
            }
            if (actual > expected) {
                throw new BankFormatException(file, (actual - expected) + " unexpected trailing bytes after the "
                        + Arrays.toString(shape) + " float32 data");
            }
            float[] data = new float[(int) count];
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(expected, 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
            int filled = 0;
            ch.position(dataStart);
            while (filled < count) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), (count - filled) * 4));
                readFully(ch, buf, file, "the data");
                buf.flip();
                int n = buf.remaining() / 4;
                buf.asFloatBuffer().get(data, filled, n);
                filled += n;
            }
            return new FloatArray(shape, data);
        }
    }

    /** Writes {@code array} as a version 1.0 {@code .npy} file (dtype {@code <f4}, C order), replacing the file. */
    public static void write(Path file, FloatArray array) throws IOException {
        byte[] header = header(array.shape);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer pre = ByteBuffer.allocate(10 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header).flip();
            while (pre.hasRemaining()) {
                ch.write(pre);
            }
            float[] data = array.data;
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min((long) data.length * 4 + 4, 1 << 20))
                    .order(ByteOrder.LITTLE_ENDIAN);
            int chunk = buf.capacity() / 4;
            for (int off = 0; off < data.length; off += chunk) {
                int n = Math.min(chunk, data.length - off);
                buf.clear();
                buf.asFloatBuffer().put(data, off, n);
                buf.limit(n * 4);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }

    /** Writes a 2-D {@code rows × cols} C-order float32 array. */
    public static void writeMatrix(Path file, int rows, int cols, float[] data) throws IOException {
        write(file, FloatArray.matrix(rows, cols, data));
    }

    /** Writes a 1-D float32 array. */
    public static void writeVector(Path file, float[] data) throws IOException {
        write(file, FloatArray.vector(data));
    }

    private static byte[] header(int[] shape) {
        String dims = shape.length == 1 ? shape[0] + "," : shape[0] + ", " + shape[1];
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + dict.length() + 1;
        int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        return (dict + " ".repeat(padded - total) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static int[] parseHeader(Path file, String header) throws BankFormatException {
        String h = header.strip();
        if (!h.startsWith("{") || !h.endsWith("}")) {
            throw new BankFormatException(file, "header is not a Python dict literal: " + abbreviate(h));
        }
        Matcher descr = DESCR.matcher(h);
        if (!descr.find()) {
            throw new BankFormatException(file, "header has no 'descr' (dtype): " + abbreviate(h));
        }
        String dtype = descr.group(1);
        if (!dtype.equals("<f4")) {
            String hint = dtype.equals(">f4") ? "big-endian float32; save with a.astype('<f4')"
                    : "only little-endian float32 ('<f4') is supported; save with a.astype('<f4')";
            throw new BankFormatException(file, "unsupported dtype '" + dtype + "': " + hint);
        }
        Matcher fortran = FORTRAN.matcher(h);
        if (!fortran.find()) {
            throw new BankFormatException(file, "header has no 'fortran_order': " + abbreviate(h));
        }
        Matcher shapeM = SHAPE.matcher(h);
        if (!shapeM.find()) {
            throw new BankFormatException(file, "header has no 'shape': " + abbreviate(h));
        }
        String[] parts = shapeM.group(1).split(",");
        int n = 0;
        int[] dims = new int[parts.length];
        for (String p : parts) {
            String t = p.strip();
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new BankFormatException(file, "shape dimension " + t + " out of range");
                }
                dims[n++] = (int) v;
            } catch (NumberFormatException e) {
                throw new BankFormatException(file, "shape (" + shapeM.group(1) + ") is not a tuple of integers");
            }
        }
        if (n < 1 || n > 2) {
            throw new BankFormatException(file, "unsupported shape (" + shapeM.group(1) + "): only 1-D and 2-D arrays"
                    + " are supported, this one has " + n + " dimensions");
        }
        int[] shape = Arrays.copyOf(dims, n);
        if (fortran.group(1).equals("True") && n == 2 && shape[0] > 1 && shape[1] > 1) {
            throw new BankFormatException(file, "Fortran-order (column-major) data is not supported; save with"
                    + " np.ascontiguousarray(a)");
        }
        return shape;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, Path file, String what) throws IOException {
        while (dst.hasRemaining()) {
            if (ch.read(dst) < 0) {
                throw new BankFormatException(file, "truncated while reading " + what + " (file is " + ch.size()
                        + " bytes)");
            }
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
