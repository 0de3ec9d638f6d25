package io.mindstream.cli.ingest;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.ingest.replay.KafkaRecording;
import io.mindstream.ingest.replay.ReplayPublisher;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalRecording;
import io.mindstream.kafka.KafkaTarget;
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
    public enum Source { KAFKA, JOURNAL }

    @Mixin
    BrokerOptions kafka;

    @Option(names = "--session", required = true, paramLabel = "ID", description = "The session to replay.")
    String session;

    @Option(names = "--from", paramLabel = "SOURCE", defaultValue = "KAFKA",
            description = "Read the recording from KAFKA (the raw topics) or JOURNAL (an ingest journal directory).")
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
        try (ReplayPublisher publisher = new ReplayPublisher(speed, suffix, waitSeconds)) {
            long n;
            if (from == Source.JOURNAL) {
                Path dir = journalDir != null ? journalDir : JournalConfig.defaultDirectory();
                Journal opened;
                try {
                    opened = Journal.openExisting(dir);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() + " (--journal-dir)");
                }
                try (Journal j = opened) {
                    n = publisher.play(() -> new JournalRecording(j, session, only));
                }
            } else {
                try (KafkaTarget target = kafka.open()) {
                    n = publisher.play(() -> new KafkaRecording(target.bootstrapServers(), session, only));
                }
            }
            Thread.sleep((long) (lingerSeconds * 1000));
            System.out.println("replayed " + n + " samples of session " + session);
            return n > 0 ? 0 : 1;
        }
    }
}
