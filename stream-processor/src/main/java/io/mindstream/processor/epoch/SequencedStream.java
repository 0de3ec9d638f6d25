package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.processor.step.ChunkSequencer;
import io.mindstream.processor.step.TraceKeeper;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The front of every stream's chain, whatever the stream kind: a chunk is checked, counted and stamped CONSUMED, then
 * the {@link ChunkSequencer} puts it in sequence order (holding what comes early, journaling what it holds) and hands
 * on, in order, chunks, ends of data and holes to the stream's own steps. Replay (a rebuild after a restart) runs the
 * same path, emitting and logging nothing.
 */
public abstract class SequencedStream implements StreamEpocher {

    protected final String session;
    protected final String streamId;
    protected final EpochJournal journal;
    protected final ProcessorStats stats;
    protected final TraceKeeper traces;
    private final ChunkSequencer sequencer;
    private final ChunkSequencer.Sink inOrder = new InOrder();

    /** Where outputs go while a chunk, a marker or a flush is handled; null otherwise. */
    protected Consumer<Epoch> out;
    /** True while journaled chunks are fed again to rebuild state: nothing is emitted, logged or journaled. */
    protected boolean replaying;
    /** True once the stream's data has ended (an end record) and no data came after it. */
    protected boolean ended;

    /** @param maxHoldSamples how much later data may wait behind a hole before the hole is given up as lost */
    protected SequencedStream(String session, String streamId, long maxHoldSamples, EpochJournal journal,
                              ProcessorStats stats, LongSupplier clockMicros) {
        this.session = session;
        this.streamId = streamId;
        this.journal = journal;
        this.stats = stats;
        this.traces = new TraceKeeper(clockMicros);
        this.sequencer = new ChunkSequencer(Math.max(1, maxHoldSamples), stats.duplicateChunks,
                stats.reorderedChunks);
    }

    /** Throws IllegalArgumentException, naming the stream, for a chunk that does not fit it. */
    protected abstract void check(SampleChunk c);

    /** The next chunk in sequence order, its first {@code skip} samples already seen. */
    protected abstract void chunk(SampleChunk c, int skip);

    /** The stream's data ended at sequence {@code at} (not called while replaying). */
    protected abstract void dataEnded(long at);

    /** Sequences {@code from} (incl.) to {@code to} (excl.) will never come: lost at the source or in delivery. */
    protected abstract void missing(long from, long to, boolean atSource);

    @Override
    public final void onChunk(SampleChunk c, Consumer<Epoch> out) {
        check(c);
        stats.chunksIn.increment();
        stats.samplesIn.add(c.sampleCount());
        traces.consumed(c);
        this.out = out;
        try {
            sequencer.offer(c, inOrder);
        } finally {
            this.out = null;
        }
    }

    @Override
    public final void replay(SampleChunk chunk) {
        replaying = true;
        try {
            onChunk(chunk, e -> {
            });
        } finally {
            replaying = false;
        }
    }

    /** End of input: what the sequencer holds goes on, its holes given up as lost. */
    protected final void flushSequence(Consumer<Epoch> out) {
        this.out = out;
        try {
            sequencer.flush(inOrder);
        } finally {
            this.out = null;
        }
    }

    /** After a snapshot is restored: the next chunk expected is {@code seq}. */
    protected final void resetSequenceTo(long seq) {
        sequencer.resetTo(seq);
    }

    private final class InOrder implements ChunkSequencer.Sink {
        @Override
        public void chunk(SampleChunk c, int skip) {
            ended = false;
            SequencedStream.this.chunk(c, skip);
        }

        @Override
        public void end(long at) {
            ended = true;
            if (!replaying) {
                dataEnded(at);
            }
        }

        @Override
        public void gap(long from, long to, boolean atSource) {
            missing(from, to, atSource);
        }

        @Override
        public void held(SampleChunk c) {
            journal.chunkHeld(session, streamId, c); // also while rebuilding: the store then matches
        }

        @Override
        public void released(SampleChunk c) {
            journal.chunkReleased(session, streamId, c);
        }
    }
}
