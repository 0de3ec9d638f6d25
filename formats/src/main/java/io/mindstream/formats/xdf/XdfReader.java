package io.mindstream.formats.xdf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole XDF file into memory, stream by stream (the specification's chunks: file header, stream headers,
 * samples with or without timestamps, clock offsets, boundaries, footers). A file that ends inside its last chunk,
 * as a recorder killed mid-write may leave it, is read up to that chunk with a warning (pyxdf does the same);
 * anything else that does not parse is a {@link XdfFormatException} naming the offset.
 */
public final class XdfReader {

    private static final Logger LOG = LoggerFactory.getLogger(XdfReader.class);

    /** The file's header XML, its streams in header order, and whether it ended inside a chunk. */
    public record XdfFile(String headerXml, List<XdfStream> streams, boolean truncated) {
    }

    private XdfReader() {
    }

    private static final class Builder {
        final int id;
        final String header;
        String footer = "";
        final XdfFormat format;
        final int channels;
        final double rate;
        double[] ts = new double[1024];
        double[] values;
        String[] strings;
        int n;
        double last;
        final List<double[]> offsets = new ArrayList<>();

        final Map<String, String> fields;

        Builder(int id, String header) {
            this.id = id;
            this.header = header;
            this.fields = XdfXml.fields(header);
            this.format = XdfFormat.fromXmlName(XdfXml.required(fields, "channel_format"));
            this.channels = Integer.parseInt(XdfXml.required(fields, "channel_count"));
            this.rate = Double.parseDouble(fields.getOrDefault("nominal_srate", "0"));
            if (channels <= 0) {
                throw new IllegalArgumentException("channel_count " + channels);
            }
            if (format == XdfFormat.STRING) {
                strings = new String[1024 * channels];
            } else {
                values = new double[1024 * channels];
            }
        }

        void grow(int more) {
            if (n + more > ts.length) {
                int cap = Math.max(ts.length * 2, n + more);
                ts = java.util.Arrays.copyOf(ts, cap);
                if (values != null) {
                    values = java.util.Arrays.copyOf(values, cap * channels);
                } else {
                    strings = java.util.Arrays.copyOf(strings, cap * channels);
                }
            }
        }

        XdfStream build() {
            return new XdfStream(id, header, footer, fields.getOrDefault("name", ""),
                    fields.getOrDefault("type", ""), fields.getOrDefault("source_id", ""), format, channels,
                    rate, java.util.Arrays.copyOf(ts, n),
                    values == null ? null : java.util.Arrays.copyOf(values, n * channels),
                    strings == null ? null : java.util.Arrays.copyOf(strings, n * channels), List.copyOf(offsets));
        }
    }

    public static XdfFile read(Path path) throws IOException {
        ByteBuffer all;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new XdfFormatException(path, 0, "file of " + size + " bytes is too large to read into memory");
            }
            all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && ch.read(all) >= 0) {
                // read it all
            }
            all.flip().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (all.remaining() < 4 || all.get(0) != 'X' || all.get(1) != 'D' || all.get(2) != 'F' || all.get(3) != ':') {
            throw new XdfFormatException(path, 0, "not an XDF file (no 'XDF:' magic)");
        }
        all.position(4);
        Map<Integer, Builder> streams = new LinkedHashMap<>();
        String fileHeader = null;
        boolean truncated = false;
        while (all.hasRemaining()) {
            long at = all.position();
            int width = all.get() & 0xFF;
            if (width != 1 && width != 4 && width != 8) {
                throw new XdfFormatException(path, at, "chunk length width " + width + " (must be 1, 4 or 8): corrupt");
            }
            if (all.remaining() < width) {
                truncated = true;
                break;
            }
            long length = width == 1 ? all.get() & 0xFF : width == 4 ? all.getInt() & 0xFFFFFFFFL : all.getLong();
            if (length < 2) {
                throw new XdfFormatException(path, at, "chunk length " + length + " (less than its tag): corrupt");
            }
            if (length > all.remaining()) {
                truncated = true;
                break;
            }
            int end = (int) (all.position() + length);
            int tag = all.getShort() & 0xFFFF;
            ByteBuffer c = all.slice(all.position(), end - all.position()).order(ByteOrder.LITTLE_ENDIAN);
            all.position(end);
            try {
                switch (tag) {
                    case XdfChunks.FILE_HEADER -> fileHeader = utf8(c);
                    case XdfChunks.STREAM_HEADER -> {
                        int id = c.getInt();
                        if (streams.containsKey(id)) {
                            throw new XdfFormatException(path, at, "stream " + id + " declared twice");
                        }
                        streams.put(id, new Builder(id, utf8(c)));
                    }
                    case XdfChunks.SAMPLES -> samples(path, at, c, streams);
                    case XdfChunks.CLOCK_OFFSET -> {
                        Builder b = stream(path, at, c.getInt(), streams);
                        b.offsets.add(new double[]{c.getDouble(), c.getDouble()});
                    }
                    case XdfChunks.BOUNDARY -> {
                    }
                    case XdfChunks.STREAM_FOOTER -> {
                        Builder b = stream(path, at, c.getInt(), streams);
                        b.footer = utf8(c);
                    }
                    default -> LOG.debug("{}: skipping chunk with unknown tag {} at {}", path, tag, at);
                }
            } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
                throw new XdfFormatException(path, at, "chunk with tag " + tag + " is shorter than its content: corrupt");
            } catch (IllegalArgumentException e) {
                throw new XdfFormatException(path, at, "chunk with tag " + tag + ": " + e.getMessage());
            }
        }
        if (fileHeader == null) {
            throw new XdfFormatException(path, 4, "no file header chunk");
        }
        if (truncated) {
            LOG.warn("{}: ends inside a chunk (a recording that was stopped mid-write); read up to the last whole "
                    + "chunk", path);
        }
        List<XdfStream> out = new ArrayList<>();
        for (Builder b : streams.values()) {
            out.add(b.build());
        }
        return new XdfFile(fileHeader, List.copyOf(out), truncated);
    }

    private static Builder stream(Path path, long at, int id, Map<Integer, Builder> streams)
            throws XdfFormatException {
        Builder b = streams.get(id);
        if (b == null) {
            throw new XdfFormatException(path, at, "chunk for stream " + id + " before its header");
        }
        return b;
    }

    private static void samples(Path path, long at, ByteBuffer c, Map<Integer, Builder> streams)
            throws XdfFormatException {
        Builder b = stream(path, at, c.getInt(), streams);
        long count = varLen(path, at, c);
        if (count < 0 || count > c.remaining()) {
            throw new XdfFormatException(path, at, "samples chunk claims " + count + " samples: corrupt");
        }
        int n = (int) count;
        b.grow(n);
        int ch = b.channels;
        double interval = b.rate > 0 ? 1.0 / b.rate : 0;
        for (int i = 0; i < n; i++) {
            int tsBytes = c.get() & 0xFF;
            double t;
            if (tsBytes == 8) {
                t = c.getDouble();
            } else if (tsBytes == 0) {
                t = b.last + interval;        // deduced, as pyxdf and libxdf do
            } else {
                throw new XdfFormatException(path, at, "timestamp width " + tsBytes + " (must be 0 or 8): corrupt");
            }
            b.last = t;
            b.ts[b.n] = t;
            int k = b.n * ch;
            switch (b.format) {
                case FLOAT32 -> {
                    for (int j = 0; j < ch; j++) {
                        b.values[k + j] = c.getFloat();
                    }
                }
                case DOUBLE64 -> {
                    for (int j = 0; j < ch; j++) {
                        b.values[k + j] = c.getDouble();
                    }
                }
                case INT8 -> {
                    for (int j = 0; j < ch; j++) {
                        b.values[k + j] = c.get();
                    }
                }
                case INT16 -> {
                    for (int j = 0; j < ch; j++) {
                        b.values[k + j] = c.getShort();
                    }
                }
                case INT32 -> {
                    for (int j = 0; j < ch; j++) {
                        b.values[k + j] = c.getInt();
                    }
                }
                case INT64 -> {
                    for (int j = 0; j < ch; j++) {
                        b.values[k + j] = c.getLong();
                    }
                }
                case STRING -> {
                    for (int j = 0; j < ch; j++) {
                        long len = varLen(path, at, c);
                        if (len < 0 || len > c.remaining()) {
                            throw new XdfFormatException(path, at, "string of " + len + " bytes: corrupt");
                        }
                        byte[] s = new byte[(int) len];
                        c.get(s);
                        b.strings[k + j] = new String(s, StandardCharsets.UTF_8);
                    }
                }
            }
            b.n++;
        }
    }

    private static long varLen(Path path, long at, ByteBuffer c) throws XdfFormatException {
        int w = c.get() & 0xFF;
        return switch (w) {
            case 1 -> c.get() & 0xFF;
            case 4 -> c.getInt() & 0xFFFFFFFFL;
            case 8 -> c.getLong();
            default -> throw new XdfFormatException(path, at, "length width " + w + " (must be 1, 4 or 8): corrupt");
        };
    }

    private static String utf8(ByteBuffer c) {
        byte[] b = new byte[c.remaining()];
        c.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
