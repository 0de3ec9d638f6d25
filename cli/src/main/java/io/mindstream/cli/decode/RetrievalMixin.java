package io.mindstream.cli.decode;

import io.mindstream.contracts.StreamKind;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.output.LslOutletFormat;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a live decoder retrieves among, which epochs it takes and where it publishes for the closed loop (a picocli
 * mixin; every default shown in the help): shared by {@code decode} (the standalone decoder) and
 * {@code process --decode} (the fast path), so both are configured alike. The defaults are {@link DecoderConfig#defaults}'.
 */
public final class RetrievalMixin {

    private static final DecoderConfig DEFAULTS = DecoderConfig.defaults(Path.of("model"), Path.of("bank"));

    @Option(names = "--candidates", showDefaultValue = Visibility.ALWAYS,
            description = "retrieve among: all (the whole bank), test "
            + "(the bank's test split), or a file of image ids (one a line)")
    String candidates = DEFAULTS.candidates();

    @Option(names = "--top-k", showDefaultValue = Visibility.ALWAYS,
            description = "matches per result")
    int topK = DEFAULTS.topK();

    @Option(names = "--stream-kind", showDefaultValue = Visibility.NEVER,
            split = ",", paramLabel = "KIND",
            description = "decode only epochs of these stream kinds (MEG, EEG, FMRI; default: all): a MEG and an fMRI "
                    + "decoder share the epochs topic, each takes only what its model was fitted on")
    Set<StreamKind> streamKinds = DEFAULTS.streamKinds();

    @Option(names = "--lsl-name", showDefaultValue = Visibility.ALWAYS,
            description = "LSL outlet name")
    String lslName = DEFAULTS.lsl().name();

    @Option(names = "--lsl-format", showDefaultValue = Visibility.ALWAYS,
            description = "json (top-k ids and scores as one string) "
            + "or embedding (float32 channels)")
    LslOutletFormat lslFormat = DEFAULTS.lsl().format();

    @Option(names = "--no-lsl", showDefaultValue = Visibility.NEVER,
            description = "do not open the LSL outlet")
    boolean noLsl;

    public String candidates() {
        return candidates;
    }

    public int topK() {
        return topK;
    }

    public Set<StreamKind> streamKinds() {
        return streamKinds;
    }

    /** The closed-loop outlet these options describe, or null with {@code --no-lsl}. */
    public DecoderConfig.Lsl lsl() {
        return noLsl ? null : new DecoderConfig.Lsl(lslName, lslFormat);
    }
}
