package io.mindstream.cli.ingest;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.ingest.export.FifExport;
import io.mindstream.ingest.export.XdfExport;
import io.mindstream.journal.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code ./mindstream export}: a recorded session as XDF (every stream) or FIF (its MEG and events). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Writes a recorded session (from an ingest journal or the Kafka raw topics) in the field's "
                + "formats: --xdf FILE (every stream, as record writes it: each stream's header is the XML its source "
                + "published) and/or --fif FILE (the MEG or EEG stream as a raw FIF that MNE opens, channels named, "
                + "typed and scaled to SI units from the stream's description, its markers' codes on a STI101 stim "
                + "channel (or on the stream's own stim channel) and their labels as annotations). A stream recorded "
                + "without a description gets generic channel names (MEG001…), and the output says so."})
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

    private int export(Supplier<Recording> opened) throws Exception {
        // each recording read names what it passed over (an unreadable description); said once, at the end
        Set<String> problems = new LinkedHashSet<>();
        List<Recording> read = new ArrayList<>();
        Supplier<Recording> recordings = () -> {
            Recording r = opened.get();
            read.add(r);
            return r;
        };
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int rc = 0;
        if (xdf != null) {
            XdfExport.Result r = XdfExport.write(recordings.get(), xdf, session);
            out.println("export: " + xdf + ": " + r.streams() + " streams, " + r.samples() + " samples");
            if (!r.undescribed().isEmpty()) {
                out.println("export: no description recorded for " + String.join(", ", r.undescribed())
                        + ": header rebuilt from the records (name, kind, channel count, rate)");
            }
            if (r.streams() == 0) {
                err.println("export: session " + session + " has no records");
                rc = 1;
            }
        }
        if (fif != null && rc == 0) {
            FifExport.Result r;
            try {
                r = FifExport.write(recordings, fif, stream, pulseSamples);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "session " + session + ": "
                        + e.getMessage());
            }
            out.println("export: " + fif + ": " + r.streamId() + ", " + r.channels() + " channels, "
                    + r.samples() + " samples, " + r.events() + " events on " + r.stimChannel() + ", "
                    + r.annotations() + " annotations");
            out.println("export: " + r.channelNote());
        }
        read.forEach(r -> problems.addAll(r.problems()));
        problems.forEach(p -> err.println("export: " + p));
        return rc;
    }
}
