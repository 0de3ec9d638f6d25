package io.mindstream.contracts.codec;

import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;

import java.nio.ByteBuffer;

/**
 * {@link StreamDescription} wire format {@code MSD1} (docs/contracts.md): a 13-byte fixed header (kind, from
 * sequence), then session and stream id, then the stream-info XML as a long text field (i32 length, UTF-8: a big
 * MEG system's description does not fit a u16 string), then the trace.
 */
public final class StreamDescriptionCodec extends AbstractRecordCodec<StreamDescription> {

    /** Bytes before the first string. */
    public static final int FIXED_HEADER_SIZE = 13;

    private static final StreamKind[] KINDS = StreamKind.values();

    public StreamDescriptionCodec() {
        super(Wire.TYPE_DESCRIPTION);
    }

    @Override
    long bodySize(StreamDescription d) {
        return FIXED_HEADER_SIZE - Wire.MAGIC_SIZE
                + Wire.stringSize(d.session(), recordType(), "session")
                + Wire.stringSize(d.streamId(), recordType(), "streamId")
                + Wire.textSize(d.xml(), recordType(), "xml")
                + Wire.TRACE_SIZE;
    }

    @Override
    void writeBody(StreamDescription d, ByteBuffer b) {
        b.put((byte) d.kind().code()).putLong(d.fromSequence());
        Wire.putString(b, d.session());
        Wire.putString(b, d.streamId());
        Wire.putText(b, d.xml());
        Wire.putTrace(b, d.trace());
    }

    @Override
    StreamDescription readBody(WireReader r, byte version) {
        int at = r.offset();
        int kindCode = r.u8("stream kind");
        if (kindCode >= KINDS.length) {
            throw r.error(at, "unknown stream kind code " + kindCode);
        }
        at = r.offset();
        long from = r.i64("fromSequence");
        if (from < 0) {
            throw r.error(at, "fromSequence " + from + " is negative");
        }
        String session = r.string("session", false);
        String streamId = r.string("streamId", false);
        String xml = r.text("xml");
        return new StreamDescription(session, streamId, KINDS[kindCode], from, xml, r.trace());
    }
}
