package io.mindstream.contracts.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * The known records behind the committed vectors in {@code src/test/resources/vectors/} and the generator that
 * writes them ({@code <name>.bin} = the encoding, {@code <name>.json} = what it holds, for humans and for the Python
 * example). Regenerate after a deliberate format change (and bump the version, see docs/contracts.md) with:
 * <pre>
 *   mvn -B -pl contracts test -Dtest=CodecVectorsTest -Dvectors.regenerate=true
 * </pre>
 */
final class TestVectors {

    static final Path DIR = Path.of("src/test/resources/vectors");

    /** 2026-01-01T00:00:00Z in µs, the base of every trace stamp below. */
    static final long T0 = 1_767_225_600_000_000L;

    private TestVectors() {
    }

    static TraceStamps trace(Stage... reached) {
        TraceStamps t = TraceStamps.empty();
        for (int i = 0; i < reached.length; i++) {
            t = t.with(reached[i], T0 + 250L * i);
        }
        return t;
    }

    /**
     * 4 channels × 3 samples float32; value(s, c) = s + c / 4 (exact in binary), first sample at t = 100 s, 12 samples
     * lost at the source just before it.
     */
    static SampleChunk sampleChunk() {
        int channels = 4;
        int samples = 3;
        double rate = 1000.0;
        double[] ts = new double[samples];
        float[] v = new float[samples * channels];
        for (int s = 0; s < samples; s++) {
            ts[s] = 100.0 + s / rate;
            for (int c = 0; c < channels; c++) {
                v[s * channels + c] = s + c / 4f;
            }
        }
        SampleChunk c = SampleChunk.ofFloats("sub-01/run-1", "meg-sim", StreamKind.MEG, channels, rate, 3000, ts, v,
                trace(Stage.ACQUIRED, Stage.INGESTED, Stage.JOURNALED, Stage.PRODUCED));
        return new SampleChunk(c.session(), c.streamId(), c.kind(), c.format(), c.totalChannels(), c.channelOffset(),
                c.channelCount(), c.nominalRate(), c.firstSequence(), 12, c.timestamps(), c.values(), c.trace());
    }

    static Marker marker() {
        return new Marker("sub-01/run-1", "markers-sim", 7, 100.0015, "onset image=img-0042 trial=7 split=test", 42,
                "img-0042", trace(Stage.ACQUIRED, Stage.INGESTED));
    }

    static Trigger trigger() {
        return new Trigger(TriggerKind.MARKER, 100.0015, 7, "onset image=img-0042 trial=7 split=test", null,
                "img-0042");
    }

    /** 3 channels × 4 times; value(c, t) = c * 10 + t. */
    static Epoch epoch() {
        int channels = 3;
        int times = 4;
        float[] d = new float[channels * times];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < times; t++) {
                d[c * times + t] = c * 10 + t;
            }
        }
        return new Epoch("sub-01/run-1", "sub-01/run-1/meg-sim/marker/7", "meg-sim", StreamKind.MEG, trigger(),
                99.9, 100.8, 120.0, channels, times, d, "bandpass-0.1-40/robust-v1", 0,
                trace(Stage.ACQUIRED, Stage.INGESTED, Stage.JOURNALED, Stage.PRODUCED, Stage.CONSUMED, Stage.EPOCHED));
    }

    static DecodeResult decodeResult() {
        return new DecodeResult("sub-01/run-1", "sub-01/run-1/meg-sim/marker/7", trigger(),
                new float[] {0.5f, -0.25f, 0.125f, 1.0f},
                List.of(new Match("img-0042", 0.875f), new Match("img-0007", 0.5f), new Match("img-0100", -0.125f)),
                "ridge-meg-v1", 0, trace(Stage.ACQUIRED, Stage.INGESTED, Stage.JOURNALED, Stage.PRODUCED,
                Stage.CONSUMED, Stage.EPOCHED, Stage.DECODED));
    }

    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        write(dir, om, "sample-chunk", new SampleChunkCodec().encode(sampleChunk()), describe(om, sampleChunk()));
        write(dir, om, "marker", new MarkerCodec().encode(marker()), describe(om, marker()));
        write(dir, om, "epoch", new EpochCodec().encode(epoch()), describe(om, epoch()));
        write(dir, om, "decode-result", new DecodeResultCodec().encode(decodeResult()), describe(om, decodeResult()));
    }

    private static void write(Path dir, ObjectMapper om, String name, byte[] bytes, ObjectNode description)
            throws IOException {
        ObjectNode root = om.createObjectNode();
        root.put("file", name + ".bin");
        root.put("bytes", bytes.length);
        root.put("hex", HexFormat.of().formatHex(bytes));
        root.set("record", description);
        Files.write(dir.resolve(name + ".bin"), bytes);
        Files.writeString(dir.resolve(name + ".json"), om.writeValueAsString(root) + "\n");
    }

    private static ObjectNode trace(ObjectMapper om, TraceStamps t) {
        ObjectNode n = om.createObjectNode();
        for (Stage s : Stage.values()) {
            n.put(s.name(), t.get(s));
        }
        return n;
    }

    private static ObjectNode trigger(ObjectMapper om, Trigger t) {
        ObjectNode n = om.createObjectNode();
        n.put("kind", t.kind().name());
        n.put("eventTime", t.eventTime());
        n.put("eventSequence", t.eventSequence());
        n.put("label", t.label());
        n.put("code", t.code());
        n.put("imageId", t.imageId());
        return n;
    }

    private static ArrayNode floats(ObjectMapper om, float[] v) {
        ArrayNode a = om.createArrayNode();
        for (float f : v) {
            a.add(f);
        }
        return a;
    }

    static ObjectNode describe(ObjectMapper om, SampleChunk c) {
        ObjectNode n = om.createObjectNode();
        n.put("type", "SampleChunk");
        n.put("session", c.session());
        n.put("streamId", c.streamId());
        n.put("kind", c.kind().name());
        n.put("format", c.format().name());
        n.put("totalChannels", c.totalChannels());
        n.put("channelOffset", c.channelOffset());
        n.put("channelCount", c.channelCount());
        n.put("nominalRate", c.nominalRate());
        n.put("firstSequence", c.firstSequence());
        n.put("lostBefore", c.lostBefore());
        ArrayNode ts = n.putArray("timestamps");
        for (double t : c.timestamps()) {
            ts.add(t);
        }
        float[] v = new float[c.sampleCount() * c.channelCount()];
        c.copyFloats(v, 0);
        n.set("valuesSampleMajor", floats(om, v));
        n.set("trace", trace(om, c.trace()));
        return n;
    }

    static ObjectNode describe(ObjectMapper om, Marker m) {
        ObjectNode n = om.createObjectNode();
        n.put("type", "Marker");
        n.put("session", m.session());
        n.put("streamId", m.streamId());
        n.put("sequence", m.sequence());
        n.put("timestamp", m.timestamp());
        n.put("label", m.label());
        n.put("code", m.code());
        n.put("imageId", m.imageId());
        n.set("trace", trace(om, m.trace()));
        return n;
    }

    static ObjectNode describe(ObjectMapper om, Epoch e) {
        ObjectNode n = om.createObjectNode();
        n.put("type", "Epoch");
        n.put("session", e.session());
        n.put("epochId", e.epochId());
        n.put("streamId", e.streamId());
        n.put("streamKind", e.streamKind().name());
        n.set("trigger", trigger(om, e.trigger()));
        n.put("tStart", e.tStart());
        n.put("tEnd", e.tEnd());
        n.put("sampleRate", e.sampleRate());
        n.put("channels", e.channels());
        n.put("times", e.times());
        n.set("dataChannelMajor", floats(om, e.data()));
        n.put("preprocessingId", e.preprocessingId());
        n.put("qualityFlags", e.qualityFlags());
        n.set("trace", trace(om, e.trace()));
        return n;
    }

    static ObjectNode describe(ObjectMapper om, DecodeResult d) {
        ObjectNode n = om.createObjectNode();
        n.put("type", "DecodeResult");
        n.put("session", d.session());
        n.put("epochId", d.epochId());
        n.set("trigger", trigger(om, d.trigger()));
        n.set("embedding", floats(om, d.embedding()));
        ArrayNode top = n.putArray("topK");
        for (Match m : d.topK()) {
            top.addObject().put("imageId", m.imageId()).put("score", m.score());
        }
        n.put("modelId", d.modelId());
        n.put("qualityFlags", d.qualityFlags());
        n.set("trace", trace(om, d.trace()));
        return n;
    }
}
