package io.mindstream.display;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.Trigger;
import io.mindstream.display.state.ButterflyDownsampler;
import io.mindstream.display.state.FmriMosaic;
import io.mindstream.display.state.RecentStimuli;
import io.mindstream.display.state.LatencyStats;
import io.mindstream.display.state.Percentiles;
import io.mindstream.display.state.RollingAccuracy;
import io.mindstream.display.state.WindowAccuracy;
import io.mindstream.display.state.StreamHealth;
import io.mindstream.display.ws.ClientOutbox;
import io.mindstream.display.ws.OutFrame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Encodes the server → page messages of docs/display.md. Each is encoded once and sent to every page. */
final class Messages {

    static final int PROTOCOL = 1;
    private static final JsonFactory FACTORY = new JsonFactory();

    private Messages() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static OutFrame frame(OutFrame.Kind kind, String type, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a " + type + " message", e);   // in memory: cannot happen
        }
        return new OutFrame(kind, out.toByteArray());
    }

    static OutFrame hello(int clientId, BankCatalog bank, int accuracyWindow, double plotRate, long nowUs) {
        return frame(OutFrame.Kind.HELLO, "hello", g -> {
            g.writeNumberField("protocol", PROTOCOL);
            g.writeNumberField("clientId", clientId);
            g.writeNumberField("serverUs", nowUs);
            g.writeArrayFieldStart("stages");
            for (Stage s : Stage.values()) {
                g.writeString(s.name());
            }
            g.writeEndArray();
            if (bank == null) {
                g.writeNullField("bank");
            } else {
                g.writeObjectFieldStart("bank");
                g.writeNumberField("count", bank.count());
                g.writeNumberField("dim", bank.dim());
                g.writeStringField("model", bank.model());
                g.writeEndObject();
            }
            g.writeNumberField("accuracyWindow", accuracyWindow);
            g.writeNumberField("plotRate", plotRate);
        });
    }

    static OutFrame result(long seq, DecodeResult r, long[] trace, RollingAccuracy.Hit hit,
                           RollingAccuracy.Summary acc, BankCatalog bank, boolean live) {
        return frame(OutFrame.Kind.RESULT, "result", g -> {
            head(g, seq, r, bank, live);
            topK(g, r, bank);
            g.writeStringField("model", r.modelId());
            g.writeNumberField("qualityFlags", r.qualityFlags());
            g.writeStringField("quality", QualityFlags.describe(r.qualityFlags()));
            trace(g, trace);
            hit(g, hit);
            accuracy(g, acc);
        });
    }

    /**
     * An fMRI decode result (a stimulus epoch or a per-TR window), for the page's fMRI view: like {@link #result},
     * plus the stimulus shown one haemodynamic delay before the volume ({@code hrfStimulus}, TR windows), the fMRI
     * accuracy and the volume → result latency (acquisition → pushed) over recent fMRI results.
     */
    static OutFrame fmriResult(long seq, DecodeResult r, long[] trace, RollingAccuracy.Hit hit,
                               RollingAccuracy.Summary acc, Percentiles volumeToResult,
                               RecentStimuli.Onset hrfStimulus, double hrfDelaySeconds,
                               BankCatalog bank, boolean live) {
        return frame(OutFrame.Kind.RESULT, "fmriResult", g -> {
            head(g, seq, r, bank, live);
            g.writeStringField("streamKind", "FMRI");
            g.writeNumberField("hrfDelay", hrfDelaySeconds);
            if (hrfStimulus == null) {
                g.writeNullField("hrfStimulus");
            } else {
                g.writeObjectFieldStart("hrfStimulus");
                g.writeNumberField("time", hrfStimulus.time());
                g.writeStringField("imageId", hrfStimulus.imageId());
                g.writeStringField("label", hrfStimulus.label());
                g.writeStringField("thumb", bank == null ? null : bank.thumbnailUrl(hrfStimulus.imageId()));
                g.writeStringField("concept", bank == null ? null : bank.conceptOf(hrfStimulus.imageId()));
                g.writeEndObject();
            }
            topK(g, r, bank);
            g.writeStringField("model", r.modelId());
            g.writeStringField("quality", QualityFlags.describe(r.qualityFlags()));
            trace(g, trace);
            long acquired = trace[Stage.ACQUIRED.ordinal()];
            long pushed = trace[Stage.PUSHED.ordinal()];
            num(g, "volumeToResultMs", acquired > 0 && live ? (pushed - acquired) / 1000.0 : Double.NaN);
            g.writeFieldName("latency");
            percentiles(g, volumeToResult);
            hit(g, hit);
            accuracy(g, acc);
        });
    }

    /**
     * A sliding-window result: the window's top-k, and how it scores the image on screen at the window's end
     * ({@code stimulus}: the session's last onset at or before it; {@code score}: cosine similarity, {@code rank}
     * among the candidates, null when not scored; {@code sinceOnset}: seconds from that onset to the window's end).
     */
    static OutFrame windowResult(long seq, DecodeResult r, long[] trace, RecentStimuli.Onset stimulus, double score,
                                 int rank, double sinceOnset, BankCatalog bank, boolean live) {
        return frame(OutFrame.Kind.WINDOW, "window", g -> {
            g.writeNumberField("seq", seq);
            g.writeBooleanField("live", live);
            g.writeStringField("session", r.session());
            g.writeStringField("epochId", r.epochId());
            g.writeNumberField("time", r.trigger().eventTime());
            g.writeNumberField("window", r.trigger().eventSequence());
            if (stimulus == null) {
                g.writeNullField("stimulus");
            } else {
                g.writeObjectFieldStart("stimulus");
                g.writeNumberField("time", stimulus.time());
                g.writeStringField("imageId", stimulus.imageId());
                g.writeStringField("label", stimulus.label());
                g.writeStringField("thumb", bank == null ? null : bank.thumbnailUrl(stimulus.imageId()));
                g.writeEndObject();
            }
            num(g, "sinceOnset", sinceOnset);
            num(g, "score", score);
            if (rank < 0) {
                g.writeNullField("rank");
            } else {
                g.writeNumberField("rank", rank);
            }
            topK(g, r, bank);
            g.writeStringField("model", r.modelId());
            g.writeStringField("quality", QualityFlags.describe(r.qualityFlags()));
            trace(g, trace);
        });
    }

    /** The sliding-window decoder's accuracy by time since onset, with the candidates' chance levels. */
    private static void windowAccuracy(JsonGenerator g, WindowAccuracy w, RollingAccuracy.Summary chance)
            throws IOException {
        g.writeObjectFieldStart("windowAccuracy");
        g.writeNumberField("binS", w.binSeconds());
        num(g, "chance1", chance.chance1());
        num(g, "chance5", chance.chance5());
        g.writeArrayFieldStart("bins");
        for (WindowAccuracy.Bin b : w.bins()) {
            g.writeStartObject();
            g.writeNumberField("fromS", b.fromS());
            g.writeNumberField("n", b.n());
            num(g, "top1", b.n() == 0 ? Double.NaN : (double) b.top1() / b.n());
            num(g, "top5", b.n() == 0 ? Double.NaN : (double) b.top5() / b.n());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The current fMRI volume as a slice mosaic: one byte per pixel, base64. */
    static OutFrame fmriVolume(FmriMosaic.Image m) {
        return frame(OutFrame.Kind.FMRI, "fmri", g -> {
            g.writeStringField("stream", m.streamId());
            g.writeNumberField("volume", m.volume());
            g.writeNumberField("time", m.time());
            g.writeNumberField("voxels", m.voxels());
            g.writeNumberField("width", m.width());
            g.writeNumberField("height", m.height());
            g.writeNumberField("tileWidth", m.tileWidth());
            g.writeNumberField("tileHeight", m.tileHeight());
            g.writeBooleanField("fromGeometry", m.fromGeometry());
            g.writeNumberField("cols", m.cols());
            g.writeNumberField("slicesShown", m.slicesShown());
            g.writeNumberField("slices", m.slices());
            g.writeFieldName("pixels");
            g.writeBinary(m.pixels());
        });
    }

    /** What every result message starts with: its sequence, session, epoch and trigger. */
    private static void head(JsonGenerator g, long seq, DecodeResult r, BankCatalog bank, boolean live)
            throws IOException {
        g.writeNumberField("seq", seq);
        g.writeBooleanField("live", live);
        g.writeStringField("session", r.session());
        g.writeStringField("epochId", r.epochId());
        Trigger t = r.trigger();
        g.writeObjectFieldStart("trigger");
        g.writeStringField("kind", t.kind().name());
        g.writeNumberField("time", t.eventTime());
        g.writeNumberField("seq", t.eventSequence());
        g.writeStringField("label", t.label());
        if (t.code() == null) {
            g.writeNullField("code");
        } else {
            g.writeNumberField("code", t.code());
        }
        g.writeStringField("imageId", t.imageId());
        g.writeStringField("thumb", bank == null ? null : bank.thumbnailUrl(t.imageId()));
        g.writeStringField("concept", bank == null ? null : bank.conceptOf(t.imageId()));
        g.writeEndObject();
    }

    private static void topK(JsonGenerator g, DecodeResult r, BankCatalog bank) throws IOException {
        g.writeArrayFieldStart("topK");
        for (Match m : r.topK()) {
            g.writeStartObject();
            g.writeStringField("imageId", m.imageId());
            g.writeNumberField("score", m.score());
            g.writeStringField("thumb", bank == null ? null : bank.thumbnailUrl(m.imageId()));
            g.writeStringField("concept", bank == null ? null : bank.conceptOf(m.imageId()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void trace(JsonGenerator g, long[] trace) throws IOException {
        g.writeArrayFieldStart("trace");
        for (long us : trace) {
            g.writeNumber(us);
        }
        g.writeEndArray();
    }

    private static void hit(JsonGenerator g, RollingAccuracy.Hit hit) throws IOException {
        if (hit == null) {
            g.writeNullField("hit");
        } else {
            g.writeObjectFieldStart("hit");
            g.writeBooleanField("top1", hit.top1());
            g.writeBooleanField("top5", hit.top5());
            g.writeEndObject();
        }
    }

    private static void accuracy(JsonGenerator g, RollingAccuracy.Summary a) throws IOException {
        g.writeObjectFieldStart("accuracy");
        g.writeNumberField("window", a.window());
        g.writeNumberField("n", a.n());
        num(g, "top1", a.top1());
        num(g, "top5", a.top5());
        g.writeNumberField("total", a.total());
        num(g, "totalTop1", a.totalTop1());
        num(g, "totalTop5", a.totalTop5());
        num(g, "chance1", a.chance1());
        num(g, "chance5", a.chance5());
        g.writeEndObject();
    }

    /** JSON has no NaN: unknown numbers are null. */
    private static void num(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeNullField(field);
        }
    }

    static OutFrame meg(ButterflyDownsampler.Snippet s) {
        float max = 0f;
        for (float v : s.data()) {
            max = Math.max(max, Math.abs(v));
        }
        // quantised to ±1000 against the snippet's own peak: three digits are plenty for a plot and keep the
        // message about a quarter of the size of full floats
        float scale = max > 0 ? max / 1000f : 1f;
        float peak = max;
        return frame(OutFrame.Kind.MEG, "meg", g -> {
            g.writeStringField("stream", s.streamId());
            g.writeNumberField("rate", s.rate());
            g.writeNumberField("channels", s.channels());
            g.writeNumberField("samples", s.samples());
            g.writeNumberField("t0", s.t0());
            g.writeNumberField("scale", scale);
            g.writeNumberField("peak", peak);
            g.writeArrayFieldStart("data");
            for (float v : s.data()) {
                g.writeNumber(Math.round(v / scale));
            }
            g.writeEndArray();
        });
    }

    static OutFrame pong(double clientMs, long serverUs) {
        return frame(OutFrame.Kind.PONG, "pong", g -> {
            g.writeNumberField("clientMs", clientMs);
            g.writeNumberField("serverUs", serverUs);
        });
    }

    record ResultRate(long count, double perSec, String lastModel) {
    }

    record FeedStatus(String source, boolean connected, String error) {
    }

    static OutFrame health(long nowUs, double uptimeS, List<StreamHealth.StreamReport> streams, ResultRate results,
                           LatencyStats.Summary latency, RollingAccuracy.Summary acc, List<ClientOutbox> clients,
                           long droppedTotal, FeedStatus feed, String plotStream, WindowAccuracy windows,
                           RollingAccuracy.Summary chance) {
        return frame(OutFrame.Kind.HEALTH, "health", g -> {
            g.writeNumberField("serverUs", nowUs);
            g.writeNumberField("uptimeS", uptimeS);
            g.writeObjectFieldStart("feed");
            g.writeStringField("source", feed.source());
            g.writeBooleanField("connected", feed.connected());
            g.writeStringField("error", feed.error());
            g.writeStringField("plotStream", plotStream);
            g.writeEndObject();
            g.writeArrayFieldStart("streams");
            for (StreamHealth.StreamReport s : streams) {
                g.writeStartObject();
                g.writeStringField("stream", s.streamId());
                g.writeStringField("kind", s.kind());
                g.writeStringField("session", s.session());
                g.writeNumberField("channels", s.channels());
                num(g, "nominalRate", s.nominalRate());
                num(g, "samplesPerSec", s.samplesPerSec());
                num(g, "effectiveRate", s.effectiveRate());
                num(g, "recordsPerSec", s.recordsPerSec());
                g.writeNumberField("records", s.records());
                g.writeNumberField("samples", s.samples());
                g.writeNumberField("gaps", s.gaps());
                g.writeNumberField("lostSamples", s.lostSamples());
                num(g, "clockOffsetS", s.clockOffsetS());
                num(g, "clockDriftMs", s.clockDriftMs());
                num(g, "ageMs", s.ageMs());
                num(g, "sinceLastMs", s.sinceLastMs());
                g.writeStringField("lastLabel", s.lastLabel());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("results");
            g.writeNumberField("count", results.count());
            num(g, "perSec", results.perSec());
            g.writeStringField("model", results.lastModel());
            g.writeEndObject();
            g.writeObjectFieldStart("latency");
            g.writeNumberField("traces", latency.traces());
            g.writeObjectFieldStart("stages");
            for (Map.Entry<Stage, Percentiles> e : latency.stages().entrySet()) {
                g.writeFieldName(e.getKey().name());
                percentiles(g, e.getValue());
            }
            g.writeEndObject();
            g.writeFieldName("total");
            percentiles(g, latency.total());
            g.writeEndObject();
            accuracy(g, acc);
            g.writeArrayFieldStart("clients");
            for (ClientOutbox c : clients) {
                g.writeStartObject();
                g.writeNumberField("id", c.id());
                g.writeStringField("remote", c.remote());
                g.writeNumberField("queued", c.queued());
                g.writeNumberField("maxQueued", c.maxQueued());
                g.writeNumberField("capacity", c.capacity());
                g.writeNumberField("written", c.written());
                g.writeNumberField("dropped", c.dropped());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("droppedTotal", droppedTotal);
            windowAccuracy(g, windows, chance);
        });
    }

    private static void percentiles(JsonGenerator g, Percentiles p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("n", p.n());
        num(g, "p50", p.p50());
        num(g, "p95", p.p95());
        num(g, "p99", p.p99());
        num(g, "max", p.max());
        g.writeEndObject();
    }
}
