package io.mindstream.decoder.dataset;

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
 * A stack of epochs as a numpy {@code .npy} file ({@code float32}, little-endian, C order, shape
 * {@code N × channels × times}): the {@code X.npy} of a dataset export and the parity fixtures of the model tests.
 *
 * <p>Unlike {@code contracts.bank.Npy} (1-D/2-D arrays held in memory, for banks), this reads and writes rows one at a
 * time at file offsets, so an export of thousands of 272 × 181 epochs (gigabytes) never has to fit in the heap, and
 * it handles any rank. The header is written with room for the final row count and rewritten on {@link Writer#close}.
 */
public final class EpochArrayFile implements AutoCloseable {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int HEADER_BYTES = 128; // whole preamble (magic + version + length + dict), 64-aligned
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path file;
    private final FileChannel channel;
    private final long[] shape;
    private final long dataOffset;
    private final int rowSize;

    private EpochArrayFile(Path file, FileChannel channel, long[] shape, long dataOffset) {
        this.file = file;
        this.channel = channel;
        this.shape = shape;
        this.dataOffset = dataOffset;
        long row = 1;
        for (int i = 1; i < shape.length; i++) {
            row *= shape[i];
        }
        if (row > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(file + ": rows of " + row + " values are too large");
        }
        this.rowSize = (int) row;
    }

    /** Opens a float32 C-order {@code .npy} file of any rank ≥ 1 for reading rows. */
    public static EpochArrayFile open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0);
            pre.flip();
            byte[] magic = new byte[6];
            pre.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a .npy file (bad magic)");
            }
            int major = pre.get();
            pre.get();
            long headerLen;
            int lenBytes;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xffff;
                lenBytes = 2;
            } else if (major == 2 || major == 3) {
                headerLen = pre.getInt(8) & 0xffffffffL;
                lenBytes = 4;
            } else {
                throw new IOException(file + ": unsupported .npy version " + major);
            }
            if (headerLen > 100_000) {
                throw new IOException(file + ": .npy header of " + headerLen + " bytes is too long");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8 + lenBytes);
            String header = new String(hb.array(), StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw new IOException(file + ": malformed .npy header " + header.trim());
            }
            if (!d.group(1).equals("<f4")) {
                throw new IOException(file + ": dtype " + d.group(1) + ", expected little-endian float32 (<f4)");
            }
            if (f.group(1).equals("True")) {
                throw new IOException(file + ": Fortran order is not supported");
            }
            long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            if (shape.length == 0) {
                throw new IOException(file + ": scalar .npy, expected an array");
            }
            long offset = 8 + lenBytes + headerLen;
            long values = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            if (ch.size() != offset + values * 4) {
                throw new IOException(file + " holds " + (ch.size() - offset) + " data bytes, its header "
                        + Arrays.toString(shape) + " says " + values * 4);
            }
            return new EpochArrayFile(file, ch, shape, offset);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rows() {
        return (int) shape[0];
    }

    /** Values per row (channels × times for epochs). */
    public int rowSize() {
        return rowSize;
    }

    /** Reads row {@code i} into {@code dst} (allocated when null or too small) and returns it. */
    public float[] row(int i, float[] dst) throws IOException {
        if (i < 0 || i >= shape[0]) {
            throw new IndexOutOfBoundsException(file + ": row " + i + " of " + shape[0]);
        }
        float[] out = dst != null && dst.length >= rowSize ? dst : new float[rowSize];
        ByteBuffer b = ByteBuffer.allocate(rowSize * 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, b, dataOffset + (long) i * rowSize * 4);
        b.flip();
        b.asFloatBuffer().get(out, 0, rowSize);
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    /** Creates {@code file} and returns a writer that appends rows of {@code rowShape} (e.g. channels, times). */
    public static Writer create(Path file, int... rowShape) throws IOException {
        return new Writer(file, rowShape);
    }

    /** Appends rows; the row count in the header is fixed up on {@link #close()}. */
    public static final class Writer implements AutoCloseable {
        private final FileChannel channel;
        private final int[] rowShape;
        private final int rowSize;
        private final ByteBuffer buffer;
        private long rows;

        private Writer(Path file, int[] rowShape) throws IOException {
            this.rowShape = rowShape.clone();
            int size = 1;
            for (int d : rowShape) {
                if (d < 1) {
                    throw new IllegalArgumentException("row dimensions must be positive: " + Arrays.toString(rowShape));
                }
                size = Math.multiplyExact(size, d);
            }
            this.rowSize = size;
            this.buffer = ByteBuffer.allocate(size * 4).order(ByteOrder.LITTLE_ENDIAN);
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            writeHeader();
        }

        public void append(float[] row) throws IOException {
            if (row.length != rowSize) {
                throw new IllegalArgumentException("row holds " + row.length + " values, expected " + rowSize + " ("
                        + Arrays.toString(rowShape) + ")");
            }
            buffer.clear();
            buffer.asFloatBuffer().put(row);
            buffer.limit(rowSize * 4);
            long pos = HEADER_BYTES + rows * rowSize * 4L;
            while (buffer.hasRemaining()) {
                pos += channel.write(buffer, pos);
            }
            rows++;
        }

        public long rows() {
            return rows;
        }

        private void writeHeader() throws IOException {
            StringBuilder shape = new StringBuilder("(").append(rows);
            for (int d : rowShape) {
                shape.append(", ").append(d);
            }
            shape.append(')');
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
            int dictLen = HEADER_BYTES - 10;
            if (dict.length() + 1 > dictLen) {
                throw new IllegalStateException("npy header too long: " + dict);
            }
            StringBuilder padded = new StringBuilder(dict);
            while (padded.length() < dictLen - 1) {
                padded.append(' ');
            }
            padded.append('\n');
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            h.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dictLen);
            h.put(padded.toString().getBytes(StandardCharsets.ISO_8859_1));
            h.flip();
            long pos = 0;
            while (h.hasRemaining()) {
                pos += channel.write(h, pos);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                writeHeader();
                channel.force(false);
            } finally {
                channel.close();
            }
        }
    }
}
