package io.mindstream.cli.process;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.DirectDecoder;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.processor.decode.InlineDecoder;

/**
 * The processor's fast path wired to the decoder module: decoder-gpu's {@link DirectDecoder} seen through the
 * processor's {@link InlineDecoder}. It lives here because the CLI is the one module that may import both
 * (docs/architecture.md): the processor knows only its interface, the decoder nothing of the processor.
 */
public final class FastPathDecoder implements InlineDecoder {

    private final DirectDecoder decoder;

    private FastPathDecoder(DirectDecoder decoder) {
        this.decoder = decoder;
    }

    /** Loads the model and bank of {@code config} and opens its LSL outlet (if it has one). */
    public static FastPathDecoder open(DecoderConfig config) throws InvalidModelException, EngineUnavailableException {
        return new FastPathDecoder(DirectDecoder.open(config));
    }

    public DirectDecoder decoder() {
        return decoder;
    }

    @Override
    public boolean takes(Epoch e) {
        return decoder.takes(e);
    }

    @Override
    public DecodeResult decode(Epoch e) {
        return decoder.decode(e);
    }

    @Override
    public String describe() {
        io.mindstream.decoder.model.ModelSignature w = decoder.windowSignature();
        return w == null ? decoder.signature().modelId()
                : decoder.signature().modelId() + " (windows: " + w.modelId() + ")";
    }

    @Override
    public void close() {
        decoder.close();
    }
}
