package io.mindstream.cli.ingest;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.ingest.replay.KafkaRecording;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalRecording;
import io.mindstream.journal.Recording;
import io.mindstream.kafka.KafkaTarget;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;

/** A recorded session read from an ingest journal or the Kafka raw topics, for replay and export. */
final class SessionRecordings {

    private SessionRecordings() {
    }

    /** What a command does with the session's recordings (each call of the supplier reads it from the start). */
    @FunctionalInterface
    interface Use<T> {
        T apply(Supplier<Recording> recordings) throws Exception;
    }

    /**
     * Opens the journal ({@code journalDir}, default {@code <data dir>/journal}) or the Kafka target and hands the
     * session's recordings to {@code use}; a journal that does not exist is a usage error naming it.
     */
    static <T> T with(boolean fromJournal, Path journalDir, BrokerOptions kafka, String session, Set<String> only,
                      CommandLine.Model.CommandSpec spec, Use<T> use) throws Exception {
        if (fromJournal) {
            Path dir = journalDir != null ? journalDir : JournalConfig.defaultDirectory();
            Journal opened;
            try {
                opened = Journal.openExisting(dir);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage() + " (--journal-dir)");
            }
            try (Journal j = opened) {
                return use.apply(() -> new JournalRecording(j, session, only));
            }
        }
        try (KafkaTarget target = kafka.open()) {
            return use.apply(() -> new KafkaRecording(target.bootstrapServers(), session, only));
        }
    }
}
