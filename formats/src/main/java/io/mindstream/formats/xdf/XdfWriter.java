package io.mindstream.formats.xdf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an XDF file the way LabRecorder does (file header, stream headers with each stream's full XML, sample
 * chunks with a timestamp per sample, clock offsets, boundaries, stream footers), but incrementally and kill-safe:
 * every chunk is assembled in memory and handed to the OS in one {@code write}, so a process killed at any moment
 * (even with SIGKILL) leaves a file that ends on a whole chunk and reads up to it. LabRecorder's failure mode, an
 * empty file when something goes wrong (field-notes.md), cannot happen: the header is on disk before the first
 * stream is opened. Footers (first/last stamp, count, clock offsets) are written when a stream is closed.
 *
 * <p>Not thread-safe; a recorder with several streams serialises its calls (each call is one chunk).
 */
public final class XdfWriter implements Closeable {

    private final Path path;
    private final FileChannel channel;
    private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private final Map<Integer, StreamState> streams = new LinkedHashMap<>();
    private long bytesWritten;

    private static final class StreamState {
        final XdfFormat format;
        final int channels;
        double first = Double.NaN;
        double last = Double.NaN;
        long count;
        final List<double[]> offsets = new ArrayList<>();
        boolean closed;

        StreamState(XdfFormat format, int channels) {
            this.format = format;
            this.channels = channels;
        }
    }

    private XdfWriter(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates (or truncates) the file and writes the magic and the file header at once. */
    public static XdfWriter create(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        XdfWriter w = new XdfWriter(path, ch);
        try {
            w.buf.clear();
            w.buf.put(XdfChunks.MAGIC);
            w.flushBuffer();
            String datetime = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString();
            w.xmlChunk(XdfChunks.FILE_HEADER, null, "<?xml version=\"1.0\"?><info><version>1.0</version><datetime>"
                    + datetime + "</datetime></info>");
            return w;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Declares a stream: its id in this file and its full info XML (as an LSL inlet's {@code info()} returns it:
     * {@code <info><name>…</name>…<desc>…</desc></info>}). The channel format and count are taken from the XML.
     */
    public void streamHeader(int streamId, String infoXml) throws IOException {
        if (streams.containsKey(streamId)) {
            throw new IllegalArgumentException("stream " + streamId + " already declared");
        }
        Map<String, String> fields = XdfXml.fields(infoXml);
        XdfFormat format = XdfFormat.fromXmlName(XdfXml.required(fields, "channel_format"));
        int channels = Integer.parseInt(XdfXml.required(fields, "channel_count"));
        if (channels <= 0) {
            throw new IllegalArgumentException("stream " + streamId + ": channel_count " + channels);
        }
        streams.put(streamId, new StreamState(format, channels));
        xmlChunk(XdfChunks.STREAM_HEADER, streamId, infoXml.startsWith("<?xml") ? infoXml
                : "<?xml version=\"1.0\"?>" + infoXml);
    }

    private StreamState state(int streamId, XdfFormat format) {
        StreamState s = streams.get(streamId);
        if (s == null) {
            throw new IllegalArgumentException("stream " + streamId + " has no header yet");
        }
        if (s.closed) {
            throw new IllegalStateException("stream " + streamId + " is closed");
        }
        if (format != null && s.format != format) {
            throw new IllegalArgumentException("stream " + streamId + " is " + s.format.xmlName() + ", not "
                    + format.xmlName());
        }
        return s;
    }

    /** A samples chunk of a float32 stream: {@code n = timestamps.length} samples, sample-major values. */
    public void samples(int streamId, double[] timestamps, float[] values) throws IOException {
        StreamState s = begin(streamId, XdfFormat.FLOAT32, timestamps, values.length);
        for (int i = 0, k = 0; i < timestamps.length; i++) {
            stamp(timestamps[i]);
            for (int c = 0; c < s.channels; c++) {
                buf.putFloat(values[k++]);
            }
        }
        end(s, timestamps);
    }

    public void samples(int streamId, double[] timestamps, double[] values) throws IOException {
        StreamState s = begin(streamId, XdfFormat.DOUBLE64, timestamps, values.length);
        for (int i = 0, k = 0; i < timestamps.length; i++) {
            stamp(timestamps[i]);
            for (int c = 0; c < s.channels; c++) {
                buf.putDouble(values[k++]);
            }
        }
        end(s, timestamps);
    }

    public void samples(int streamId, double[] timestamps, int[] values) throws IOException {
        StreamState s = begin(streamId, XdfFormat.INT32, timestamps, values.length);
        for (int i = 0, k = 0; i < timestamps.length; i++) {
            stamp(timestamps[i]);
            for (int c = 0; c < s.channels; c++) {
                buf.putInt(values[k++]);
            }
        }
        end(s, timestamps);
    }

    public void samples(int streamId, double[] timestamps, short[] values) throws IOException {
        StreamState s = begin(streamId, XdfFormat.INT16, timestamps, values.length);
        for (int i = 0, k = 0; i < timestamps.length; i++) {
            stamp(timestamps[i]);
            for (int c = 0; c < s.channels; c++) {
                buf.putShort(values[k++]);
            }
        }
        end(s, timestamps);
    }

    public void samples(int streamId, double[] timestamps, byte[] values) throws IOException {
        StreamState s = begin(streamId, XdfFormat.INT8, timestamps, values.length);
        for (int i = 0, k = 0; i < timestamps.length; i++) {
            stamp(timestamps[i]);
            for (int c = 0; c < s.channels; c++) {
                buf.put(values[k++]);
            }
        }
        end(s, timestamps);
    }

    public void samples(int streamId, double[] timestamps, long[] values) throws IOException {
        StreamState s = begin(streamId, XdfFormat.INT64, timestamps, values.length);
        for (int i = 0, k = 0; i < timestamps.length; i++) {
            stamp(timestamps[i]);
            for (int c = 0; c < s.channels; c++) {
                buf.putLong(values[k++]);
            }
        }
        end(s, timestamps);
    }

    public void samples(int streamId, double[] timestamps, String[] values) throws IOException {
        StreamState s = state(streamId, XdfFormat.STRING);
        if (values.length != timestamps.length * s.channels) {
            throw new IllegalArgumentException(values.length + " values for " + timestamps.length + " samples of "
                    + s.channels + " channels");
        }
        byte[][] utf8 = new byte[values.length][];
        long bytes = 0;
        for (int i = 0; i < values.length; i++) {
            utf8[i] = values[i].getBytes(StandardCharsets.UTF_8);
            bytes += 9 + utf8[i].length;
        }
        startChunk(XdfChunks.SAMPLES, 4 + 9 + timestamps.length * 9L + bytes);
        buf.putInt(streamId);
        varLen(timestamps.length);
        for (int i = 0, k = 0; i < timestamps.length; i++) {
            stamp(timestamps[i]);
            for (int c = 0; c < s.channels; c++, k++) {
                varLen(utf8[k].length);
                buf.put(utf8[k]);
            }
        }
        end(s, timestamps);
    }

    /**
     * A samples chunk with the values in an array of the stream's type ({@code float[]} for float32, {@code double[]},
     * {@code int[]}, {@code short[]}, {@code byte[]} for int8, {@code long[]}, {@code String[]}), sample-major: for
     * callers that hold a stream's values without knowing their type statically (a recorder, an export).
     */
    public void samples(int streamId, double[] timestamps, Object values) throws IOException {
        if (values instanceof float[] f) {
            samples(streamId, timestamps, f);
        } else if (values instanceof double[] d) {
            samples(streamId, timestamps, d);
        } else if (values instanceof int[] i) {
            samples(streamId, timestamps, i);
        } else if (values instanceof short[] s) {
            samples(streamId, timestamps, s);
        } else if (values instanceof byte[] b) {
            samples(streamId, timestamps, b);
        } else if (values instanceof long[] l) {
            samples(streamId, timestamps, l);
        } else if (values instanceof String[] s) {
            samples(streamId, timestamps, s);
        } else {
            throw new IllegalArgumentException("no XDF channel format holds " + values.getClass().getSimpleName());
        }
    }

    private StreamState begin(int streamId, XdfFormat format, double[] timestamps, int values) throws IOException {
        StreamState s = state(streamId, format);
        if (values != timestamps.length * s.channels) {
            throw new IllegalArgumentException(values + " values for " + timestamps.length + " samples of "
                    + s.channels + " channels");
        }
        startChunk(XdfChunks.SAMPLES, 4 + 9 + (long) timestamps.length * (9 + (long) s.channels
                * format.bytesPerValue()));
        buf.putInt(streamId);
        varLen(timestamps.length);
        return s;
    }

    private void stamp(double t) {
        buf.put((byte) 8);
        buf.putDouble(t);
    }

    private void end(StreamState s, double[] timestamps) throws IOException {
        finishChunk();
        if (timestamps.length > 0) {
            if (s.count == 0) {
                s.first = timestamps[0];
            }
            s.last = timestamps[timestamps.length - 1];
            s.count += timestamps.length;
        }
    }

    /**
     * A clock offset measurement: at {@code collectionTime} (the stream's own clock), the recording host's clock was
     * ahead of the stream's by {@code offset} seconds (LSL's time correction: local = remote + offset).
     */
    public void clockOffset(int streamId, double collectionTime, double offset) throws IOException {
        StreamState s = state(streamId, null);
        startChunk(XdfChunks.CLOCK_OFFSET, 4 + 16);
        buf.putInt(streamId);
        buf.putDouble(collectionTime);
        buf.putDouble(offset);
        finishChunk();
        s.offsets.add(new double[]{collectionTime, offset});
    }

    /** A boundary chunk: lets a reader resynchronise after a damaged region. */
    public void boundary() throws IOException {
        startChunk(XdfChunks.BOUNDARY, 16);
        buf.put(XdfChunks.BOUNDARY_UUID);
        finishChunk();
    }

    /** Ends a stream: writes its footer (first/last timestamp, sample count, clock offsets). */
    public void closeStream(int streamId) throws IOException {
        StreamState s = state(streamId, null);
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?><info><first_timestamp>")
                .append(num(s.count == 0 ? 0 : s.first)).append("</first_timestamp><last_timestamp>")
                .append(num(s.count == 0 ? 0 : s.last)).append("</last_timestamp><sample_count>").append(s.count)
                .append("</sample_count><clock_offsets>");
        for (double[] o : s.offsets) {
            x.append("<offset><time>").append(num(o[0])).append("</time><value>").append(num(o[1]))
                    .append("</value></offset>");
        }
        x.append("</clock_offsets></info>");
        xmlChunk(XdfChunks.STREAM_FOOTER, streamId, x.toString());
        s.closed = true;
    }

    /** Samples written to a stream so far. */
    public long sampleCount(int streamId) {
        return state(streamId, null).count;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v).trim();
    }

    private void xmlChunk(int tag, Integer streamId, String xml) throws IOException {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        startChunk(tag, (streamId == null ? 0 : 4) + b.length);
        if (streamId != null) {
            buf.putInt(streamId);
        }
        buf.put(b);
        finishChunk();
    }

    /** Reserves the chunk's length field (8 bytes) and writes the tag; {@code maxContent} sizes the buffer. */
    private void startChunk(int tag, long maxContent) {
        long need = 1 + 8 + 2 + maxContent;
        if (need > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("chunk of " + need + " bytes: write it in smaller pieces");
        }
        if (buf.capacity() < need) {
            buf = ByteBuffer.allocate((int) Math.max(need, buf.capacity() * 2L)).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear();
        buf.position(9);
        buf.putShort((short) tag);
    }

    /**
     * Fills in the length with the fewest bytes XDF allows (1, 4 or 8) by moving the header right, then writes the
     * whole chunk in one call.
     */
    private void finishChunk() throws IOException {
        int end = buf.position();
        long length = end - 9;           // tag + content
        int width = length < 256 ? 1 : length <= 0xFFFFFFFFL ? 4 : 8;
        int start = 9 - 1 - width;
        buf.put(start, (byte) width);
        switch (width) {
            case 1 -> buf.put(start + 1, (byte) length);
            case 4 -> buf.putInt(start + 1, (int) length);
            default -> buf.putLong(start + 1, length);
        }
        buf.limit(end).position(start);
        writeOut();
    }

    private void varLen(long n) {
        if (n < 256) {
            buf.put((byte) 1).put((byte) n);
        } else if (n <= 0xFFFFFFFFL) {
            buf.put((byte) 4).putInt((int) n);
        } else {
            buf.put((byte) 8).putLong(n);
        }
    }

    private void flushBuffer() throws IOException {
        buf.flip();
        writeOut();
    }

    private void writeOut() throws IOException {
        while (buf.hasRemaining()) {
            bytesWritten += channel.write(buf);
        }
    }

    /** Forces what was written to the storage device (survives a power cut, not only a process kill). */
    public void sync() throws IOException {
        channel.force(false);
    }

    /** Closes every stream still open (writing its footer), then the file. */
    @Override
    public void close() throws IOException {
        try {
            for (Map.Entry<Integer, StreamState> e : streams.entrySet()) {
                if (!e.getValue().closed) {
                    closeStream(e.getKey());
                }
            }
            channel.force(false);
        } finally {
            channel.close();
        }
    }
}
