package io.mindstream.decoder.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.Stage;

/**
 * The compact JSON form of a {@link DecodeResult} sent as one string sample on the closed-loop LSL outlet:
 * <pre>{"session":"sim","epochId":"sim/sim-meg/marker/43","eventTime":512.25,"label":"onset image=… trial=…",
 *  "trueImage":"c0004_e03","top":[{"id":"c0004_e03","score":0.41},…],"model":"brain-module-demo.onnx@1a2b…",
 *  "flags":0,"flagNames":"OK","decodedMicros":1764160000123456}</pre>
 * {@code trueImage} is the image the marker named (null for windows); the embedding itself is not included (use the
 * {@code embedding} outlet format for that).
 */
public final class DecodeResultJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DecodeResultJson() {
    }

    public static String toJson(DecodeResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("session", r.session());
        o.put("epochId", r.epochId());
        o.put("eventTime", r.trigger().eventTime());
        o.put("label", r.trigger().label());
        o.put("trueImage", r.trigger().imageId());
        ArrayNode top = o.putArray("top");
        for (Match m : r.topK()) {
            top.addObject().put("id", m.imageId()).put("score", m.score());
        }
        o.put("model", r.modelId());
        o.put("flags", r.qualityFlags());
        o.put("flagNames", QualityFlags.describe(r.qualityFlags()));
        o.put("decodedMicros", r.trace().get(Stage.DECODED));
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise decode result " + r.epochId(), e);
        }
    }
}
