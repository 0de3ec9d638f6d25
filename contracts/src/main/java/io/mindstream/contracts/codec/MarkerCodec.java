package io.mindstream.contracts.codec;

import io.mindstream.contracts.Marker;

import java.nio.ByteBuffer;

/**
 * {@link Marker} wire format {@code MSM1} (docs/contracts.md): a 25-byte fixed header (sequence, timestamp, flags,
 * code), then session, stream id, label and image id (the last two nullable), then the trace.
 */
public final class MarkerCodec extends AbstractRecordCodec<Marker> {

    /** Bytes before the first string. */
    public static final int FIXED_HEADER_SIZE = 25;

    public MarkerCodec() {
        super(Wire.TYPE_MARKER);
    }

    @Override
    long bodySize(Marker m) {
        return FIXED_HEADER_SIZE - Wire.MAGIC_SIZE
                + Wire.stringSize(m.session(), recordType(), "session")
                + Wire.stringSize(m.streamId(), recordType(), "streamId")
                + Wire.stringSize(m.label(), recordType(), "label")
                + Wire.stringSize(m.imageId(), recordType(), "imageId")
                + Wire.TRACE_SIZE;
    }

    @Override
    void writeBody(Marker m, ByteBuffer b) {
        b.putLong(m.sequence())
                .putDouble(m.timestamp())
                .put((byte) Wire.flags(m.code()))
                .putInt(m.code() == null ? 0 : m.code());
        Wire.putString(b, m.session());
        Wire.putString(b, m.streamId());
        Wire.putString(b, m.label());
        Wire.putString(b, m.imageId());
        Wire.putTrace(b, m.trace());
    }

    @Override
    Marker readBody(WireReader r, byte version) {
        long sequence = r.i64("sequence");
        double timestamp = r.f64("timestamp");
        int flags = Wire.readFlags(r, "flags");
        Integer code = Wire.readCode(r, flags, "code");
        String session = r.string("session", false);
        String streamId = r.string("streamId", false);
        int labelAt = r.offset();
        String label = r.string("label", true);
        String imageId = r.string("imageId", true);
        if (label == null && code == null) {
            throw r.error(labelAt, "marker has neither a label nor a code");
        }
        return new Marker(session, streamId, sequence, timestamp, label,
                code, imageId, r.trace());
    }
}
