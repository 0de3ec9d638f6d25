package io.mindstream.contracts.codec;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DecodeResult} wire format {@code MSR1} (docs/contracts.md): a 38-byte fixed header (trigger, quality flags,
 * embedding length, match count), the strings, the float32 embedding, the matches ({@code imageId} string + f32
 * score each, best first), then the trace.
 */
public final class DecodeResultCodec extends AbstractRecordCodec<DecodeResult> {

    /** Bytes before the first string. */
    public static final int FIXED_HEADER_SIZE = 38;
    /** The least a match can take on the wire: an empty id (u16 length) and its score. */
    private static final int MIN_MATCH_SIZE = 2 + 4;

    public DecodeResultCodec() {
        super(Wire.TYPE_RESULT);
    }

    @Override
    long bodySize(DecodeResult d) {
        Trigger t = d.trigger();
        long size = FIXED_HEADER_SIZE - Wire.MAGIC_SIZE
                + Wire.stringSize(d.session(), recordType(), "session")
                + Wire.stringSize(d.epochId(), recordType(), "epochId")
                + Wire.stringSize(d.modelId(), recordType(), "modelId")
                + Wire.stringSize(t.label(), recordType(), "trigger label")
                + Wire.stringSize(t.imageId(), recordType(), "trigger imageId")
                + 4L * d.embedding().length + Wire.TRACE_SIZE;
        List<Match> topK = d.topK();
        for (int i = 0; i < topK.size(); i++) {
            size += Wire.stringSize(topK.get(i).imageId(), recordType(), "topK imageId") + 4;
        }
        return size;
    }

    @Override
    void writeBody(DecodeResult d, ByteBuffer b) {
        Trigger t = d.trigger();
        b.put((byte) t.kind().ordinal())
                .put((byte) Wire.flags(t.code()))
                .putInt(d.qualityFlags());
        Wire.putTriggerNumbers(b, t);
        float[] embedding = d.embedding();
        List<Match> topK = d.topK();
        b.putInt(embedding.length).putInt(topK.size());
        Wire.putString(b, d.session());
        Wire.putString(b, d.epochId());
        Wire.putString(b, d.modelId());
        Wire.putString(b, t.label());
        Wire.putString(b, t.imageId());
        b.asFloatBuffer().put(embedding);
        b.position(b.position() + embedding.length * 4);
        for (Match m : topK) {
            Wire.putString(b, m.imageId());
            b.putFloat(m.score());
        }
        Wire.putTrace(b, d.trace());
    }

    @Override
    DecodeResult readBody(WireReader r, byte version) {
        TriggerKind triggerKind = Wire.triggerKind(r);
        int flags = Wire.readFlags(r, "trigger flags");
        int quality = r.i32("quality flags");
        double eventTime = r.f64("trigger event time");
        long eventSequence = r.i64("trigger event sequence");
        Integer code = Wire.readCode(r, flags, "trigger code");
        int dim = r.count("embedding length", 0);
        int k = r.count("match count", 0);
        String session = r.string("session", false);
        String epochId = r.string("epochId", false);
        String modelId = r.string("modelId", false);
        String label = r.string("trigger label", true);
        String imageId = r.string("trigger imageId", true);
        float[] embedding = r.floats(dim, "embedding");
        r.needArray(k, MIN_MATCH_SIZE, "matches");
        List<Match> topK = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            String id = r.string("topK imageId", false);
            topK.add(new Match(id, r.f32("topK score")));
        }
        Trigger trigger = new Trigger(triggerKind, eventTime, eventSequence, label, code, imageId);
        return new DecodeResult(session, epochId, trigger, embedding, topK, modelId, quality, r.trace());
    }
}
