package io.mindstream.contracts.codec;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;

import java.nio.ByteBuffer;

/**
 * {@link SampleChunk} wire format {@code MSC2} (docs/contracts.md): a 46-byte fixed header, session and stream id,
 * the per-sample timestamps (f64), the values exactly as held by the chunk (sample-major, little-endian, in the
 * chunk's format: one bulk copy each way) and the trace. {@code MSC1} (no {@code lostBefore}: read as 0) is still
 * read, so topics written by earlier builds stay readable.
 */
public final class SampleChunkCodec extends AbstractRecordCodec<SampleChunk> {

    /** Bytes before the first string: magic, kind, format, 4 × u32, f64 rate, i64 first sequence, i64 lost before. */
    public static final int FIXED_HEADER_SIZE = 46;
    private static final byte VERSION_1 = '1';
    private static final byte VERSION_2 = '2';

    private static final StreamKind[] KINDS = StreamKind.values();
    private static final ChannelFormat[] FORMATS = ChannelFormat.values();

    public SampleChunkCodec() {
        super(Wire.TYPE_CHUNK, VERSION_1, VERSION_2);
    }

    @Override
    long bodySize(SampleChunk c) {
        return FIXED_HEADER_SIZE - Wire.MAGIC_SIZE
                + Wire.stringSize(c.session(), recordType(), "session")
                + Wire.stringSize(c.streamId(), recordType(), "streamId")
                + 8L * c.timestamps().length + c.values().length + Wire.TRACE_SIZE;
    }

    @Override
    void writeBody(SampleChunk c, ByteBuffer b) {
        double[] ts = c.timestamps();
        b.put((byte) c.kind().code())
                .put((byte) c.format().lslCode())
                .putInt(c.totalChannels())
                .putInt(c.channelOffset())
                .putInt(c.channelCount())
                .putInt(ts.length)
                .putDouble(c.nominalRate())
                .putLong(c.firstSequence())
                .putLong(c.lostBefore());
        Wire.putString(b, c.session());
        Wire.putString(b, c.streamId());
        b.asDoubleBuffer().put(ts);
        b.position(b.position() + ts.length * 8);
        b.put(c.values());
        Wire.putTrace(b, c.trace());
    }

    @Override
    SampleChunk readBody(WireReader r, byte version) {
        int at = r.offset();
        int kindCode = r.u8("stream kind");
        if (kindCode >= KINDS.length) {
            throw r.error(at, "unknown stream kind code " + kindCode);
        }
        at = r.offset();
        int formatCode = r.u8("channel format");
        ChannelFormat format = null;
        for (ChannelFormat f : FORMATS) {
            if (f.lslCode() == formatCode) {
                format = f;
            }
        }
        if (format == null) {
            throw r.error(at, "unknown channel format code " + formatCode);
        }
        if (!format.isNumeric()) {
            throw r.error(at, "channel format " + format + " cannot be carried in a sample chunk");
        }
        int total = r.count("total channel count", 1);
        int offset = r.count("channel offset", 0);
        at = r.offset();
        int channels = r.count("channel count", 1);
        if ((long) offset + channels > total) {
            throw r.error(at, "channels " + offset + " + " + channels + " exceed the stream's " + total);
        }
        int samples = r.count("sample count", 0);
        double rate = r.f64("nominal rate");
        long firstSequence = r.i64("first sequence");
        long lostBefore = 0;
        if (version >= VERSION_2) {
            at = r.offset();
            lostBefore = r.i64("lost before");
            if (lostBefore < 0) {
                throw r.error(at, "lost before is " + lostBefore + ", must be ≥ 0");
            }
        }
        String session = r.string("session", false);
        String streamId = r.string("streamId", false);
        double[] timestamps = r.doubles(samples, "timestamps");
        r.needArray((long) samples * channels, format.bytesPerValue(), "values");
        byte[] values = r.bytes((long) samples * channels * format.bytesPerValue(), "values");
        TraceStamps trace = r.trace();
        return new SampleChunk(session, streamId, KINDS[kindCode], format, total, offset, channels, rate,
                firstSequence, lostBefore, timestamps, values, trace);
    }
}
