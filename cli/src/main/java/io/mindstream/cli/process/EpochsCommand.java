package io.mindstream.cli.process;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.offline.EpochComparison;
import io.mindstream.processor.offline.EpochExport;
import io.mindstream.processor.offline.JournalSource;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.processor.offline.RawTopicReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code ./mindstream epochs --offline}: recomputes the epochs of recorded sessions from the raw topics with the
 * processor's own classes ({@link OfflineEpocher}), optionally exports them for training and compares them with
 * what the live processor wrote to the epochs topic.
 */
@Command(name = "epochs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recompute epochs from the recorded raw topics (raw.meg, raw.eeg, raw.fmri, raw.markers), or "
                + "from an ingest journal (--from journal), with the same code the live processor runs.",
                "With --export DIR: writes X.npy (float32 N×C×T) and epochs.json (one row per epoch: id, image, "
                        + "trial, split, quality) for training. With --compare: checks each recomputed epoch "
                        + "against the live one of the same id on the epochs topic, bit for bit."})
public final class EpochsCommand implements Callable<Integer> {

    @Option(names = "--offline", required = true,
            description = "Recompute from the recorded raw topics (the only mode: live epochs come from "
                    + "'./mindstream process').")
    boolean offline;

    /** Where the recording is read from. */
    public enum Source { KAFKA, JOURNAL }

    @Option(names = "--from", paramLabel = "SOURCE", defaultValue = "KAFKA",
            description = "Read the recording from KAFKA (the raw topics) or JOURNAL (an ingest journal: what ingest "
                    + "received, also what never reached Kafka). Default: ${DEFAULT-VALUE}.")
    Source from;

    @Option(names = "--journal-dir", paramLabel = "DIR", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Journal to read with --from journal (default: <data dir>/journal).")
    Path journalDir;

    @Option(names = "--session", paramLabel = "SESSION", description = "Only these sessions (repeatable; default: all).")
    List<String> sessions = new ArrayList<>();

    @Option(names = "--export", paramLabel = "DIR", description = "Write X.npy + epochs.json here.")
    Path export;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "MEG",
            description = "Which stream kind's marker epochs to export: MEG, EEG or FMRI (stimulus averages; "
                    + "default: ${DEFAULT-VALUE}).")
    StreamKind kind;

    @Option(names = "--compare", description = "Compare with the epochs topic: report identical, different and "
            + "missing epochs; exit 1 if any differ.")
    boolean compare;

    @Mixin
    ProcessorOptions processing;

    @Mixin
    BrokerOptions kafka;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ProcessorConfig config = processing.toConfig(spec.commandLine());
        var out = spec.commandLine().getOut();
        List<Epoch> epochs = new ArrayList<>();
        Map<TriggerKind, Integer> counts = new EnumMap<>(TriggerKind.class);
        Journal journal = null;
        if (from == Source.JOURNAL) {
            try {
                journal = Journal.openExisting(journalDir != null ? journalDir : JournalConfig.defaultDirectory());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() + " (--journal-dir)");
            }
        }
        // Kafka only when the recording is there or --compare reads the live epochs
        try (Journal opened = journal;
             KafkaTarget target = from == Source.KAFKA || compare ? kafka.open() : null;
             OfflineEpocher ep = new OfflineEpocher(config, io.mindstream.contracts.TraceStamps::nowMicros,
                     processing.calibrationWriter())) {
            Consumer<Object> sink = r -> {
                try {
                    collect(ep.accept(r), epochs, counts);
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("skipped record: " + e.getMessage());
                }
            };
            long start = System.nanoTime();
            String replayed;
            if (journal != null) {
                replayed = String.format("%,d journal records replayed", JournalSource.replay(journal, sessions, sink));
            } else {
                RawTopicReader reader = new RawTopicReader(target.bootstrapServers(), new HashSet<>(sessions));
                reader.replay(sink, msg -> out.println(msg));
                replayed = String.format("%,d records replayed (%,d undecodable)", reader.records(),
                        reader.undecodable());
            }
            collect(ep.flush(), epochs, counts);
            double secs = (System.nanoTime() - start) / 1e9;
            out.printf("%s in %.1f s: %s%n", replayed, secs, counts);
            out.println("counters: " + ep.stats());
            if (export != null) {
                List<Epoch> rows = epochs.stream().filter(e -> e.streamKind() == kind
                        && (e.trigger().kind() == TriggerKind.MARKER || e.trigger().kind() == TriggerKind.FMRI_STIMULUS))
                        .toList();
                if (rows.isEmpty()) {
                    spec.commandLine().getErr().println("no " + kind + " epochs to export");
                    return 1;
                }
                EpochExport.write(export, rows);
                out.printf("exported %,d %s epochs (%d×%d) to %s%n", rows.size(), kind, rows.get(0).channels(),
                        rows.get(0).times(), export.toAbsolutePath());
            }
            if (compare) {
                return compare(target.bootstrapServers(), epochs, out) ? 0 : 1;
            }
        }
        return 0;
    }

    private static void collect(List<Epoch> got, List<Epoch> all, Map<TriggerKind, Integer> counts) {
        for (Epoch e : got) {
            all.add(e);
            counts.merge(e.trigger().kind(), 1, Integer::sum);
        }
    }

    /** Compares with the live epochs topic and prints the outcome; false if any epoch differs. */
    private boolean compare(String bootstrap, List<Epoch> recomputed, java.io.PrintWriter out) {
        EpochComparison.Result r = EpochComparison.withLiveTopic(bootstrap, recomputed, msg -> {
            if (msg.startsWith("DIFFERENT")) {
                out.println(msg);
            } else {
                spec.commandLine().getErr().println(msg);
            }
        });
        if (r.undecodable() > 0) {
            out.printf("%,d records on %s do not decode and were skipped%n", r.undecodable(), Topics.EPOCHS);
        }
        out.printf("compare with %s: %d identical, %d different, %d not on the live topic (%d live epochs)%n",
                Topics.EPOCHS, r.identical(), r.different().size(), r.missing(), r.live());
        return r.ok();
    }
}
