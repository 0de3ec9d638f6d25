package io.mindstream.ingest;

import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.scanner.ScannerConfig;
import io.mindstream.ingest.source.InletConfig;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;

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
 * @param scanner        a scanner export folder ingested as an fMRI stream beside the LSL streams; null = none
 */
public record IngestConfig(String session, JournalConfig journal, ForwarderConfig forwarder, StreamSelector selector,
                           StreamKinds kinds, ChunkingConfig chunking, CheckConfig checks, InletConfig inlets,
                           int maxMarkerBytes, Duration statsInterval, ScannerConfig scanner) {

    /** LSL streams only, no scanner folder. */
    public IngestConfig(String session, JournalConfig journal, ForwarderConfig forwarder, StreamSelector selector,
                        StreamKinds kinds, ChunkingConfig chunking, CheckConfig checks, InletConfig inlets,
                        int maxMarkerBytes, Duration statsInterval) {
        this(session, journal, forwarder, selector, kinds, chunking, checks, inlets, maxMarkerBytes, statsInterval,
                null);
    }

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

    /** Longest marker label accepted by default (UTF-8 bytes). */
    public static final int DEFAULT_MAX_MARKER_BYTES = 4096;
    /** Period of the accounting log line by default. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(10);

    /**
     * Every stream of the default kinds (MEG, EEG, fMRI, markers) with every other setting at its default: what
     * {@code ./mindstream ingest} runs with no options but these.
     *
     * @param forwarder null = journal only
     */
    public static IngestConfig defaults(String session, JournalConfig journal, ForwarderConfig forwarder) {
        return new IngestConfig(session, journal, forwarder, StreamSelector.all(), StreamKinds.defaults(),
                ChunkingConfig.defaults(), CheckConfig.defaults(), InletConfig.defaults(), DEFAULT_MAX_MARKER_BYTES,
                DEFAULT_STATS_INTERVAL);
    }

    public IngestConfig withSelector(StreamSelector s) {
        return new IngestConfig(session, journal, forwarder, s, kinds, chunking, checks, inlets, maxMarkerBytes,
                statsInterval, scanner);
    }

    public IngestConfig withForwarder(ForwarderConfig f) {
        return new IngestConfig(session, journal, f, selector, kinds, chunking, checks, inlets, maxMarkerBytes,
                statsInterval, scanner);
    }

    public IngestConfig withStatsInterval(Duration d) {
        return new IngestConfig(session, journal, forwarder, selector, kinds, chunking, checks, inlets, maxMarkerBytes,
                d, scanner);
    }

    public IngestConfig withScanner(ScannerConfig s) {
        return new IngestConfig(session, journal, forwarder, selector, kinds, chunking, checks, inlets, maxMarkerBytes,
                statsInterval, s);
    }

    /** The default session id: {@code <subject>_<yyyyMMdd>} (today, local date). */
    public static String defaultSession(String subject, LocalDate date) {
        return subject + "_" + date.format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
