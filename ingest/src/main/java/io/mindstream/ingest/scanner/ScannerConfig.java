package io.mindstream.ingest.scanner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The scanner-folder source: where the scanner's real-time export writes one file per volume, and how ingest
 * decides that a file is complete and in order.
 *
 * @param dir               the export folder to watch
 * @param streamId          the stream id of its records (what an LSL stream's source_id is)
 * @param trSeconds         repetition time; NaN = from the first volume's header (DICOM RepetitionTime, NIfTI
 *                          pixdim[4])
 * @param poll              how often the folder is listed; a file is taken when its size and time stamp are the
 *                          same at two listings and it parses in full, so a volume waits one to two polls
 * @param reorderWait       how long a volume waits for an earlier one that has not arrived before that one is
 *                          declared missing (one gap) and the later one goes on
 * @param incompleteTimeout how long a file may stay unchanged and incomplete before it is reported as never completed
 * @param slicesPerVolume   0: each file holds whole volumes (mosaic DICOM, NIfTI); N: single-frame DICOM, one file per
 *                          slice, N slices per volume (stacked by position once all N are in)
 */
public record ScannerConfig(Path dir, String streamId, double trSeconds, Duration poll, Duration reorderWait,
                            Duration incompleteTimeout, int slicesPerVolume) {

    public ScannerConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(poll, "poll");
        Objects.requireNonNull(reorderWait, "reorderWait");
        Objects.requireNonNull(incompleteTimeout, "incompleteTimeout");
        if (streamId.isBlank()) {
            throw new IllegalArgumentException("stream id must not be blank");
        }
        if (!Double.isNaN(trSeconds) && !(trSeconds > 0)) {
            throw new IllegalArgumentException("TR must be > 0 s, got " + trSeconds);
        }
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("poll interval must be > 0, got " + poll);
        }
        if (reorderWait.isNegative() || incompleteTimeout.isNegative()) {
            throw new IllegalArgumentException("waits must be >= 0");
        }
        if (slicesPerVolume < 0) {
            throw new IllegalArgumentException("slices per volume must be >= 0, got " + slicesPerVolume);
        }
    }

    public static final String DEFAULT_STREAM_ID = "scanner";
    public static final Duration DEFAULT_POLL = Duration.ofMillis(5);
    public static final Duration DEFAULT_REORDER_WAIT = Duration.ofMillis(1500);
    public static final Duration DEFAULT_INCOMPLETE_TIMEOUT = Duration.ofSeconds(30);

    /** Folder {@code dir}, stream id {@value #DEFAULT_STREAM_ID}, TR from the headers, the default waits. */
    public static ScannerConfig defaults(Path dir) {
        return new ScannerConfig(dir, DEFAULT_STREAM_ID, Double.NaN, DEFAULT_POLL, DEFAULT_REORDER_WAIT,
                DEFAULT_INCOMPLETE_TIMEOUT, 0);
    }

    public ScannerConfig withStreamId(String id) {
        return new ScannerConfig(dir, id, trSeconds, poll, reorderWait, incompleteTimeout, slicesPerVolume);
    }

    public ScannerConfig withTr(double tr) {
        return new ScannerConfig(dir, streamId, tr, poll, reorderWait, incompleteTimeout, slicesPerVolume);
    }

    public ScannerConfig withWaits(Duration reorder, Duration incomplete) {
        return new ScannerConfig(dir, streamId, trSeconds, poll, reorder, incomplete, slicesPerVolume);
    }

    public ScannerConfig withSlicesPerVolume(int n) {
        return new ScannerConfig(dir, streamId, trSeconds, poll, reorderWait, incompleteTimeout, n);
    }
}
