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
        specs.add(new Spec(EPOCHS, partitions, derivedRetention));
        specs.add(new Spec(WINDOWS, partitions, derivedRetention));
        specs.add(new Spec(RESULTS, partitions, derivedRetention));
        return List.copyOf(specs);
    }

    public static List<Spec> defaults() {
        return all(DEFAULT_PARTITIONS, Duration.ofDays(7), Duration.ofDays(7));
    }
}
