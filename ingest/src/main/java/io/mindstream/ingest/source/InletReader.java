package io.mindstream.ingest.source;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.chunk.RecordSink;
import io.mindstream.ingest.chunk.SampleChunker;
import io.mindstream.ingest.marker.MarkerAssembler;
import io.mindstream.ingest.marker.MarkerParser;
import io.mindstream.ingest.stats.StreamStats;
import io.mindstream.lsl4j.LostStreamException;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.ProcessingFlag;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Reads one LSL stream on its own thread: opens an inlet, pulls chunks, and hands them to the stream's chunker
 * (numeric streams) or marker assembler (string and marker streams) together with the inlet's current time
 * correction (clocksync): records carry source stamp + correction, i.e. this host's LSL clock, while the checks
 * run on the source's own stamps so that a new correction estimate is never mistaken for a gap. The inlet recovers by itself when an outlet with the same source_id restarts; when the
 * stream is lost for good, the reader logs it and ends, and the supervisor starts a new one if it reappears.
 */
final class InletReader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(InletReader.class);

    private final StreamInfo info;
    private final String streamId;
    private final StreamKind kind;
    private final String session;
    private final StreamChecker checker;
    private final StreamStats stats;
    private final RecordSink sink;
    private final ChunkingConfig chunking;
    private final InletConfig inletConfig;
    private final MarkerParser markerParser;
    private final DescriptionJournal descriptions;
    private volatile boolean running = true;
    private volatile StreamInlet inlet;
    private double offset;
    private long lastOffsetRead;

    InletReader(StreamInfo info, String streamId, StreamKind kind, String session, StreamChecker checker,
                StreamStats stats, RecordSink sink, ChunkingConfig chunking, InletConfig inletConfig,
                MarkerParser markerParser, DescriptionJournal descriptions) {
        this.info = info;
        this.streamId = streamId;
        this.kind = kind;
        this.session = session;
        this.checker = checker;
        this.stats = stats;
        this.sink = sink;
        this.chunking = chunking;
        this.inletConfig = inletConfig;
        this.markerParser = markerParser;
        this.descriptions = descriptions;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        try (StreamInlet in = new StreamInlet(info, inletConfig.maxBufferedSeconds(), 0, true,
                EnumSet.noneOf(ProcessingFlag.class))) {
            inlet = in;
            // described before the data connection opens: a source counts its consumers from then on, and nothing
            // it sends waits in the inlet while the description is fetched
            describe(in);
            in.open(inletConfig.openTimeoutSeconds());
            firstClockOffset(in);
            stats.state(io.mindstream.ingest.stats.StreamStats.State.ACTIVE);
            LOG.info("stream {} ('{}', type {}, {} ch {} @ {} Hz from {}) → {} (session {}, next sequence {})",
                    streamId, info.name(), info.type(), info.channelCount(), info.channelFormat(),
                    info.nominalSrate(), info.hostname(), kind, session, checker.nextSequence());
            if (kind == StreamKind.MARKER || info.channelFormat() == io.mindstream.lsl4j.ChannelFormat.STRING) {
                readMarkers(in);
            } else {
                readSamples(in);
            }
        } catch (LostStreamException e) {
            lost(e.getMessage());
        } catch (TimeoutException e) {
            LOG.warn("stream {}: could not open an inlet ({}); will retry while it is advertised", streamId,
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("stream {}: reader failed, other streams unaffected", streamId, e);
            stats.state(io.mindstream.ingest.stats.StreamStats.State.LOST);
        } finally {
            inlet = null;
        }
    }

    /**
     * Journals the stream's full description (the resolver's info has an empty {@code <desc>}) before its first
     * record. Without it the data still flows: exports then name the channels generically.
     */
    private void describe(StreamInlet in) {
        try {
            descriptions.opened(streamId, kind, in.info(inletConfig.openTimeoutSeconds()), checker.nextSequence());
        } catch (TimeoutException | LostStreamException e) {
            LOG.warn("stream {}: no full description from the source ({}); its data is journaled without one, so "
                    + "exports name its channels generically", streamId, e.getMessage());
        }
    }

    /** Waits briefly for the first time-correction estimate (liblsl's time_correction blocks the same way). */
    private void firstClockOffset(StreamInlet in) {
        try {
            offset = in.timeCorrection(2.0);
            stats.clockOffset(offset);
        } catch (TimeoutException e) {
            LOG.warn("stream {}: no time correction yet ({}); stamps are used as sent until one arrives", streamId,
                    e.getMessage());
        }
        lastOffsetRead = System.nanoTime();
    }

    /** The current time correction, re-read every 100 ms (the estimator itself updates every few seconds). */
    private double clockOffset(StreamInlet in) {
        long now = System.nanoTime();
        if (now - lastOffsetRead > 100_000_000L) {
            lastOffsetRead = now;
            try {
                offset = in.timeCorrection(0.0);
                stats.clockOffset(offset);
            } catch (TimeoutException e) {
                // keep the last estimate
            }
        }
        return offset;
    }

    private void lost(String why) {
        stats.state(io.mindstream.ingest.stats.StreamStats.State.LOST);
        LOG.warn("stream {} lost ({}); last sequence {} at t={} — samples missing will be reported as a gap if it "
                + "comes back", streamId, why, checker.nextSequence() - 1, checker.lastTimestamp());
    }

    private void readSamples(StreamInlet in) {
        int channels = info.channelCount();
        ChannelFormat format = ChannelFormat.fromLslCode(info.channelFormat().code());
        SampleChunker chunker = new SampleChunker(session, streamId, kind, format, channels, info.nominalSrate(),
                chunking, checker, stats, sink, LslClock::localClock);
        int max = Math.max(chunker.samplesPerChunk() * 4, 16);
        double[] ts = new double[max];
        double timeout = Math.max(0.001, chunking.spanSeconds());
        Puller puller = Puller.forFormat(format, max * channels);
        Silence silence = new Silence();
        try {
            while (running) {
                int n = puller.pull(in, ts, timeout);
                if (n == 0) {
                    chunker.flush();
                    silence.idle();
                    continue;
                }
                silence.data(n);
                puller.feed(chunker, ts, n, clockOffset(in));
            }
        } finally {
            chunker.end(); // stopped or lost for good: the processor may cut what waits for this stream's data
        }
    }

    private void readMarkers(StreamInlet in) {
        int channels = info.channelCount();
        MarkerAssembler asm = new MarkerAssembler(session, streamId, markerParser, checker, stats, sink,
                LslClock::localClock);
        double[] ts = new double[1];
        io.mindstream.lsl4j.ChannelFormat f = info.channelFormat();
        String[] strings = new String[channels];
        long[] longs = new long[channels];
        double[] doubles = new double[channels];
        int[] ints = new int[channels];
        short[] shorts = new short[channels];
        byte[] bytes = new byte[channels];
        Silence silence = new Silence();
        while (running) {
            int n;
            switch (f) {
                case STRING -> n = in.pullChunk(strings, ts, 0.05);
                case INT64 -> n = in.pullChunk(longs, ts, 0.05);
                case INT32 -> n = in.pullChunk(ints, ts, 0.05);
                case INT16 -> n = in.pullChunk(shorts, ts, 0.05);
                case INT8 -> n = in.pullChunk(bytes, ts, 0.05);
                default -> n = in.pullChunk(doubles, ts, 0.05);
            }
            if (n == 0) {
                silence.idle();
                continue;
            }
            silence.data(n);
            double off = clockOffset(in);
            switch (f) {
                case STRING -> asm.strings(strings, ts[0], off);
                case INT64 -> asm.codes(longs, channels, ts[0], off);
                case INT32 -> {
                    for (int i = 0; i < channels; i++) {
                        longs[i] = ints[i];
                    }
                    asm.codes(longs, channels, ts[0], off);
                }
                case INT16 -> {
                    for (int i = 0; i < channels; i++) {
                        longs[i] = shorts[i];
                    }
                    asm.codes(longs, channels, ts[0], off);
                }
                case INT8 -> {
                    for (int i = 0; i < channels; i++) {
                        longs[i] = bytes[i];
                    }
                    asm.codes(longs, channels, ts[0], off);
                }
                default -> asm.numbers(doubles, channels, ts[0], off);
            }
        }
    }

    /** Reports silence of a regular stream and reads the clock offset now and then. */
    private final class Silence {
        private long lastData = System.nanoTime();
        private boolean reported;
        private long lastClock;

        void data(int n) {
            long now = System.nanoTime();
            if (reported) {
                LOG.info("stream {}: data again after {} s silence", streamId,
                        String.format(Locale.ROOT, "%.1f", (now - lastData) / 1e9));
                reported = false;
                stats.state(io.mindstream.ingest.stats.StreamStats.State.ACTIVE);
            }
            lastData = now;
            if (now - lastClock > inletConfig.clockSyncIntervalSec() * 1e9) {
                lastClock = now;
                readClock();
            }
        }

        void idle() {
            long now = System.nanoTime();
            double silent = (now - lastData) / 1e9;
            if (!reported && silent > inletConfig.silenceWarnSeconds() && info.nominalSrate() > 0) {
                reported = true;
                LOG.warn("stream {}: no data for {} s (≈ {} samples missing so far at {} Hz); waiting for it to "
                                + "recover", streamId, String.format(Locale.ROOT, "%.1f", silent),
                        Math.round(silent * info.nominalSrate()), info.nominalSrate());
            }
        }

        private void readClock() {
            StreamInlet in = inlet;
            if (in == null) {
                return;
            }
            double j = checker.jitterSeconds();
            if (!Double.isNaN(j)) {
                stats.jitter(j);
            }
        }
    }

    /** Typed pull buffers for one numeric format. */
    private interface Puller {
        int pull(StreamInlet in, double[] ts, double timeout);

        void feed(SampleChunker chunker, double[] ts, int n, double clockOffset);

        static Puller forFormat(ChannelFormat f, int values) {
            return switch (f) {
                case FLOAT32 -> new Puller() {
                    final float[] buf = new float[values];

                    public int pull(StreamInlet in, double[] ts, double t) {
                        return in.pullChunk(buf, ts, t);
                    }

                    public void feed(SampleChunker c, double[] ts, int n, double off) {
                        c.append(buf, ts, n, off);
                    }
                };
                case DOUBLE64 -> new Puller() {
                    final double[] buf = new double[values];

                    public int pull(StreamInlet in, double[] ts, double t) {
                        return in.pullChunk(buf, ts, t);
                    }

                    public void feed(SampleChunker c, double[] ts, int n, double off) {
                        c.append(buf, ts, n, off);
                    }
                };
                case INT32 -> new Puller() {
                    final int[] buf = new int[values];

                    public int pull(StreamInlet in, double[] ts, double t) {
                        return in.pullChunk(buf, ts, t);
                    }

                    public void feed(SampleChunker c, double[] ts, int n, double off) {
                        c.append(buf, ts, n, off);
                    }
                };
                case INT16 -> new Puller() {
                    final short[] buf = new short[values];

                    public int pull(StreamInlet in, double[] ts, double t) {
                        return in.pullChunk(buf, ts, t);
                    }

                    public void feed(SampleChunker c, double[] ts, int n, double off) {
                        c.append(buf, ts, n, off);
                    }
                };
                case INT8 -> new Puller() {
                    final byte[] buf = new byte[values];

                    public int pull(StreamInlet in, double[] ts, double t) {
                        return in.pullChunk(buf, ts, t);
                    }

                    public void feed(SampleChunker c, double[] ts, int n, double off) {
                        c.append(buf, ts, n, off);
                    }
                };
                case INT64 -> new Puller() {
                    final long[] buf = new long[values];

                    public int pull(StreamInlet in, double[] ts, double t) {
                        return in.pullChunk(buf, ts, t);
                    }

                    public void feed(SampleChunker c, double[] ts, int n, double off) {
                        c.append(buf, ts, n, off);
                    }
                };
                case STRING -> throw new IllegalArgumentException("string streams are read as markers");
            };
        }
    }
}
