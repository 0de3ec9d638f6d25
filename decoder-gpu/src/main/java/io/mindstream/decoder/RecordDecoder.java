package io.mindstream.decoder;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the decode loops need of a decoder: an epoch record (marker-locked epoch, sliding window, fMRI epoch) in, its
 * {@link DecodeResult} out, micro-batched ({@link #decode}) or at once on the caller's thread ({@link #decodeNow}).
 * {@link EpochDecoder} is one model; {@link ModelRouter} picks one of two by the record's kind.
 */
public interface RecordDecoder extends AutoCloseable {

    /** Decodes one record; the future fails with {@link EpochRejectedException} for one the model cannot take. */
    CompletableFuture<DecodeResult> decode(Epoch e);

    /**
     * Decodes one record now, on the caller's thread, without the micro-batcher.
     *
     * @throws EpochRejectedException naming the record and the problem, for one the model cannot take
     */
    DecodeResult decodeNow(Epoch e);

    /** The bank images retrieved among. */
    int candidateCount();

    /** Decodes a list, results in input order; a rejected record yields a failed future at its position. */
    default List<CompletableFuture<DecodeResult>> decodeAll(List<Epoch> epochs) {
        List<CompletableFuture<DecodeResult>> out = new ArrayList<>(epochs.size());
        for (Epoch e : epochs) {
            out.add(decode(e));
        }
        return out;
    }

    @Override
    void close();
}
