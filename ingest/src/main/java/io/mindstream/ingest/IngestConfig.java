package io.mindstream.ingest;

import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.journal.JournalConfig;
import io.mindstream.ingest.source.InletConfig;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.ingest.source.StreamSelector;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Everything ingest is configured with, in one typed place.
 *
 * @param session        the session key of every record
 * @param journal        journal location and retention
 * @param forwarder      Kafka forwarding; null = journal only (forward later with the same journal)
 * @param selector       which streams to take
 * @param kinds          LSL type → stream kind
 * @param chunking       chunk span and record size limit
 * @param checks         clock check thresholds
 * @param inlets         inlet buffering and resolver timing
 * @param maxMarkerBytes longest marker label accepted
 * @param statsInterval  period of the accounting log line (zero = none)
 */
public record IngestConfig(String session, JournalConfig journal, ForwarderConfig forwarder, StreamSelector selector,
                           StreamKinds kinds, ChunkingConfig chunking, CheckConfig checks, InletConfig inlets,
                           int maxMarkerBytes, Duration statsInterval) {

    public IngestConfig {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(chunking, "chunking");
        Objects.requireNonNull(checks, "checks");
        Objects.requireNonNull(inlets, "inlets");
        Objects.requireNonNull(statsInterval, "statsInterval");
        if (session.isBlank()) {
            throw new IllegalArgumentException("session must not be blank");
        }
    }

    /** The default session id: {@code <subject>_<yyyyMMdd>} (today, local date). */
    public static String defaultSession(String subject, LocalDate date) {
        return subject + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
