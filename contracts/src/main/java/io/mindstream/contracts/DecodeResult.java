package io.mindstream.contracts;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the decoder made of one epoch or window.
 *
 * @param session      subject/run key
 * @param epochId      the decoded epoch's id
 * @param trigger      the epoch's trigger (so the display can show the stimulus the marker named)
 * @param embedding    predicted image embedding (e.g. DINOv2 space)
 * @param topK         best matches in the bank, best first
 * @param modelId      which model (file name + version/hash) decoded it
 * @param qualityFlags the epoch's {@link QualityFlags}, passed on
 * @param trace        the epoch's trace plus {@link Stage#DECODED}
 */
public record DecodeResult(
        String session,
        String epochId,
        Trigger trigger,
        float[] embedding,
        List<Match> topK,
        String modelId,
        int qualityFlags,
        TraceStamps trace) {

    public DecodeResult {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(epochId, "epochId");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(trace, "trace");
        topK = List.copyOf(topK);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodeResult r && session.equals(r.session) && epochId.equals(r.epochId)
                && trigger.equals(r.trigger) && Arrays.equals(embedding, r.embedding) && topK.equals(r.topK)
                && modelId.equals(r.modelId) && qualityFlags == r.qualityFlags && trace.equals(r.trace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(session, epochId, trigger, Arrays.hashCode(embedding), topK, modelId, qualityFlags);
    }

    @Override
    public String toString() {
        return "DecodeResult[" + epochId + " top1 " + (topK.isEmpty() ? "-" : topK.get(0)) + " model " + modelId + "]";
    }
}
