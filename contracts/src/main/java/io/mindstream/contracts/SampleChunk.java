package io.mindstream.contracts;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One stream's samples for a short span (architecture.md §1): all channels (or, for very wide fMRI volumes, a
 * contiguous slice of them, see {@link #channelOffset()}), the LSL timestamp of every sample in the ingest host's
 * clock, and wall-clock trace stamps.
 *
 * <p>Values are kept in the stream's own {@link ChannelFormat}, little-endian, sample-major
 * ({@code values[(s * channelCount + c) * bytesPerValue]}), so nothing is lost for int or double streams and a
 * float32 MEG chunk is one bulk copy. String streams are carried as {@link Marker}s, never as chunks.
 *
 * @param session       subject/run key; every record of a session carries the same one (and is keyed by it)
 * @param streamId      the LSL source_id (or name when the source has none) of the stream
 * @param kind          what the stream carries
 * @param format        numeric channel format of {@code values}
 * @param totalChannels channel count of the whole stream
 * @param channelOffset first channel held here; 0 unless a wide sample was split across records
 * @param channelCount  channels held here ({@code channelOffset + channelCount <= totalChannels})
 * @param nominalRate   the stream's nominal sampling rate in Hz (0 = irregular)
 * @param firstSequence sequence number of the first sample since the stream was first seen (gap accounting)
 * @param lostBefore    samples lost at the source just before this chunk: sequences {@code firstSequence −
 *                      lostBefore … firstSequence − 1} will never exist (ingest saw the stream's stamps jump, or it
 *                      was not reading the stream). 0 otherwise. A hole in the sequence numbers that this does not
 *                      account for is records still on their way: readers wait for them (docs/contracts.md)
 * @param timestamps    per-sample LSL timestamps, seconds, ingest host clock
 * @param values        sampleCount × channelCount values, little-endian in {@code format}
 * @param trace         wall-clock trace stamps
 */
public record SampleChunk(
        String session,
        String streamId,
        StreamKind kind,
        ChannelFormat format,
        int totalChannels,
        int channelOffset,
        int channelCount,
        double nominalRate,
        long firstSequence,
        long lostBefore,
        double[] timestamps,
        byte[] values,
        TraceStamps trace) {

    // Little-endian views straight onto the byte[]: value() runs per voxel/sample on hot paths (fMRI masking,
    // format conversion), and wrapping a ByteBuffer per call would allocate there.
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public SampleChunk {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(trace, "trace");
        if (lostBefore < 0) {
            throw new IllegalArgumentException("lostBefore must be ≥ 0, got " + lostBefore);
        }
        if (!format.isNumeric()) {
            throw new IllegalArgumentException("sample chunks hold numeric formats only, not " + format);
        }
        // in long: channelOffset + channelCount can exceed Integer.MAX_VALUE and wrap negative in int
        if (channelCount <= 0 || channelOffset < 0 || (long) channelOffset + channelCount > totalChannels) {
            throw new IllegalArgumentException("bad channel range: offset " + channelOffset + " count " + channelCount
                    + " of " + totalChannels);
        }
        if ((long) timestamps.length * channelCount * format.bytesPerValue() != values.length) {
            throw new IllegalArgumentException("values hold " + values.length + " bytes, expected "
                    + timestamps.length + " samples × " + channelCount + " channels × " + format.bytesPerValue());
        }
    }

    /** A float32 chunk of a whole (unsplit) stream from sample-major values. */
    public static SampleChunk ofFloats(String session, String streamId, StreamKind kind, int channels,
                                       double nominalRate, long firstSequence, double[] timestamps,
                                       float[] sampleMajorValues, TraceStamps trace) {
        ByteBuffer buf = ByteBuffer.allocate(sampleMajorValues.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(sampleMajorValues);
        return new SampleChunk(session, streamId, kind, ChannelFormat.FLOAT32, channels, 0, channels, nominalRate,
                firstSequence, 0, timestamps, buf.array(), trace);
    }

    /** The same chunk with other trace stamps (stages stamp records as they pass). */
    public SampleChunk withTrace(TraceStamps newTrace) {
        return new SampleChunk(session, streamId, kind, format, totalChannels, channelOffset, channelCount,
                nominalRate, firstSequence, lostBefore, timestamps, values, newTrace);
    }

    /**
     * Where the stream's data ends, as ingest saw it (it stopped reading the stream, or lost it): a chunk with no
     * samples whose {@code firstSequence} is the sequence the next sample would have had. Data may follow later.
     */
    public static SampleChunk end(String session, String streamId, StreamKind kind, ChannelFormat format,
                                  int totalChannels, double nominalRate, long nextSequence, TraceStamps trace) {
        return new SampleChunk(session, streamId, kind, format, totalChannels, 0, totalChannels, nominalRate,
                nextSequence, 0, new double[0], new byte[0], trace);
    }

    /** True for the record that marks where the stream's data ends (see {@link #end}). */
    public boolean isEnd() {
        return timestamps.length == 0;
    }

    public int sampleCount() {
        return timestamps.length;
    }

    /** True when this record holds every channel of its stream. */
    public boolean isWhole() {
        return channelOffset == 0 && channelCount == totalChannels;
    }

    /** The value of one sample and channel, converted to float whatever the format. */
    public float value(int sample, int channel) {
        int i = (sample * channelCount + channel) * format.bytesPerValue();
        return switch (format) {
            case FLOAT32 -> (float) FLOAT.get(values, i);
            case DOUBLE64 -> (float) (double) DOUBLE.get(values, i);
            case INT32 -> (int) INT.get(values, i);
            case INT16 -> (short) SHORT.get(values, i);
            case INT8 -> values[i];
            case INT64 -> (long) LONG.get(values, i);
            case STRING -> throw new IllegalStateException("string chunk");
        };
    }

    /** Copies all values, converted to float, sample-major into {@code dst} starting at {@code offset}. */
    public void copyFloats(float[] dst, int offset) {
        int n = timestamps.length * channelCount;
        if (format == ChannelFormat.FLOAT32) {
            ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, offset, n);
            return;
        }
        for (int s = 0, k = 0; s < timestamps.length; s++) {
            for (int c = 0; c < channelCount; c++, k++) {
                dst[offset + k] = value(s, c);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleChunk c
                && session.equals(c.session) && streamId.equals(c.streamId) && kind == c.kind && format == c.format
                && totalChannels == c.totalChannels && channelOffset == c.channelOffset
                && channelCount == c.channelCount && Double.compare(nominalRate, c.nominalRate) == 0
                && firstSequence == c.firstSequence && lostBefore == c.lostBefore
                && Arrays.equals(timestamps, c.timestamps)
                && Arrays.equals(values, c.values) && trace.equals(c.trace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(session, streamId, kind, format, totalChannels, channelOffset, channelCount,
                firstSequence, lostBefore, Arrays.hashCode(timestamps), Arrays.hashCode(values), trace);
    }

    @Override
    public String toString() {
        return "SampleChunk[" + session + "/" + streamId + " " + kind + " " + format + " ch " + channelOffset + "+"
                + channelCount + "/" + totalChannels + " seq " + firstSequence + " n " + timestamps.length
                + (lostBefore > 0 ? " lost before " + lostBefore : "") + "]";
    }
}
