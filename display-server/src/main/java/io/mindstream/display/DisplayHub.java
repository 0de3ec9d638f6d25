package io.mindstream.display;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.display.state.ButterflyDownsampler;
import io.mindstream.display.state.FmriMosaic;
import io.mindstream.display.state.ImageVectors;
import io.mindstream.display.state.LatencyStats;
import io.mindstream.display.state.RecentStimuli;
import io.mindstream.display.state.RollingAccuracy;
import io.mindstream.display.state.StreamGeometry;
import io.mindstream.display.state.StreamHealth;
import io.mindstream.display.state.WindowAccuracy;
import io.mindstream.display.state.WindowedRate;
import io.mindstream.display.ws.Broadcaster;
import io.mindstream.display.ws.ClientSessionHandler;
import io.mindstream.display.ws.OutFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The display's state and the one place data enters it: decode results, raw chunks and markers from the feeds
 * (any thread), render acknowledgements from pages. It stamps {@link Stage#PUSHED}, scores accuracy, keeps latency
 * and stream health, and turns everything into messages for the {@link Broadcaster}.
 */
public final class DisplayHub implements ClientSessionHandler.PageListener {

    private static final Logger log = LoggerFactory.getLogger(DisplayHub.class);
    /** Results whose render acknowledgement may still come (a page acks within a frame or two). */
    private static final int PENDING_ACKS = 4096;
    /** Window results a new page gets (2 s at 20 per second: the time course starts with some history). */
    private static final int SNAPSHOT_WINDOWS = 40;
    /** Window accuracy by time since onset: bins of one window step (50 ms), over the 1.5 s after onset. */
    private static final double WINDOW_LAG_BIN_S = 0.05;
    private static final double WINDOW_LAG_SPAN_S = 1.5;

    /** A result's full trace once a page rendered it: every stage from acquisition to {@link Stage#RENDERED}. */
    /** A live sliding-window result as it was pushed: its id and trace (stamped PUSHED). */
    public record PushedWindow(String epochId, long[] micros) {
    }

    public record RenderedTrace(int clientId, long seq, String session, String epochId, long[] micros,
                                long clockOffsetUs) {
        public TraceStamps trace() {
            return new TraceStamps(micros);
        }
    }

    private record Pending(String session, String epochId, long[] micros) {
    }

    private final DisplayConfig config;
    private final BankCatalog bank;
    private final Broadcaster broadcaster;
    private final RollingAccuracy accuracy;
    /** Traces up to {@link Stage#PUSHED}, one per result: the server's own view, even with no page open. */
    private final LatencyStats pushed = new LatencyStats(2048);
    /** Full traces, one per page acknowledgement. */
    private final LatencyStats rendered = new LatencyStats(2048);
    private final StreamHealth health = new StreamHealth();
    /** fMRI streams' volume dimensions {nx, ny, nz}, from their descriptions. */
    private final Map<String, int[]> volumeDimensions = new java.util.concurrent.ConcurrentHashMap<>();
    private final ButterflyDownsampler butterfly;
    /** fMRI results are scored and timed apart from MEG's: two decoders, two accuracies, two latencies. */
    private final RollingAccuracy fmriAccuracy;
    /** Volume → result (acquisition → pushed) over the last fMRI results. */
    private final LatencyStats fmriLatency = new LatencyStats(512);
    private final RecentStimuli stimuli = new RecentStimuli(512);
    /** The sliding-window decoder's top-1/top-5 by time since onset (its windows name no image: scored here). */
    private final WindowAccuracy windowAccuracy = new WindowAccuracy(WINDOW_LAG_BIN_S, WINDOW_LAG_SPAN_S);
    private long windowResults;
    /** Reassembles split volumes; used by the raw feed's one thread only. */
    private final VolumeAssembler volumeParts = new VolumeAssembler(4);
    private final CopyOnWriteArrayList<Consumer<RenderedTrace>> traceListeners = new CopyOnWriteArrayList<>();
    /** Told every live result's trace up to {@link Stage#PUSHED} (the metrics' latency histograms). */
    private final CopyOnWriteArrayList<Consumer<long[]>> pushedListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<PushedWindow>> windowListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<List<StreamHealth.StreamReport>>> healthListeners =
            new CopyOnWriteArrayList<>();
    private final long startUs = TraceStamps.nowMicros();

    private final Object resultLock = new Object();
    private final Map<Long, Pending> pending = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Pending> eldest) {
            return size() > PENDING_ACKS;
        }
    };
    private long nextSeq;
    private long resultCount;
    /**
     * Epoch ids of the results already pushed (the last few thousand): results are at least once upstream (a
     * decoder restarted after a crash, a consumer re-reading a partition), so the page gets each epoch's result once;
     * a repeat is counted and dropped, never scored twice.
     */
    private final Map<String, Boolean> pushedIds = new LinkedHashMap<>(4096, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 8192;
        }
    };
    private long duplicateResults;
    /** Results per second over the last 10 s, as the streams' rates. */
    private final WindowedRate resultRate = new WindowedRate();
    private long lastReportUs;
    private String lastModel;
    private volatile Messages.FeedStatus feed = new Messages.FeedStatus("none", false, null);

    public DisplayHub(DisplayConfig config, BankCatalog bank) {
        this.config = config;
        this.bank = bank;
        // ~2 s of MEG snippets (10 per second) so a new page's plot starts full
        this.broadcaster = new Broadcaster(config.snapshotResults(), 20, SNAPSHOT_WINDOWS, config.clientQueueFrames());
        this.accuracy = new RollingAccuracy(config.accuracyWindow(), bank == null ? 0 : bank.count(),
                bank == null ? null : bank.candidates());
        this.fmriAccuracy = new RollingAccuracy(config.accuracyWindow(), bank == null ? 0 : bank.count(),
                bank == null ? null : bank.candidates());
        this.butterfly = new ButterflyDownsampler(config.plotRateHz(), 512);
    }

    public Broadcaster broadcaster() {
        return broadcaster;
    }

    public BankCatalog bank() {
        return bank;
    }

    OutFrame hello(int clientId) {
        return Messages.hello(clientId, bank, config.accuracyWindow(), config.plotRateHz(), TraceStamps.nowMicros());
    }

    /** Pushes one live decode result to every page, stamped {@link Stage#PUSHED}. Any thread. */
    public void publishResult(DecodeResult r) {
        publishResult(r, true);
    }

    /**
     * Pushes one decode result. A replayed one (history re-read at start) is shown and scored but not timed: its
     * trace would measure how long it sat in Kafka, not the pipeline.
     */
    public void publishResult(DecodeResult r, boolean live) {
        if (isFmri(r.trigger().kind())) {
            publishFmriResult(r, live);
            return;
        }
        if (r.trigger().kind() == TriggerKind.WINDOW) {
            publishWindowResult(r, live);
            return;
        }
        OutFrame frame;
        synchronized (resultLock) {
            if (pushedIds.put(r.epochId(), Boolean.TRUE) != null) {
                duplicateResults++;
                return;
            }
            long seq = nextSeq++;
            long[] micros = r.trace().micros();
            micros[Stage.PUSHED.ordinal()] = TraceStamps.nowMicros();
            RollingAccuracy.Hit hit = accuracy.score(r.trigger().imageId(), r.topK());
            frame = Messages.result(seq, r, micros, hit, accuracy.summary(), bank, live);
            if (live) {
                pending.put(seq, new Pending(r.session(), r.epochId(), micros));
                pushed.record(micros);
            }
            resultCount++;
            lastModel = r.modelId();
            if (live) {
                for (Consumer<long[]> l : pushedListeners) {
                    l.accept(micros);
                }
            }
        }
        broadcaster.broadcast(frame);
    }

    static boolean isFmri(TriggerKind kind) {
        return kind == TriggerKind.FMRI_STIMULUS || kind == TriggerKind.FMRI_TR;
    }

    /**
     * An fMRI result goes to the page's fMRI view: scored (stimulus epochs name their image), timed volume → result,
     * and shown beside the stimulus of one haemodynamic delay before its newest volume. The page does not acknowledge
     * it: the render-timed traces stay MEG's.
     */
    private void publishFmriResult(DecodeResult r, boolean live) {
        OutFrame frame;
        RecentStimuli.Onset shown = r.trigger().kind() == TriggerKind.FMRI_TR
                ? stimuli.shownAt(r.session(), r.trigger().eventTime() - config.fmriHrfDelaySeconds()) : null;
        synchronized (resultLock) {
            if (pushedIds.put(r.epochId(), Boolean.TRUE) != null) {
                duplicateResults++;
                return;
            }
            long seq = nextSeq++;
            long[] micros = r.trace().micros();
            micros[Stage.PUSHED.ordinal()] = TraceStamps.nowMicros();
            RollingAccuracy.Hit hit = fmriAccuracy.score(r.trigger().imageId(), r.topK());
            if (live) {
                fmriLatency.record(micros);
            }
            frame = Messages.fmriResult(seq, r, micros, hit, fmriAccuracy.summary(), fmriLatency.summary().total(),
                    shown, config.fmriHrfDelaySeconds(), bank, live);
            resultCount++;
        }
        broadcaster.broadcast(frame);
    }

    /**
     * A sliding-window result goes to the page's sliding-window panel, never into the epoch results' panels, accuracy,
     * latency or snapshot (20 a second would drown them). A window names no image: it is scored against the image on
     * screen at its end (the session's last onset at or before it), by cosine similarity and by that image's rank
     * among the candidates, which also feeds the accuracy by time since onset. Not acknowledged by the page.
     */
    private void publishWindowResult(DecodeResult r, boolean live) {
        RecentStimuli.Onset shown = stimuli.shownAt(r.session(), r.trigger().eventTime());
        String image = shown == null ? null : shown.imageId();
        ImageVectors vectors = bank == null ? null : bank.vectors();
        double score = vectors == null ? Double.NaN : vectors.cosine(r.embedding(), image);
        int rank = vectors == null ? -1 : vectors.rank(r.embedding(), image, bank.candidates());
        double lag = shown == null ? Double.NaN : r.trigger().eventTime() - shown.time();
        OutFrame frame;
        long[] micros;
        synchronized (resultLock) {
            if (pushedIds.put(r.epochId(), Boolean.TRUE) != null) {
                duplicateResults++;
                return;
            }
            long seq = nextSeq++;
            micros = r.trace().micros();
            micros[Stage.PUSHED.ordinal()] = TraceStamps.nowMicros();
            if (rank >= 0) {
                windowAccuracy.record(lag, rank);
            }
            windowResults++;
            frame = Messages.windowResult(seq, r, micros, shown, score, rank, lag, bank, live);
        }
        broadcaster.broadcast(frame);
        if (live) {
            for (Consumer<PushedWindow> l : windowListeners) {
                l.accept(new PushedWindow(r.epochId(), micros));
            }
        }
    }

    /** Sliding-window results pushed so far (the epoch results' count does not include them). */
    public long windowResults() {
        synchronized (resultLock) {
            return windowResults;
        }
    }

    /** A raw sample chunk: counted for stream health; MEG feeds the butterfly plot. Any thread. */
    public void acceptChunk(SampleChunk c) {
        health.onChunk(c, TraceStamps.nowMicros());
        if (c.kind() == StreamKind.MEG || c.kind() == StreamKind.EEG) {
            ButterflyDownsampler.Snippet s = butterfly.add(c);
            if (s != null) {
                broadcaster.broadcast(Messages.meg(s));
            }
        } else if (c.kind() == StreamKind.FMRI && !c.isEnd()) {
            // large volumes travel in parts: the mosaic shows whole volumes only
            java.util.Optional<SampleChunk> whole = c.isWhole() ? java.util.Optional.of(c) : volumeParts.accept(c);
            whole.ifPresent(v -> broadcaster.broadcast(Messages.fmriVolume(FmriMosaic.of(v,
                    volumeDimensions.get(v.streamId())))));
        }
    }

    /**
     * A stream's description (from {@code raw.streams}): an fMRI stream's volume dimensions, when it gives them, shape
     * its mosaic. Any thread.
     */
    public void acceptDescription(StreamDescription d) {
        if (d.kind() != StreamKind.FMRI) {
            return;
        }
        int[] dims = StreamGeometry.dimensions(d.xml());
        if (dims != null) {
            volumeDimensions.put(d.streamId(), dims);
        } else {
            volumeDimensions.remove(d.streamId());
        }
    }

    public void acceptMarker(Marker m) {
        stimuli.add(m);
        health.onMarker(m, TraceStamps.nowMicros());
    }

    /** Where the data comes from, for the page's status line. */
    public void setFeedStatus(String source, boolean connected, String error) {
        feed = new Messages.FeedStatus(source, connected, error);
    }

    /** Builds and pushes one health report (called periodically by the server). */
    public void publishHealth() {
        long now = TraceStamps.nowMicros();
        Messages.ResultRate rate;
        synchronized (resultLock) {
            rate = new Messages.ResultRate(resultCount, resultRate.rate(now, resultCount, lastReportUs), lastModel);
            lastReportUs = now;
        }
        List<StreamHealth.StreamReport> streams = health.report(now);
        for (Consumer<List<StreamHealth.StreamReport>> l : healthListeners) {
            l.accept(streams);
        }
        broadcaster.broadcast(Messages.health(now, (now - startUs) / 1e6, streams, rate,
                latencySummary(), accuracy.summary(), broadcaster.clients(), broadcaster.droppedTotal(), feed,
                butterfly.streamId(), windowAccuracy, accuracy.summary()));
    }

    /**
     * {@code listener} gets each health report's per-stream numbers just before the pages do (the metrics endpoint
     * serves the same numbers the health panel shows); called on the health reporter's thread, it must not block.
     */
    public void addHealthListener(Consumer<List<StreamHealth.StreamReport>> listener) {
        healthListeners.add(listener);
    }

    /** Called with every rendered trace (the latency harness and tests listen here). */
    /** Results dropped because a result for the same epoch id was already pushed. */
    public long duplicateResults() {
        synchronized (resultLock) {
            return duplicateResults;
        }
    }

    /** {@code listener} gets every live result's trace stamps (up to PUSHED) as it is pushed; it must not block. */
    public void addPushedListener(Consumer<long[]> listener) {
        pushedListeners.add(listener);
    }

    /** Called with every live sliding-window result once it is pushed to the pages (the latency harness). */
    public void addWindowListener(Consumer<PushedWindow> listener) {
        windowListeners.add(listener);
    }

    public void addTraceListener(Consumer<RenderedTrace> listener) {
        traceListeners.add(listener);
    }

    /** Per-stage latency of rendered results, or of pushed ones while no page has acknowledged any. */
    public LatencyStats.Summary latencySummary() {
        LatencyStats.Summary r = rendered.summary();
        return r.traces() > 0 ? r : pushed.summary();
    }

    public RollingAccuracy.Summary accuracySummary() {
        return accuracy.summary();
    }

    public RollingAccuracy.Summary fmriAccuracySummary() {
        return fmriAccuracy.summary();
    }

    @Override
    public void onRendered(int clientId, long seq, long renderedUs, long clockOffsetUs) {
        long[] micros;
        Pending p;
        synchronized (resultLock) {
            p = pending.get(seq);
            if (p == null) {
                log.debug("page {} acknowledged unknown or old result {}", clientId, seq);
                return;
            }
            micros = p.micros().clone();
        }
        micros[Stage.RENDERED.ordinal()] = renderedUs;
        rendered.record(micros);
        RenderedTrace t = new RenderedTrace(clientId, seq, p.session(), p.epochId(), micros, clockOffsetUs);
        for (Consumer<RenderedTrace> l : traceListeners) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                log.warn("trace listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public OutFrame onPing(int clientId, double clientMs) {
        return Messages.pong(clientMs, TraceStamps.nowMicros());
    }
}
