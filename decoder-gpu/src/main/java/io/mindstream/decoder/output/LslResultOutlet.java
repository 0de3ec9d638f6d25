package io.mindstream.decoder.output;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import io.mindstream.lsl4j.XmlElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each decode result on an LSL outlet (architecture.md §8: the closed loop does not wait for Kafka).
 * See {@link LslOutletFormat} for the two sample formats; the stream's {@code desc} names the model, the embedding
 * dimension and the format so a client can check it is listening to the right decoder.
 */
public final class LslResultOutlet implements ResultSink {

    private static final Logger log = LoggerFactory.getLogger(LslResultOutlet.class);

    private final StreamOutlet outlet;
    private final LslOutletFormat format;
    private final int dim;

    public LslResultOutlet(String name, String sourceId, LslOutletFormat format, int dim, String modelId) {
        this(name, sourceId, format, dim, modelId, null);
    }

    /**
     * @param windowModelId the model that decodes sliding windows on this outlet too, or null: named in the stream's
     *                      {@code desc} ({@code window_model}) so a closed-loop client can check both models
     */
    public LslResultOutlet(String name, String sourceId, LslOutletFormat format, int dim, String modelId,
                           String windowModelId) {
        this.format = format;
        this.dim = dim;
        StreamInfo info = format == LslOutletFormat.JSON
                ? new StreamInfo(name, "DecodeResults", 1, StreamInfo.IRREGULAR_RATE, ChannelFormat.STRING, sourceId)
                : new StreamInfo(name, "DecodeEmbedding", dim, StreamInfo.IRREGULAR_RATE, ChannelFormat.FLOAT32, sourceId);
        XmlElement desc = info.desc();
        desc.appendChildValue("format", format.name().toLowerCase(java.util.Locale.ROOT));
        desc.appendChildValue("model", modelId);
        if (windowModelId != null) {
            desc.appendChildValue("window_model", windowModelId);
        }
        desc.appendChildValue("embedding_dim", Integer.toString(dim));
        desc.appendChildValue("producer", "mindstream decoder");
        this.outlet = new StreamOutlet(info, 1, 60);
        log.info("LSL outlet '{}' (source_id {}, {} format) publishing decode results", name, sourceId, format);
    }

    public StreamInfo info() {
        return outlet.info();
    }

    @Override
    public void accept(DecodeResult r) {
        double now = LslClock.localClock();
        if (format == LslOutletFormat.JSON) {
            outlet.pushSample(new String[]{DecodeResultJson.toJson(r)}, now);
        } else {
            if (r.embedding().length != dim) {
                throw new IllegalArgumentException("result " + r.epochId() + " has a " + r.embedding().length
                        + "-d embedding, the outlet " + dim);
            }
            outlet.pushSample(r.embedding(), now);
        }
    }

    @Override
    public void close() {
        outlet.close();
    }
}
