package io.mindstream.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline's Kafka topics. All are keyed by session (UTF-8) so a session's samples, markers, epochs and results
 * share a partition number across co-partitioned topics (architecture.md §3).
 */
public final class Topics {

    /** Partitions of every pipeline topic; equal everywhere so the topics are co-partitioned. */
    public static final int DEFAULT_PARTITIONS = 3;

    public static final String MARKERS = "raw.markers";
    /**
     * Each stream's description ({@link StreamDescription}: its LSL stream-info XML) as ingest received it, keyed by
     * session like the data. Not compacted: compaction keeps one value per key, and the key is the session, so it
     * would drop every stream's description but the last; and the forwarder's delivery check reads back what it
     * wrote, which must still be there. Kept as long as the raw data it describes.
     */
    public static final String STREAMS = "raw.streams";
    public static final String EPOCHS = "epochs";
    public static final String WINDOWS = "windows";
    public static final String RESULTS = "results";

    /** A topic we create: its name, partitions and retention. */
    public record Spec(String name, int partitions, Duration retention) {
    }

    private Topics() {
    }

    /** {@code raw.meg}, {@code raw.eeg}, {@code raw.fmri}, {@code raw.markers}, {@code raw.other}. */
    public static String rawTopic(StreamKind kind) {
        return kind == StreamKind.MARKER ? MARKERS : "raw." + kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The raw topics, one per {@link StreamKind}: adding a kind adds its topic everywhere. */
    public static List<String> rawTopics() {
        List<String> out = new ArrayList<>();
        for (StreamKind k : StreamKind.values()) {
            out.add(rawTopic(k));
        }
        return List.copyOf(out);
    }

    /**
     * Every topic ingest's forwarder writes: the raw topics and {@link #STREAMS}. The processor reads all of these
     * (from {@link #STREAMS}, an fMRI stream's geometry, for its voxel mask); so do replay and export.
     */
    public static List<String> forwardedTopics() {
        List<String> out = new ArrayList<>(rawTopics());
        out.add(STREAMS);
        return List.copyOf(out);
    }

    /** The raw topics that carry sample chunks (every kind but markers). */
    public static List<String> chunkTopics() {
        List<String> out = new ArrayList<>();
        for (StreamKind k : StreamKind.values()) {
            if (k != StreamKind.MARKER) {
                out.add(rawTopic(k));
            }
        }
        return List.copyOf(out);
    }

    /** Every topic of the pipeline with its default partitions and retention. */
    public static List<Spec> all(int partitions, Duration rawRetention, Duration derivedRetention) {
        List<Spec> specs = new ArrayList<>();
        for (StreamKind k : StreamKind.values()) {
            specs.add(new Spec(rawTopic(k), partitions, rawRetention));
        }
        specs.add(new Spec(STREAMS, partitions, rawRetention));
        specs.add(new Spec(EPOCHS, partitions, derivedRetention));
        specs.add(new Spec(WINDOWS, partitions, derivedRetention));
        specs.add(new Spec(RESULTS, partitions, derivedRetention));
        return List.copyOf(specs);
    }

    public static List<Spec> defaults() {
        return all(DEFAULT_PARTITIONS, Duration.ofDays(7), Duration.ofDays(7));
    }
}
