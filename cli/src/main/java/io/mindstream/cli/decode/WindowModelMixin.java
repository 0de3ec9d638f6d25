package io.mindstream.cli.decode;

import io.mindstream.contracts.StreamKind;
import io.mindstream.decoder.model.Models;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Set;

/**
 * Which model decodes sliding windows (a picocli mixin shared by {@code decode} and {@code process --decode}): a
 * window is 250 ms (272 × 30 at the processor's defaults), which the marker-locked epoch model (272 × 181) cannot
 * take, so a decoder that takes windows loads a second model beside the epoch model and each record goes to the
 * model of its kind ({@code DecoderConfig.windowModel}).
 */
public final class WindowModelMixin {

    /** The value that turns the window model off: windows then go to {@code --model}. */
    static final String NONE = "none";

    @Option(names = "--window-model", paramLabel = "MODEL",
            description = "model for sliding windows: a .onnx brain module taking the windows' shape, '"
                    + Models.WINDOW_DEMO + "' (the bundled window model: 272 channels × 30 samples, 250 ms at 120 Hz) "
                    + "or '" + NONE + "' (windows go to --model, which rejects a window of another shape). Default: '"
                    + Models.WINDOW_DEMO + "' when MEG/EEG sliding windows are decoded, else none.")
    String windowModel;

    /**
     * The window model for a decoder, or null for none.
     *
     * @param windowsDecoded whether the decoder takes MEG/EEG sliding windows at all (its topics, its stream kinds,
     *                       the processor's {@code --windows})
     */
    public Path resolve(boolean windowsDecoded) {
        if (windowModel == null) {
            return windowsDecoded ? Path.of(Models.WINDOW_DEMO) : null;
        }
        return windowModel.equals(NONE) ? null : Path.of(windowModel);
    }

    /** True when a decoder of {@code kinds} (empty = every kind) takes MEG or EEG records. */
    public static boolean takesSensorData(Set<StreamKind> kinds) {
        return kinds.isEmpty() || kinds.contains(StreamKind.MEG) || kinds.contains(StreamKind.EEG);
    }
}
