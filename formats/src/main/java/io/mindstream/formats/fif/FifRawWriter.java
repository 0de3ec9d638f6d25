package io.mindstream.formats.fif;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * Writes a raw FIF file that MNE's {@code read_raw_fif} opens: the file id, a measurement block with the measurement
 * info (channel count, rate, filter settings, date, one channel info record per channel), MNE's annotations block,
 * and a raw data block of float buffers ({@code stored = value / (range × cal)}, so a reader's calibration gives the
 * values back), in the tag order MNE itself writes. Buffers are written as they come; {@link #close()} ends the
 * blocks. A recording is one file (FIF offsets are signed 32-bit: at most 2 GB; larger exports fail clearly).
 */
public final class FifRawWriter implements Closeable {

    private static final long MAX_BYTES = Integer.MAX_VALUE;

    private final Path path;
    private final FileChannel channel;
    private final FifInfo info;
    private final float[] inverseCal;
    private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.BIG_ENDIAN);
    private long samples;
    private boolean closed;

    private FifRawWriter(Path path, FileChannel channel, FifInfo info) {
        this.path = path;
        this.channel = channel;
        this.info = info;
        this.inverseCal = new float[info.channelCount()];
        for (int c = 0; c < inverseCal.length; c++) {
            inverseCal[c] = (float) (1.0 / info.channels().get(c).calibration());
        }
    }

    /**
     * Creates the file and writes everything before the data: file id, measurement info, annotations (onsets in
     * seconds from the first sample), and the start of the raw data block with {@code firstSample}.
     */
    public static FifRawWriter create(Path path, FifInfo info, long firstSample, List<FifAnnotation> annotations)
            throws IOException {
        for (FifChannel c : info.channels()) {
            if (c.name().length() > 15) {
                throw new IllegalArgumentException("channel name '" + c.name() + "' is longer than FIF's 15 characters");
            }
            if (!(c.calibration() != 0 && Double.isFinite(c.calibration()))) {
                throw new IllegalArgumentException("channel " + c.name() + " has calibration " + c.calibration());
            }
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        FifRawWriter w = new FifRawWriter(path, ch, info);
        try {
            w.head(firstSample, annotations);
            return w;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void head(long firstSample, List<FifAnnotation> annotations) throws IOException {
        id(FifConstants.FILE_ID);
        intTag(FifConstants.DIR_POINTER, -1);
        intTag(FifConstants.FREE_LIST, -1);
        intTag(FifConstants.BLOCK_START, FifConstants.BLOCK_MEAS);
        id(FifConstants.BLOCK_ID);
        intTag(FifConstants.BLOCK_START, FifConstants.BLOCK_MEAS_INFO);
        intTag(FifConstants.NCHAN, info.channelCount());
        floatTag(FifConstants.SFREQ, (float) info.samplingRate());
        floatTag(FifConstants.LOWPASS, (float) info.lowpass());
        floatTag(FifConstants.HIGHPASS, (float) info.highpass());
        info.lineFreq().ifPresent(f -> {
            try {
                floatTag(FifConstants.LINE_FREQ, f.floatValue());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (info.measDate().isPresent()) {
            Instant d = info.measDate().get();
            start(FifConstants.MEAS_DATE, FifConstants.T_INT, 8);
            buf.putInt((int) d.getEpochSecond()).putInt(d.getNano() / 1000);
            end();
        }
        if (!info.description().isEmpty()) {
            stringTag(FifConstants.COMMENT, info.description());
        }
        for (FifChannel c : info.channels()) {
            start(FifConstants.CH_INFO, FifConstants.T_CH_INFO_STRUCT, FifInfoReader.CH_INFO_BYTES);
            buf.putInt(c.scanNo()).putInt(c.logNo()).putInt(c.kind()).putFloat(c.range()).putFloat(c.cal())
                    .putInt(c.coilType());
            for (int i = 0; i < 12; i++) {
                buf.putFloat(c.loc()[i]);
            }
            buf.putInt(c.unit()).putInt(c.unitMul());
            byte[] name = c.name().getBytes(StandardCharsets.ISO_8859_1);
            buf.put(name).put(new byte[16 - name.length]);
            end();
        }
        if (!info.bads().isEmpty()) {
            intTag(FifConstants.BLOCK_START, FifConstants.BLOCK_MNE_BAD_CHANNELS);
            stringTag(FifConstants.MNE_CH_NAME_LIST, String.join(":", info.bads()));
            intTag(FifConstants.BLOCK_END, FifConstants.BLOCK_MNE_BAD_CHANNELS);
        }
        intTag(FifConstants.BLOCK_END, FifConstants.BLOCK_MEAS_INFO);
        if (!annotations.isEmpty()) {
            // MNE stores onsets from its time origin: first_samp / sfreq before the first sample
            double shift = firstSample / info.samplingRate();
            float[] onset = new float[annotations.size()];
            float[] stop = new float[annotations.size()];
            StringBuilder desc = new StringBuilder();
            for (int i = 0; i < onset.length; i++) {
                FifAnnotation a = annotations.get(i);
                onset[i] = (float) (a.onset() + shift);
                stop[i] = (float) (a.onset() + shift + a.duration());
                desc.append(i == 0 ? "" : ":").append(a.description().replace(":", "{COLON}"));
            }
            intTag(FifConstants.BLOCK_START, FifConstants.BLOCK_MNE_ANNOTATIONS);
            floats(FifConstants.MNE_BASELINE_MIN, onset);
            floats(FifConstants.MNE_BASELINE_MAX, stop);
            stringTag(FifConstants.COMMENT, desc.toString());
            if (info.measDate().isPresent()) {
                Instant d = info.measDate().get();
                start(FifConstants.MEAS_DATE, FifConstants.T_DOUBLE, 16);
                buf.putDouble(d.getEpochSecond()).putDouble(d.getNano() / 1000);
                end();
            }
            intTag(FifConstants.BLOCK_END, FifConstants.BLOCK_MNE_ANNOTATIONS);
        }
        intTag(FifConstants.BLOCK_START, FifConstants.BLOCK_RAW_DATA);
        intTag(FifConstants.FIRST_SAMPLE, (int) firstSample);
    }

    /**
     * Appends one data buffer: {@code n} samples, sample-major values in the channels' units (calibration is
     * undone here so that {@code stored × range × cal} gives them back).
     */
    public void write(double[] sampleMajor, int n) throws IOException {
        int nchan = info.channelCount();
        if (sampleMajor.length < n * nchan) {
            throw new IllegalArgumentException(sampleMajor.length + " values for " + n + " samples of " + nchan
                    + " channels");
        }
        if (n == 0) {
            return;
        }
        start(FifConstants.DATA_BUFFER, FifConstants.T_FLOAT, n * nchan * 4);
        for (int i = 0; i < n * nchan; ) {
            for (int c = 0; c < nchan; c++, i++) {
                buf.putFloat((float) sampleMajor[i] * inverseCal[c]);
            }
        }
        end();
        samples += n;
    }

    public long samplesWritten() {
        return samples;
    }

    /** Ends the raw data and measurement blocks and the file (a final NOP, as MNE's end_file). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            intTag(FifConstants.BLOCK_END, FifConstants.BLOCK_RAW_DATA);
            intTag(FifConstants.BLOCK_END, FifConstants.BLOCK_MEAS);
            buf.clear();
            buf.putInt(FifConstants.NOP).putInt(FifConstants.T_VOID).putInt(0).putInt(FifConstants.NEXT_NONE);
            flush();
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    private void id(int kind) throws IOException {
        start(kind, FifConstants.T_ID_STRUCT, 20);
        SecureRandom r = new SecureRandom();
        long now = System.currentTimeMillis();
        buf.putInt(0x00010003).putInt(r.nextInt()).putInt(r.nextInt()).putInt((int) (now / 1000))
                .putInt((int) (now % 1000) * 1000);
        end();
    }

    private void intTag(int kind, int value) throws IOException {
        start(kind, FifConstants.T_INT, 4);
        buf.putInt(value);
        end();
    }

    private void floatTag(int kind, float value) throws IOException {
        start(kind, FifConstants.T_FLOAT, 4);
        buf.putFloat(value);
        end();
    }

    private void floats(int kind, float[] values) throws IOException {
        start(kind, FifConstants.T_FLOAT, values.length * 4);
        for (float v : values) {
            buf.putFloat(v);
        }
        end();
    }

    private void stringTag(int kind, String value) throws IOException {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        start(kind, FifConstants.T_STRING, b.length);
        buf.put(b);
        end();
    }

    private void start(int kind, int type, int size) throws IOException {
        if (channel.position() + FifConstants.TAG_HEADER_BYTES + size > MAX_BYTES) {
            throw new IOException(path + ": a FIF file holds at most 2 GB (32-bit offsets); this export needs more");
        }
        int need = FifConstants.TAG_HEADER_BYTES + size;
        if (buf.capacity() < need) {
            buf = ByteBuffer.allocate(Math.max(need, buf.capacity() * 2)).order(ByteOrder.BIG_ENDIAN);
        }
        buf.clear();
        buf.putInt(kind).putInt(type).putInt(size).putInt(FifConstants.NEXT_SEQ);
    }

    private void end() throws IOException {
        flush();
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}
