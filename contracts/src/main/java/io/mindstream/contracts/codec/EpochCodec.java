package io.mindstream.contracts.codec;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;

import java.nio.ByteBuffer;

/**
 * {@link Epoch} wire format {@code MSE1} (docs/contracts.md): a 63-byte fixed header (kinds, flags, times, rate,
 * trigger numbers, channels × times), the strings, the channel-major float32 data (one bulk copy each way), then
 * the trace. Used for both the {@code epochs} and the {@code windows} topics.
 */
public final class EpochCodec extends AbstractRecordCodec<Epoch> {

    /** Bytes before the first string. */
    public static final int FIXED_HEADER_SIZE = 63;

    private static final StreamKind[] KINDS = StreamKind.values();

    public EpochCodec() {
        super(Wire.TYPE_EPOCH);
    }

    @Override
    long bodySize(Epoch e) {
        Trigger t = e.trigger();
        return FIXED_HEADER_SIZE - Wire.MAGIC_SIZE
                + Wire.stringSize(e.session(), recordType(), "session")
                + Wire.stringSize(e.epochId(), recordType(), "epochId")
                + Wire.stringSize(e.streamId(), recordType(), "streamId")
                + Wire.stringSize(e.preprocessingId(), recordType(), "preprocessingId")
                + Wire.stringSize(t.label(), recordType(), "trigger label")
                + Wire.stringSize(t.imageId(), recordType(), "trigger imageId")
                + 4L * e.data().length + Wire.TRACE_SIZE;
    }

    @Override
    void writeBody(Epoch e, ByteBuffer b) {
        Trigger t = e.trigger();
        b.put((byte) e.streamKind().code())
                .put((byte) t.kind().ordinal())
                .put((byte) Wire.flags(t.code()))
                .putInt(e.qualityFlags())
                .putDouble(e.tStart())
                .putDouble(e.tEnd())
                .putDouble(e.sampleRate());
        Wire.putTriggerNumbers(b, t);
        b.putInt(e.channels()).putInt(e.times());
        Wire.putString(b, e.session());
        Wire.putString(b, e.epochId());
        Wire.putString(b, e.streamId());
        Wire.putString(b, e.preprocessingId());
        Wire.putString(b, t.label());
        Wire.putString(b, t.imageId());
        float[] data = e.data();
        b.asFloatBuffer().put(data);
        b.position(b.position() + data.length * 4);
        Wire.putTrace(b, e.trace());
    }

    @Override
    Epoch readBody(WireReader r, byte version) {
        int at = r.offset();
        int kindCode = r.u8("stream kind");
        if (kindCode >= KINDS.length) {
            throw r.error(at, "unknown stream kind code " + kindCode);
        }
        TriggerKind triggerKind = Wire.triggerKind(r);
        int flags = Wire.readFlags(r, "trigger flags");
        int quality = r.i32("quality flags");
        double tStart = r.f64("tStart");
        double tEnd = r.f64("tEnd");
        double rate = r.f64("sample rate");
        double eventTime = r.f64("trigger event time");
        long eventSequence = r.i64("trigger event sequence");
        Integer code = Wire.readCode(r, flags, "trigger code");
        int channels = r.count("channel count", 1);
        int times = r.count("time count", 1);
        String session = r.string("session", false);
        String epochId = r.string("epochId", false);
        String streamId = r.string("streamId", false);
        String preprocessingId = r.string("preprocessingId", false);
        String label = r.string("trigger label", true);
        String imageId = r.string("trigger imageId", true);
        long cells = (long) channels * times;
        r.needArray(cells, 4, "data (" + channels + " × " + times + " float32)");
        float[] data = r.floats((int) cells, "data");
        Trigger trigger = new Trigger(triggerKind, eventTime, eventSequence, label, code, imageId);
        return new Epoch(session, epochId, streamId, KINDS[kindCode], trigger, tStart, tEnd, rate, channels, times,
                data, preprocessingId, quality, r.trace());
    }
}
