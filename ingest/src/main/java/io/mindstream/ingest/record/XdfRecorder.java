package io.mindstream.ingest.record;

import io.mindstream.formats.xdf.XdfWriter;
import io.mindstream.lsl4j.LostStreamException;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.ProcessingFlag;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records LSL streams into an XDF file as LabRecorder does: one inlet per stream without timestamp post-processing
 * (stamps are written as the outlet sent them), each stream's full info XML as its header, its clock offset measured
 * every {@link RecorderConfig#clockOffsetIntervalSeconds()} (written as LabRecorder writes it: collection time in the
 * stream's clock, offset to add), a boundary chunk every {@link RecorderConfig#boundaryIntervalSeconds()}, and a
 * footer per stream on {@link #close()}.
 *
 * <p>Every pull is written at once as one chunk ({@link XdfWriter}): the file grows while recording and a process
 * killed at any moment leaves a file that reads up to its last chunk.
 */
public final class XdfRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(XdfRecorder.class);

    private final XdfWriter writer;
    private final RecorderConfig config;
    private final List<Recorded> streams = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running;
    private double lastBoundary;

    /** One stream being recorded. */
    private final class Recorded {
        final int id;
        final StreamInlet inlet;
        final StreamInfo info;
        final AtomicLong samples = new AtomicLong();

        Recorded(int id, StreamInlet inlet, StreamInfo info) {
            this.id = id;
            this.inlet = inlet;
            this.info = info;
        }
    }

    /**
     * Opens an inlet on each stream, writes the file header and every stream's header; recording starts with
     * {@link #start()}.
     */
    public XdfRecorder(Path out, List<StreamInfo> resolved, RecorderConfig config) throws IOException,
            TimeoutException {
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException("no streams to record");
        }
        this.config = config;
        this.writer = XdfWriter.create(out);
        try {
            int id = 1;
            for (StreamInfo s : resolved) {
                StreamInlet in = new StreamInlet(s, config.maxBufferedSeconds(), 0, true,
                        EnumSet.noneOf(ProcessingFlag.class));
                streams.add(new Recorded(id, in, null));
                in.open(config.openTimeoutSeconds());
                StreamInfo full = in.info(config.openTimeoutSeconds());
                streams.set(streams.size() - 1, new Recorded(id, in, full));
                writer.streamHeader(id, full.toXml());
                LOG.info("record: stream {} = {} ({} {} ch {} @ {} Hz, source_id {})", id, full.name(), full.type(),
                        full.channelCount(), full.channelFormat(), full.nominalSrate(), full.sourceId());
                id++;
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            streams.forEach(r -> r.inlet.close());
            writer.close();
            throw e;
        }
    }

    /** Starts one recording thread per stream. */
    public XdfRecorder start() {
        running = true;
        lastBoundary = LslClock.localClock();
        for (Recorded r : streams) {
            Thread t = new Thread(() -> record(r), "record-" + r.info.name());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void record(Recorded r) {
        int ch = r.info.channelCount();
        int max = Math.max(1, Math.min(4096, (1 << 22) / Math.max(1, ch * 8)));
        double[] ts = new double[max];
        Object buf = switch (r.info.channelFormat()) {
            case FLOAT32 -> new float[max * ch];
            case DOUBLE64 -> new double[max * ch];
            case INT32 -> new int[max * ch];
            case INT16 -> new short[max * ch];
            case INT8 -> new byte[max * ch];
            case INT64 -> new long[max * ch];
            case STRING -> new String[max * ch];
        };
        double nextOffset = 0;
        try {
            while (running) {
                double now = LslClock.localClock();
                if (now >= nextOffset) {
                    measureOffset(r);
                    nextOffset = now + config.clockOffsetIntervalSeconds();
                }
                int n = pull(r.inlet, buf, ts, config.pullTimeoutSeconds());
                if (n > 0) {
                    write(r, buf, java.util.Arrays.copyOf(ts, n), n * ch);
                    r.samples.addAndGet(n);
                }
            }
            // drain what arrived before close
            int n;
            while ((n = pull(r.inlet, buf, ts, 0.0)) > 0) {
                write(r, buf, java.util.Arrays.copyOf(ts, n), n * ch);
                r.samples.addAndGet(n);
            }
        } catch (LostStreamException e) {
            LOG.warn("record: lost {} ({}); its samples so far are in the file", r.info.name(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
            LOG.error("record: writing {} failed: {}", r.info.name(), e.toString());
        }
    }

    private void measureOffset(Recorded r) throws IOException {
        try {
            double offset = r.inlet.timeCorrection(2.0);
            double now = LslClock.localClock();
            synchronized (writer) {
                writer.clockOffset(r.id, now - offset, offset);
            }
        } catch (TimeoutException e) {
            LOG.debug("record: no clock offset from {} this time: {}", r.info.name(), e.getMessage());
        }
    }

    private static int pull(StreamInlet in, Object buf, double[] ts, double timeout) {
        if (buf instanceof float[] f) {
            return in.pullChunk(f, ts, timeout);
        } else if (buf instanceof double[] d) {
            return in.pullChunk(d, ts, timeout);
        } else if (buf instanceof int[] i) {
            return in.pullChunk(i, ts, timeout);
        } else if (buf instanceof short[] s) {
            return in.pullChunk(s, ts, timeout);
        } else if (buf instanceof byte[] b) {
            return in.pullChunk(b, ts, timeout);
        } else if (buf instanceof long[] l) {
            return in.pullChunk(l, ts, timeout);
        }
        return in.pullChunk((String[]) buf, ts, timeout);
    }

    private void write(Recorded r, Object buf, double[] ts, int values) throws IOException {
        synchronized (writer) {
            Object part = java.lang.reflect.Array.newInstance(buf.getClass().getComponentType(), values);
            System.arraycopy(buf, 0, part, 0, values);
            writer.samples(r.id, ts, part);
            double now = LslClock.localClock();
            if (now - lastBoundary >= config.boundaryIntervalSeconds()) {
                writer.boundary();
                lastBoundary = now;
            }
        }
    }

    /** Samples recorded so far per stream name, for progress lines. */
    public List<String> progress() {
        return streams.stream().map(r -> r.info.name() + ": " + r.samples.get()).toList();
    }

    /** Samples recorded so far, all streams. */
    public long samples() {
        return streams.stream().mapToLong(r -> r.samples.get()).sum();
    }

    /** The first error that stopped a stream's recording, if any. */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops recording, writes what was still buffered and every stream's footer, closes the file. */
    @Override
    public void close() throws IOException {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.forEach(r -> r.inlet.close());
        synchronized (writer) {
            writer.close();
        }
        LOG.info("record: closed {} ({} bytes; {})", writer.path(), writer.bytesWritten(), progress());
    }
}
