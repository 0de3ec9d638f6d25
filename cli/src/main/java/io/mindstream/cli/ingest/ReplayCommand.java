package io.mindstream.cli.ingest;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.ingest.replay.FifRecording;
import io.mindstream.ingest.replay.ReplayPublisher;
import io.mindstream.ingest.replay.XdfRecording;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code ./mindstream replay}: a recorded session back onto LSL, with its original timing. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Re-publishes a recorded session (from the Kafka raw topics or from an ingest journal) as LSL "
                + "outlets, one per recorded stream, with the original relative timing (or ×speed), so a recording "
                + "runs through the live path (ingest → … → display) unchanged.",
                "Outlets carry the recorded stream ids as name and source_id (plus --suffix), the LSL type of their "
                        + "kind, and the recorded channel count, rate and format; wide fMRI volumes are reassembled."})
public final class ReplayCommand implements Callable<Integer> {

    /** Where the recording is read from. */
    public enum Source { KAFKA, JOURNAL, FIF, XDF }

    @Mixin
    BrokerOptions kafka;

    @Option(names = "--session", paramLabel = "ID", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "The session to replay (--from kafka|journal; required there).")
    String session;

    @CommandLine.Parameters(arity = "0..1", paramLabel = "FILE", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "The recording to play with --from fif (a raw FIF file; split continuations -1.fif … are "
                    + "followed) or --from xdf.")
    Path file;

    @CommandLine.Mixin
    FifReplayOptions fif;

    @Option(names = "--from", paramLabel = "SOURCE", defaultValue = "KAFKA",
            description = "Read the recording from KAFKA (the raw topics), JOURNAL (an ingest journal directory), FIF "
                    + "(a MEG raw file from MNE or a MEGIN/Neuromag system) or XDF (a LabRecorder file).")
    Source from;

    @Option(names = "--journal-dir", paramLabel = "DIR", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Journal to read with --from journal (default: <data dir>/journal).")
    Path journalDir;

    @Option(names = "--stream", paramLabel = "ID", split = ",", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Replay only these stream ids (repeatable; default: every stream of the session).")
    List<String> streams = new ArrayList<>();

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1.0",
            description = "Playback speed: 2 plays twice as fast (intervals halved), 0.5 half as fast.")
    double speed;

    @Option(names = "--suffix", paramLabel = "TEXT", defaultValue = "",
            description = "Appended to every outlet's name and source_id (e.g. -replay), to tell them from live ones.")
    String suffix;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "Before playing, wait up to this long for each outlet to have a consumer (LSL keeps no "
                    + "history for late inlets); 0 = start at once.")
    double waitSeconds;

    @Option(names = "--linger", paramLabel = "SECONDS", defaultValue = "2",
            description = "Keep the outlets open this long after the last sample so consumers receive it.")
    double lingerSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be > 0, got " + speed);
        }
        Set<String> only = Set.copyOf(streams);
        if ((from == Source.FIF || from == Source.XDF) != (file != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), file == null
                    ? "--from " + from.name().toLowerCase(java.util.Locale.ROOT) + " needs the FILE to play"
                    : "a FILE is played only with --from fif or --from xdf");
        }
        if ((from == Source.KAFKA || from == Source.JOURNAL) && session == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--session is required with --from "
                    + from.name().toLowerCase(java.util.Locale.ROOT));
        }
        try (ReplayPublisher publisher = new ReplayPublisher(speed, suffix, waitSeconds)) {
            long n;
            if (from == Source.FIF) {
                FifRecording rec = fif.open(file, session, spec);
                System.out.println("replay: " + file + ": " + rec.summary() + "; streams " + rec.streamId() + ", "
                        + rec.eventStreamId() + ", " + rec.annotationStreamId());
                n = publisher.play(rec.recordings(), rec.describer());
            } else if (from == Source.XDF) {
                XdfRecording rec = XdfRecording.open(file, only);
                System.out.println("replay: " + file + ": " + rec.summary());
                n = publisher.play(rec.recordings(), rec.describer());
            } else {
                n = SessionRecordings.with(from == Source.JOURNAL, journalDir, kafka, session, only, spec,
                        publisher::play);
            }
            Thread.sleep((long) (lingerSeconds * 1000));
            System.out.println("replayed " + n + " samples of " + (file != null ? file : "session " + session));
            return n > 0 ? 0 : 1;
        }
    }
}
