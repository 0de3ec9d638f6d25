package io.mindstream.ingest.chunk;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.stats.StreamStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * Turns one numeric stream's samples into {@link SampleChunk}s of a fixed span (architecture.md §1).
 *
 * <p>Samples are copied, in the stream's own format, into a little-endian staging buffer that is reused; a chunk
 * is emitted when it holds {@link ChunkingConfig#samplesPerChunk} samples, when the sequence jumps (a gap: chunks
 * always hold consecutive sequence numbers), or on {@link #flush()} (the inlet calls it when no data came for a
 * span, so a slow stream does not sit in the buffer). A sample wider than the record limit is emitted as several
 * records covering consecutive channel ranges with the same sequence and stamp.
 *
 * <p>Non-finite values (NaN, ±Inf) are kept as they are, counted per sample, and the chunk carrying them is
 * flagged {@link QualityFlags#NON_FINITE}.
 *
 * <p>Not thread-safe: one per stream, driven by the stream's inlet thread.
 */
public final class SampleChunker {

    private static final Logger LOG = LoggerFactory.getLogger(SampleChunker.class);

    private final String session;
    private final String streamId;
    private final StreamKind kind;
    private final ChannelFormat format;
    private final int channels;
    private final double nominalRate;
    private final StreamChecker checker;
    private final StreamStats stats;
    private final RecordSink sink;
    private final DoubleSupplier lslClock;

    private final int bpv;
    private final int perChunk;
    private final int channelsPerSlice;
    private final byte[] staging;
    private final ByteBuffer stage;
    private final double[] stamps;
    private int count;
    private long firstSequence;
    /** The sequence the next sample gets if nothing is lost. */
    private long expected;
    /** Samples lost at the source just before the chunk being built (its {@code lostBefore}). */
    private long lostBefore;
    private int flags;
    private long ingestedMicros;
    private double offset;
    private long lastNonFiniteLog;
    /** Acquisition wall time of the chunk being built when the source says it (a scanner header), µs; 0 = derive. */
    private long acquiredMicros;

    public SampleChunker(String session, String streamId, StreamKind kind, ChannelFormat format, int channels,
                         double nominalRate, ChunkingConfig config, StreamChecker checker, StreamStats stats,
                         RecordSink sink, DoubleSupplier lslClock) {
        if (!format.isNumeric()) {
            throw new IllegalArgumentException("stream " + streamId + ": " + format + " streams are markers, not chunks");
        }
        if (channels <= 0) {
            throw new IllegalArgumentException("stream " + streamId + ": channel count " + channels);
        }
        this.session = session;
        this.streamId = streamId;
        this.kind = kind;
        this.format = format;
        this.channels = channels;
        this.nominalRate = nominalRate;
        this.checker = checker;
        this.stats = stats;
        this.sink = sink;
        this.lslClock = lslClock;
        this.bpv = format.bytesPerValue();
        this.perChunk = config.samplesPerChunk(nominalRate, channels, bpv);
        this.channelsPerSlice = config.channelsPerSlice(channels, bpv);
        this.staging = new byte[perChunk * channels * bpv];
        this.stage = ByteBuffer.wrap(staging).order(ByteOrder.LITTLE_ENDIAN);
        this.stamps = new double[perChunk];
        this.expected = checker.nextSequence();
    }

    public int samplesPerChunk() {
        return perChunk;
    }

    /**
     * Appends {@code n} float32 samples (sample-major) with their stamps in the source's clock; {@code clockOffset}
     * (the inlet's time correction) maps them onto the ingest host's clock. The checks run on the source's own
     * stamps, so an update of the time-correction estimate is never mistaken for a gap or a backward jump; the
     * records carry source stamp + offset.
     */
    public void append(float[] values, double[] timestamps, int n, double clockOffset) {
        requireFormat(ChannelFormat.FLOAT32);
        begin(timestamps, n, clockOffset);
        for (int s = 0; s < n; s++) {
            boolean nonFinite = false;
            int base = s * channels;
            for (int c = 0; c < channels; c++) {
                if (!Float.isFinite(values[base + c])) {
                    nonFinite = true;
                    break;
                }
            }
            int pos = admit(timestamps[s], nonFinite);
            for (int c = 0; c < channels; c++, pos += 4) {
                stage.putFloat(pos, values[base + c]);
            }
            done();
        }
    }

    public void append(double[] values, double[] timestamps, int n, double clockOffset) {
        requireFormat(ChannelFormat.DOUBLE64);
        begin(timestamps, n, clockOffset);
        for (int s = 0; s < n; s++) {
            boolean nonFinite = false;
            int base = s * channels;
            for (int c = 0; c < channels; c++) {
                if (!Double.isFinite(values[base + c])) {
                    nonFinite = true;
                    break;
                }
            }
            int pos = admit(timestamps[s], nonFinite);
            for (int c = 0; c < channels; c++, pos += 8) {
                stage.putDouble(pos, values[base + c]);
            }
            done();
        }
    }

    public void append(int[] values, double[] timestamps, int n, double clockOffset) {
        requireFormat(ChannelFormat.INT32);
        begin(timestamps, n, clockOffset);
        for (int s = 0; s < n; s++) {
            int pos = admit(timestamps[s], false);
            for (int c = 0, i = s * channels; c < channels; c++, pos += 4) {
                stage.putInt(pos, values[i + c]);
            }
            done();
        }
    }

    public void append(short[] values, double[] timestamps, int n, double clockOffset) {
        requireFormat(ChannelFormat.INT16);
        begin(timestamps, n, clockOffset);
        for (int s = 0; s < n; s++) {
            int pos = admit(timestamps[s], false);
            for (int c = 0, i = s * channels; c < channels; c++, pos += 2) {
                stage.putShort(pos, values[i + c]);
            }
            done();
        }
    }

    public void append(byte[] values, double[] timestamps, int n, double clockOffset) {
        requireFormat(ChannelFormat.INT8);
        begin(timestamps, n, clockOffset);
        for (int s = 0; s < n; s++) {
            int pos = admit(timestamps[s], false);
            System.arraycopy(values, s * channels, staging, pos, channels);
            done();
        }
    }

    public void append(long[] values, double[] timestamps, int n, double clockOffset) {
        requireFormat(ChannelFormat.INT64);
        begin(timestamps, n, clockOffset);
        for (int s = 0; s < n; s++) {
            int pos = admit(timestamps[s], false);
            for (int c = 0, i = s * channels; c < channels; c++, pos += 8) {
                stage.putLong(pos, values[i + c]);
            }
            done();
        }
    }

    private void requireFormat(ChannelFormat f) {
        if (f != format) {
            throw new IllegalArgumentException("stream " + streamId + " is " + format + ", not " + f);
        }
    }

    private void begin(double[] timestamps, int n, double clockOffset) {
        if (n <= 0) {
            return;
        }
        if (count > 0 && clockOffset != offset) {
            emit(); // one offset per record, so the journal can map its stamps back to the source's clock
        }
        offset = clockOffset;
        stats.addReceived(n);
        checker.checkClockDomain(timestamps[0] + clockOffset, n, lslClock.getAsDouble());
        if (count == 0) {
            ingestedMicros = TraceStamps.nowMicros();
        }
    }

    /** Checks one sample, starts a new chunk if needed, and returns the byte position to copy its values to. */
    private int admit(double ts, boolean nonFinite) {
        flags |= checker.takeFlags(); // what earlier samples raised belongs to the chunk being built
        long seq = checker.onSample(ts);
        // the checker jumps the sequence by the samples a gap lost (or that went by while ingest was not reading):
        // the chunk after the jump says how many, so readers tell this hole from records still in flight
        long lost = seq - expected;
        expected = seq + 1;
        if (count > 0 && seq != firstSequence + count) {
            // a gap: chunks hold consecutive sequences only; the gap's flag goes with the chunk after it
            int gapFlags = checker.takeFlags();
            emit();
            checker.raise(gapFlags);
        }
        if (count == 0) {
            firstSequence = seq;
            lostBefore = Math.max(0, lost);
            ingestedMicros = TraceStamps.nowMicros();
        }
        if (nonFinite) {
            stats.addNonFinite(1);
            checker.raise(QualityFlags.NON_FINITE);
            long now = System.nanoTime();
            if (now - lastNonFiniteLog > 10_000_000_000L) {
                lastNonFiniteLog = now;
                LOG.warn("stream {}: NaN/Inf values in sample {} — kept as sent, record flagged NON_FINITE "
                        + "({} such samples so far)", streamId, seq, stats.nonFiniteSamples());
            }
        }
        stamps[count] = ts + offset;
        return count * channels * bpv;
    }

    private void done() {
        count++;
        if (count == perChunk) {
            flags |= checker.takeFlags();
            emit();
        }
    }

    /**
     * The wall-clock time (µs since the epoch) at which the chunk being built was acquired, when the source records
     * it itself (a scanner volume's AcquisitionTime): its {@code ACQUIRED} trace stamp, instead of the last sample's
     * stamp mapped onto the wall clock. Applies to the next record emitted.
     */
    public void acquiredAt(long wallMicros) {
        this.acquiredMicros = wallMicros;
    }

    /**
     * The stream's data ends here as ingest sees it (it stops reading the stream, or lost it for good): the buffered
     * samples go out, then an end record at the sequence the next sample would get (docs/contracts.md), so the
     * processor can cut what waits for data that will not come. Data may follow later, after a gap.
     */
    public void end() {
        flush();
        TraceStamps trace = TraceStamps.empty().withNow(Stage.INGESTED);
        sink.chunk(SampleChunk.end(session, streamId, kind, format, channels, nominalRate, expected, trace), 0, 0,
                offset);
    }

    /** Emits the buffered samples now (if any). */
    public void flush() {
        if (count > 0) {
            flags |= checker.takeFlags();
            emit();
        }
    }

    private void emit() {
        double[] ts = Arrays.copyOf(stamps, count);
        double now = lslClock.getAsDouble();
        long wallNow = TraceStamps.nowMicros();
        // ACQUIRED: the last sample's LSL stamp mapped onto the wall clock, unless the source said when (acquiredAt)
        long acquired = acquiredMicros > 0 ? acquiredMicros : wallNow - (long) ((now - ts[count - 1]) * 1e6);
        TraceStamps trace = TraceStamps.empty().with(Stage.ACQUIRED, acquired).with(Stage.INGESTED, ingestedMicros);
        int rowBytes = channels * bpv;
        if (channelsPerSlice >= channels) {
            byte[] values = Arrays.copyOf(staging, count * rowBytes);
            sink.chunk(new SampleChunk(session, streamId, kind, format, channels, 0, channels, nominalRate,
                    firstSequence, lostBefore, ts, values, trace), count, flags, offset);
        } else {
            // one wide sample (perChunk is 1 here): consecutive channel ranges, same sequence and stamp
            for (int off = 0; off < channels; off += channelsPerSlice) {
                int n = Math.min(channelsPerSlice, channels - off);
                byte[] values = Arrays.copyOfRange(staging, off * bpv, (off + n) * bpv);
                sink.chunk(new SampleChunk(session, streamId, kind, format, channels, off, n, nominalRate,
                        firstSequence, lostBefore, ts, values, trace), off == 0 ? count : 0, flags, offset);
            }
        }
        count = 0;
        flags = 0;
        lostBefore = 0;
        acquiredMicros = 0;
    }
}
