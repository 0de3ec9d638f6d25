package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.TriggerKind;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Two models behind one decoder: sliding windows ({@link TriggerKind#WINDOW}) go to the window model, every other
 * record (marker-locked epochs, fMRI epochs and TR windows) to the epoch model. The record's kind picks the model, not
 * the topic it came from, so a decoder reading both topics, or the processor's fast path, which sees both kinds in one
 * task, routes them the same way. Both decoders share the bank index, candidates, top-k and retrieval tracker.
 */
public final class ModelRouter implements RecordDecoder {

    private final EpochDecoder epochs;
    private final EpochDecoder windows;

    /**
     * @param epochs  the epoch model's decoder
     * @param windows the window model's decoder
     */
    public ModelRouter(EpochDecoder epochs, EpochDecoder windows) {
        this.epochs = Objects.requireNonNull(epochs, "epochs");
        this.windows = Objects.requireNonNull(windows, "windows");
        if (epochs.candidateCount() != windows.candidateCount()) {
            throw new IllegalArgumentException("the epoch and window decoders retrieve among " + epochs.candidateCount()
                    + " and " + windows.candidateCount() + " images: they must share their candidates");
        }
    }

    /** The decoder whose model takes {@code e}'s kind of record. */
    public EpochDecoder decoderFor(Epoch e) {
        return e.trigger().kind() == TriggerKind.WINDOW ? windows : epochs;
    }

    @Override
    public CompletableFuture<DecodeResult> decode(Epoch e) {
        return decoderFor(e).decode(e);
    }

    @Override
    public DecodeResult decodeNow(Epoch e) {
        return decoderFor(e).decodeNow(e);
    }

    @Override
    public int candidateCount() {
        return epochs.candidateCount();
    }

    @Override
    public void close() {
        try {
            windows.close();
        } finally {
            epochs.close();
        }
    }
}
