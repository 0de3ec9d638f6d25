package io.mindstream.cli.ingest;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.ingest.export.FifExport;
import io.mindstream.ingest.export.XdfExport;
import io.mindstream.journal.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code ./mindstream export}: a recorded session as XDF (every stream) or FIF (its MEG and events). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Writes a recorded session (from an ingest journal or the Kafka raw topics) in the field's "
                + "formats: --xdf FILE (every stream, as record writes it) and/or --fif FILE (the MEG or EEG stream as "
                + "a raw FIF that MNE opens, its markers' codes on a STI101 stim channel and their labels as "
                + "annotations)."})
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    BrokerOptions kafka;

    @Option(names = "--session", required = true, paramLabel = "ID", description = "The session to export.")
    String session;

    @Option(names = "--from", paramLabel = "SOURCE", defaultValue = "JOURNAL",
            description = "Read the session from JOURNAL (an ingest journal directory) or KAFKA (the raw topics).")
    ReplayCommand.Source from;

    @Option(names = "--journal-dir", paramLabel = "DIR", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Journal to read with --from journal (default: <data dir>/journal).")
    Path journalDir;

    @Option(names = "--xdf", paramLabel = "FILE.xdf", description = "Write every stream of the session as XDF.")
    Path xdf;

    @Option(names = "--fif", paramLabel = "FILE_raw.fif", description = "Write the session's MEG/EEG stream and its "
            + "markers as a raw FIF file.")
    Path fif;

    @Option(names = "--stream", paramLabel = "ID", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "--fif: the data stream to write (default: the session's one MEG or EEG stream).")
    String stream;

    @Option(names = "--pulse", paramLabel = "SAMPLES", defaultValue = "5",
            description = "--fif: length of each marker's pulse on STI101 (shortened where markers are closer).")
    int pulseSamples;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (xdf == null && fif == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --xdf FILE and/or --fif FILE");
        }
        if (from != ReplayCommand.Source.JOURNAL && from != ReplayCommand.Source.KAFKA) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from must be journal or kafka");
        }
        return SessionRecordings.with(from == ReplayCommand.Source.JOURNAL, journalDir, kafka, session, Set.of(), spec,
                this::export);
    }

    private int export(Supplier<Recording> recordings) throws Exception {
        if (xdf != null) {
            XdfExport.Result r = XdfExport.write(recordings.get(), xdf, session);
            System.out.println("export: " + xdf + ": " + r.streams() + " streams, " + r.samples() + " samples");
            if (r.streams() == 0) {
                System.err.println("export: session " + session + " has no records");
                return 1;
            }
        }
        if (fif != null) {
            FifExport.Result r;
            try {
                r = FifExport.write(recordings, fif, stream, pulseSamples);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "session " + session + ": "
                        + e.getMessage());
            }
            System.out.println("export: " + fif + ": " + r.streamId() + ", " + r.channels() + " channels, "
                    + r.samples() + " samples, " + r.events() + " events on STI101, " + r.annotations()
                    + " annotations");
        }
        return 0;
    }
}
