package io.mindstream.ingest.stats;

import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.StreamKind;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one stream (architecture.md §10). Written by the stream's inlet thread and the forwarder, read by the
 * reporter; every field is individually atomic, a snapshot is not transactional (counters are monotonic, so a
 * report is at worst a few samples behind).
 */
public final class StreamStats {

    /** Where a stream stands: seen but no inlet open yet, reading, or lost (waiting for it to come back). */
    public enum State { WAITING, ACTIVE, LOST }

    private final String streamId;
    private volatile String name = "";
    private volatile StreamKind kind = StreamKind.OTHER;
    private volatile double nominalRate;
    private volatile State state = State.WAITING;

    final AtomicLong received = new AtomicLong();
    final AtomicLong journaled = new AtomicLong();
    final AtomicLong produced = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong missingSamples = new AtomicLong();
    final AtomicLong backwardJumps = new AtomicLong();
    final AtomicLong foreignClockStamps = new AtomicLong();
    final AtomicLong driftEvents = new AtomicLong();
    final AtomicLong nonFiniteSamples = new AtomicLong();
    final AtomicInteger flags = new AtomicInteger();
    private volatile double clockOffset = Double.NaN;
    private volatile double jitterSeconds = Double.NaN;
    private volatile double effectiveRate = Double.NaN;

    public StreamStats(String streamId) {
        this.streamId = streamId;
    }

    public String streamId() {
        return streamId;
    }

    public void describe(String name, StreamKind kind, double nominalRate) {
        this.name = name;
        this.kind = kind;
        this.nominalRate = nominalRate;
    }

    public String name() {
        return name;
    }

    public StreamKind kind() {
        return kind;
    }

    public double nominalRate() {
        return nominalRate;
    }

    public State state() {
        return state;
    }

    public void state(State s) {
        state = s;
    }

    public void addReceived(long n) {
        received.addAndGet(n);
    }

    public void addJournaled(long n) {
        journaled.addAndGet(n);
    }

    public void addProduced(long n) {
        produced.addAndGet(n);
    }

    public void addDropped(long n) {
        dropped.addAndGet(n);
    }

    public void addGap(long missing) {
        gaps.incrementAndGet();
        missingSamples.addAndGet(missing);
        raise(QualityFlags.GAP);
    }

    public void addBackwardJump() {
        backwardJumps.incrementAndGet();
        raise(QualityFlags.CLOCK);
    }

    public void addForeignClockStamps(long n) {
        foreignClockStamps.addAndGet(n);
        raise(QualityFlags.CLOCK);
    }

    public void addDriftEvent() {
        driftEvents.incrementAndGet();
        raise(QualityFlags.CLOCK);
    }

    public void addNonFinite(long samples) {
        nonFiniteSamples.addAndGet(samples);
        raise(QualityFlags.NON_FINITE);
    }

    public void raise(int flag) {
        flags.getAndUpdate(f -> f | flag);
    }

    public void clockOffset(double seconds) {
        clockOffset = seconds;
    }

    public void jitter(double seconds) {
        jitterSeconds = seconds;
    }

    public void effectiveRate(double hz) {
        effectiveRate = hz;
    }

    public long received() {
        return received.get();
    }

    public long journaled() {
        return journaled.get();
    }

    public long produced() {
        return produced.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long gaps() {
        return gaps.get();
    }

    public long missingSamples() {
        return missingSamples.get();
    }

    public long backwardJumps() {
        return backwardJumps.get();
    }

    public long foreignClockStamps() {
        return foreignClockStamps.get();
    }

    public long driftEvents() {
        return driftEvents.get();
    }

    public long nonFiniteSamples() {
        return nonFiniteSamples.get();
    }

    public int flags() {
        return flags.get();
    }

    public double clockOffset() {
        return clockOffset;
    }

    public double jitterSeconds() {
        return jitterSeconds;
    }

    public double effectiveRate() {
        return effectiveRate;
    }
}
