package io.mindstream.cli.process;

import io.mindstream.cli.decode.DeviceMixin;
import io.mindstream.cli.decode.RetrievalMixin;
import io.mindstream.cli.decode.WindowModelMixin;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.processor.decode.InlineDecoder;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code process --decode}: the fast path's options (a picocli mixin). The model, bank and retrieval options are the
 * standalone decoder's ({@link RetrievalMixin}, {@link DeviceMixin}); there is no micro-batching to configure, each
 * epoch is decoded on its own as soon as it is cut.
 */
public final class FastPathOptions {

    @Option(names = "--decode",
            description = "Fast path: decode each epoch and window in the task that cuts it (needs --model and "
                    + "--bank), push its result on the LSL outlet at once, and write the result to 'results' with the epoch "
                    + "(one transaction with --exactly-once). A standalone decoder on 'epochs' skips what was decoded "
                    + "here.")
    boolean decode;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "With --decode: brain module (.onnx), ridge model (.ridge), 'demo' (the bundled demo brain "
                    + "module) or 'fmri-demo' (the bundled fMRI voxel model).")
    Path model;

    @Option(names = "--bank", paramLabel = "DIR", description = "With --decode: embedding bank directory.")
    Path bank;

    @Mixin
    WindowModelMixin windowModel;

    @Mixin
    RetrievalMixin retrieval;

    @Mixin
    DeviceMixin device;

    /** True with {@code --decode}. */
    public boolean enabled() {
        return decode;
    }

    /** {@link #toConfig(CommandLine, boolean)} for a processor that cuts no sliding windows. */
    public DecoderConfig toConfig(CommandLine cmd) {
        return toConfig(cmd, false);
    }

    /**
     * The decoder configuration these options describe, or null without {@code --decode}.
     *
     * @param windows whether the processor cuts sliding windows ({@code --windows}): then they are decoded too, by
     *                {@code --window-model}
     * @throws CommandLine.ParameterException for --decode without --model/--bank, or either without --decode
     */
    public DecoderConfig toConfig(CommandLine cmd, boolean windows) {
        if (!decode) {
            if (model != null || bank != null) {
                throw new CommandLine.ParameterException(cmd, "--model and --bank are for --decode (the fast path); "
                        + "add --decode, or run 'decode' as a stage of its own");
            }
            return null;
        }
        if (model == null || bank == null) {
            throw new CommandLine.ParameterException(cmd, "--decode needs --model and --bank");
        }
        DecoderConfig defaults = DecoderConfig.defaults(model, bank);
        return defaults.withCandidates(retrieval.candidates()).withTopK(retrieval.topK())
                .withStreams(retrieval.streamKinds(), defaults.topics()).withLsl(retrieval.lsl())
                .withEngine(device.on(defaults.engine()))
                .withWindowModel(windowModel.resolve(windows && WindowModelMixin.takesSensorData(
                        retrieval.streamKinds())));
    }

    /**
     * The fast path's decoder (models loaded, LSL outlet open), or none without {@code --decode}.
     *
     * @param windows whether the processor cuts sliding windows ({@code --windows})
     */
    public List<InlineDecoder> open(CommandLine cmd, boolean windows) throws InvalidModelException,
            EngineUnavailableException {
        DecoderConfig config = toConfig(cmd, windows);
        return config == null ? List.of() : List.of(FastPathDecoder.open(config));
    }
}
