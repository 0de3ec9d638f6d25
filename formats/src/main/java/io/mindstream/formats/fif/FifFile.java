package io.mindstream.formats.fif;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One physical FIF file: its tags, read once into a tree of blocks, and typed access to any tag's data.
 *
 * <p>The tags are found by walking the file from the start (following each tag's {@code next} field), not through the
 * optional tag directory: MNE writes none ({@code FIFF_DIR_POINTER = -1}) and the walk also catches truncation at the
 * exact tag. FIF is big-endian throughout.
 */
public final class FifFile implements Closeable {

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final FifNode root;

    private FifFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        this.root = readTree();
    }

    /** Opens and indexes a FIF file; throws {@link FifFormatException} when it is not a complete FIF file. */
    public static FifFile open(Path path) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such FIF file");
        }
        try {
            return new FifFile(path, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public FifNode root() {
        return root;
    }

    public long size() {
        return size;
    }

    private FifNode readTree() throws IOException {
        ByteBuffer head = ByteBuffer.allocate(FifConstants.TAG_HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        Deque<Builder> open = new ArrayDeque<>();
        open.push(new Builder(FifNode.ROOT, 0));
        long pos = 0;
        boolean first = true;
        while (pos < size) {
            if (pos + FifConstants.TAG_HEADER_BYTES > size) {
                throw error(pos, null, "file ends inside a tag header (" + (size - pos) + " of 16 bytes): truncated");
            }
            head.clear();
            readFully(head, pos);
            head.flip();
            int kind = head.getInt();
            int type = head.getInt();
            int dataSize = head.getInt();
            int next = head.getInt();
            FifTag tag = new FifTag(kind, type, dataSize, pos);
            if (first) {
                if (kind != FifConstants.FILE_ID || type != FifConstants.T_ID_STRUCT || dataSize != 20) {
                    throw error(pos, null, "not a FIF file (the first tag must be a file id; found kind " + kind
                            + ", type " + type + ", size " + dataSize + ")");
                }
                first = false;
            }
            if (dataSize < 0) {
                throw error(pos, tag, "negative data size " + dataSize + ": corrupt");
            }
            if (tag.dataPosition() + dataSize > size) {
                throw error(pos, tag, "data of " + dataSize + " bytes runs past the end of the file (" + size
                        + " bytes): truncated");
            }
            switch (kind) {
                case FifConstants.BLOCK_START -> open.push(new Builder(intAt(tag), pos));
                case FifConstants.BLOCK_END -> {
                    int k = intAt(tag);
                    if (open.size() == 1 || open.peek().kind != k) {
                        throw error(pos, tag, "end of block " + k + " without its start (open: "
                                + (open.size() == 1 ? "none" : open.peek().kind) + "): corrupt");
                    }
                    Builder done = open.pop();
                    open.peek().children.add(done.build());
                }
                default -> open.peek().tags.add(tag);
            }
            if (next == FifConstants.NEXT_NONE) {
                break;
            } else if (next == FifConstants.NEXT_SEQ) {
                pos = tag.dataPosition() + dataSize;
            } else if (next > pos && next <= size) {
                pos = next;
            } else {
                throw error(pos, tag, "next-tag pointer " + next + " points " + (next > size ? "past the end"
                        : "backwards") + ": corrupt");
            }
        }
        if (first) {
            throw error(0, null, "empty file: not a FIF file");
        }
        if (open.size() > 1) {
            throw error(open.peek().position, null, "block " + open.peek().kind + " starts here but never ends ("
                    + "file of " + size + " bytes): truncated");
        }
        return open.pop().build();
    }

    private static final class Builder {
        final int kind;
        final long position;
        final List<FifTag> tags = new ArrayList<>();
        final List<FifNode> children = new ArrayList<>();

        Builder(int kind, long position) {
            this.kind = kind;
            this.position = position;
        }

        FifNode build() {
            return new FifNode(kind, position, List.copyOf(tags), List.copyOf(children));
        }
    }

    FifFormatException error(long pos, FifTag tag, String problem) {
        return new FifFormatException(path, pos, tag == null ? null : tag.describe(), problem);
    }

    private void readFully(ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw error(pos, null, "unexpected end of file: truncated");
            }
            pos += n;
        }
    }

    /** The data of a tag, big-endian, positioned at its start. */
    public ByteBuffer data(FifTag tag) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(tag.size()).order(ByteOrder.BIG_ENDIAN);
        readFully(b, tag.dataPosition());
        return b.flip();
    }

    /** Reads the tag's data into {@code dst} (cleared first, limited to the tag's size). */
    public void data(FifTag tag, ByteBuffer dst) throws IOException {
        dst.clear().limit(tag.size());
        readFully(dst, tag.dataPosition());
        dst.flip();
    }

    private void expect(FifTag tag, int type, int minBytes) throws FifFormatException {
        if (tag.type() != type) {
            throw error(tag.position(), tag, "expected data type " + type + ", found " + tag.type());
        }
        if (tag.size() < minBytes) {
            throw error(tag.position(), tag, "data of " + tag.size() + " bytes, need at least " + minBytes);
        }
    }

    private int intAt(FifTag tag) throws IOException {
        expect(tag, FifConstants.T_INT, 4);
        return data(tag).getInt();
    }

    public int readInt(FifTag tag) throws IOException {
        return intAt(tag);
    }

    public int[] readInts(FifTag tag) throws IOException {
        expect(tag, FifConstants.T_INT, 0);
        ByteBuffer b = data(tag);
        int[] v = new int[tag.size() / 4];
        b.asIntBuffer().get(v);
        return v;
    }

    /** A float or double scalar (MNE writes filter settings as float, annotation stamps as double). */
    public double readReal(FifTag tag) throws IOException {
        double[] v = readReals(tag);
        if (v.length == 0) {
            throw error(tag.position(), tag, "no value");
        }
        return v[0];
    }

    /** Float or double values, widened to double. */
    public double[] readReals(FifTag tag) throws IOException {
        ByteBuffer b = data(tag);
        if (tag.type() == FifConstants.T_FLOAT) {
            double[] v = new double[tag.size() / 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getFloat();
            }
            return v;
        }
        if (tag.type() == FifConstants.T_DOUBLE) {
            double[] v = new double[tag.size() / 8];
            b.asDoubleBuffer().get(v);
            return v;
        }
        throw error(tag.position(), tag, "expected a float or double, found data type " + tag.type());
    }

    public String readString(FifTag tag) throws IOException {
        expect(tag, FifConstants.T_STRING, 0);
        ByteBuffer b = data(tag);
        // Neuromag writes Latin-1; MNE writes UTF-8 (a superset for the ASCII names both use). Trailing NULs are padding.
        String s = new String(b.array(), 0, tag.size(), StandardCharsets.UTF_8);
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(0, end);
    }

    /** A dense float matrix ({@code T_MATRIX | T_FLOAT}): rows × columns, row-major. */
    public float[][] readFloatMatrix(FifTag tag) throws IOException {
        if (tag.type() != (FifConstants.T_MATRIX | FifConstants.T_FLOAT)) {
            throw error(tag.position(), tag, "expected a dense float matrix, found data type 0x"
                    + Integer.toHexString(tag.type()));
        }
        ByteBuffer b = data(tag);
        if (tag.size() < 4) {
            throw error(tag.position(), tag, "matrix without dimensions");
        }
        int ndim = b.getInt(tag.size() - 4);
        if (ndim != 2 || tag.size() < 4 * (ndim + 1)) {
            throw error(tag.position(), tag, "matrix of " + ndim + " dimensions, expected 2");
        }
        // dimensions are stored fastest-varying first, just before the count
        int cols = b.getInt(tag.size() - 12);
        int rows = b.getInt(tag.size() - 8);
        if (rows < 0 || cols < 0 || (long) rows * cols * 4 + 12 != tag.size()) {
            throw error(tag.position(), tag, "matrix " + rows + "×" + cols + " does not fit its " + tag.size()
                    + " bytes");
        }
        float[][] m = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = b.getFloat();
            }
        }
        return m;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
