package io.mindstream.cli.ingest;

import io.mindstream.formats.fif.FifEvents;
import io.mindstream.ingest.replay.FifRecording;
import io.mindstream.ingest.replay.FifReplayConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code replay --from fif}'s options: stream naming and MNE's find_events options, defaults from the config records. */
public final class FifReplayOptions {

    private static final FifReplayConfig DEFAULTS = FifReplayConfig.defaults();
    private static final FifEvents.Options EVENTS = FifEvents.Options.defaults();

    @Option(names = "--stream-id", paramLabel = "ID", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "FIF: the data stream's name and source_id (default: the file name without .fif); events go "
                    + "out as ID-events (int32 codes), annotations as ID-annotations (strings).")
    String streamId;

    @Option(names = "--stim-channel", paramLabel = "NAME", split = ",",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "FIF: stim channel(s) to find events on (default as MNE: STI101, else STI 014, else every "
                    + "stim channel).")
    List<String> stimChannels = new ArrayList<>(EVENTS.stimChannels());

    @Option(names = "--min-duration", paramLabel = "SECONDS",
            description = "FIF: a trigger value must last this long to be an event (find_events min_duration).")
    double minDuration = EVENTS.minDuration();

    @Option(names = "--mask", paramLabel = "BITS", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "FIF: trigger bits to keep (with --mask-type and) or drop (not_and); default none.")
    Integer mask = EVENTS.mask();

    @Option(names = "--mask-type", paramLabel = "TYPE", description = "FIF: AND or NOT_AND (find_events mask_type).")
    FifEvents.MaskType maskType = EVENTS.maskType();

    @Option(names = "--consecutive", paramLabel = "RULE",
            description = "FIF: which steps are events: INCREASING (MNE's default), ANY (consecutive=True) or "
                    + "FROM_ZERO (consecutive=False).")
    FifEvents.Consecutive consecutive = EVENTS.consecutive();

    @Option(names = "--initial-event", description = "FIF: a non-zero value at the first sample is an event.")
    boolean initialEvent = EVENTS.initialEvent();

    @Option(names = "--no-events", description = "FIF: publish no events stream (a file without stim channel has none).")
    boolean noEvents;

    @Option(names = "--no-annotations", description = "FIF: publish no annotations stream.")
    boolean noAnnotations = !DEFAULTS.annotations();

    @Option(names = "--chunk", paramLabel = "SECONDS", description = "FIF: data per LSL chunk.")
    double chunkSeconds = DEFAULTS.chunkSeconds();

    /** Reads the file's info and events; a bad file or option is a usage error naming it. */
    FifRecording open(Path file, String session, CommandLine.Model.CommandSpec spec) throws IOException {
        String name = file.getFileName().toString();
        String id = streamId != null ? streamId : name.endsWith(".fif") ? name.substring(0, name.length() - 4) : name;
        FifEvents.Options events = noEvents ? null : new FifEvents.Options(List.copyOf(stimChannels), consecutive,
                minDuration, mask, maskType, initialEvent, false);
        try {
            return new FifRecording(file, id, session != null ? session : id,
                    new FifReplayConfig(chunkSeconds, events, !noAnnotations));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
