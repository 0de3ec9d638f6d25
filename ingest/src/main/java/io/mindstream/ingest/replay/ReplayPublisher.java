package io.mindstream.ingest.replay;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.journal.Recording;
import io.mindstream.journal.ReplayItem;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Re-publishes a {@link Recording} as LSL outlets, one per recorded stream (same stream id as source_id and name,
 * plus an optional suffix; LSL type from its kind; same channel count, rate and format), with the original
 * relative timing: a sample recorded at {@code t} is pushed at {@code start + (t − t0) / speed}, stamped with that
 * time on this host's LSL clock, so ingest sees a live stream whose intervals are the recorded ones (÷ speed).
 */
public final class ReplayPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayPublisher.class);

    private final double speed;
    private final String suffix;
    private final double waitForConsumersSeconds;
    private final Map<String, StreamOutlet> outlets = new LinkedHashMap<>();
    private long items;
    private StreamDescriber describer = StreamDescriber.none();
    private long samples;

    public ReplayPublisher(double speed, String suffix, double waitForConsumersSeconds) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, got " + speed);
        }
        this.speed = speed;
        this.suffix = suffix == null ? "" : suffix;
        this.waitForConsumersSeconds = waitForConsumersSeconds;
    }

    /**
     * Plays the whole recording; returns the number of samples pushed. The recording is read twice: once to find
     * every stream in it, so that all outlets exist (and have their consumers, LSL keeping no history for late
     * inlets) before the clock starts, then to play it.
     */
    public long play(java.util.function.Supplier<Recording> recordings) throws InterruptedException {
        return play(recordings, null);
    }

    /**
     * Plays the recording with each outlet's {@code <desc>} filled in by {@code describer} (called with the
     * recorded stream id, before the outlet opens); null = the descriptions the recording kept
     * ({@link StreamDescriber#recorded}).
     */
    public long play(java.util.function.Supplier<Recording> recordings, StreamDescriber describer)
            throws InterruptedException {
        double t0 = Double.NaN;
        try (Recording discovery = recordings.get()) {
            // a stream's description precedes its data: known when its first item opens its outlet
            this.describer = describer != null ? describer : StreamDescriber.recorded(discovery);
            ReplayItem it;
            while ((it = discovery.next()) != null) {
                if (it.isEnd()) {
                    continue;
                }
                if (Double.isNaN(t0)) {
                    t0 = it.firstTimestamp();
                }
                outlet(it);
            }
        }
        if (outlets.isEmpty()) {
            LOG.warn("replay: the recording is empty");
            return 0;
        }
        if (waitForConsumersSeconds > 0) {
            for (Map.Entry<String, StreamOutlet> e : outlets.entrySet()) {
                if (!e.getValue().waitForConsumers(waitForConsumersSeconds)) {
                    LOG.warn("replay: nobody consumes {} after {} s; playing anyway", e.getKey(),
                            waitForConsumersSeconds);
                }
            }
        }
        double start = LslClock.localClock() + 0.05;
        LOG.info("replay: playing {} streams from t={} at ×{}", outlets.size(), t0, speed);
        long report = System.nanoTime();
        try (Recording recording = recordings.get()) {
            ReplayItem item;
            while ((item = recording.next()) != null) {
                if (item.isEnd()) {
                    continue;
                }
                double due = start + (item.firstTimestamp() - t0) / speed;
                double wait = due - LslClock.localClock();
                if (wait > 0.0005) {
                    Thread.sleep((long) (wait * 1000), (int) ((wait * 1e9) % 1_000_000));
                }
                push(item, start, t0);
                if (System.nanoTime() - report > 10_000_000_000L) {
                    report = System.nanoTime();
                    LOG.info("replay: t={} s of the recording, {} records, {} samples pushed",
                            String.format(Locale.ROOT, "%.1f", item.firstTimestamp() - t0), items, samples);
                }
            }
        }
        LOG.info("replay finished: {} records, {} samples on {} streams", items, samples, outlets.size());
        return samples;
    }

    private StreamOutlet outlet(ReplayItem item) {
        return outlets.computeIfAbsent(item.streamId(), id -> {
            StreamInfo info;
            if (item.chunk() != null) {
                SampleChunk c = item.chunk();
                info = new StreamInfo(id + suffix, StreamKinds.lslTypeOf(c.kind()), c.totalChannels(),
                        c.nominalRate(), ChannelFormat.valueOf(c.format().name()), id + suffix);
            } else {
                boolean strings = item.marker().label() != null;
                info = new StreamInfo(id + suffix, StreamKinds.lslTypeOf(StreamKind.MARKER), 1, 0,
                        strings ? ChannelFormat.STRING : ChannelFormat.INT32, id + suffix);
            }
            describer.describe(id, info.desc());
            LOG.info("replay: outlet {} ({} {} ch {} @ {} Hz)", info.sourceId(), info.type(), info.channelCount(),
                    info.channelFormat(), info.nominalSrate());
            return new StreamOutlet(info, 0, 360);
        });
    }

    private void push(ReplayItem item, double start, double t0) {
        StreamOutlet out = outlet(item);
        items++;
        if (item.marker() != null) {
            Marker m = item.marker();
            double ts = start + (m.timestamp() - t0) / speed;
            if (out.info().channelFormat() == ChannelFormat.STRING) {
                out.pushSample(new String[]{m.label() != null ? m.label() : Integer.toString(m.code())}, ts);
            } else {
                out.pushSample(new int[]{m.code() != null ? m.code() : 0}, ts);
            }
            samples++;
            return;
        }
        SampleChunk c = item.chunk();
        double[] ts = new double[c.sampleCount()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = start + (c.timestamps()[i] - t0) / speed;
        }
        Object v = ChunkArrays.values(c);
        if (v instanceof float[] f) {
            out.pushChunk(f, ts);
        } else if (v instanceof double[] d) {
            out.pushChunk(d, ts);
        } else if (v instanceof int[] i) {
            out.pushChunk(i, ts);
        } else if (v instanceof short[] s) {
            out.pushChunk(s, ts);
        } else if (v instanceof byte[] by) {
            out.pushChunk(by, ts);
        } else {
            out.pushChunk((long[]) v, ts);
        }
        samples += c.sampleCount();
    }

    @Override
    public void close() {
        outlets.values().forEach(StreamOutlet::close);
        outlets.clear();
    }
}
