package io.mindstream.ingest.source;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which LSL streams ingest takes: a stream is taken when it matches any of the configured names, source ids or
 * types (types compare case-insensitively; names and source ids exactly). With nothing configured, every stream
 * whose type maps to MEG, EEG, fMRI or markers is taken, except mindstream's own outputs (the decoder's results
 * outlets): taking those would feed the results back into the session as markers. Naming one explicitly takes it.
 */
public record StreamSelector(Set<String> names, Set<String> sourceIds, Set<String> types) {

    public StreamSelector {
        names = Set.copyOf(names);
        sourceIds = Set.copyOf(sourceIds);
        types = types.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static StreamSelector of(List<String> names, List<String> sourceIds, List<String> types) {
        return new StreamSelector(Set.copyOf(names), Set.copyOf(sourceIds), Set.copyOf(types));
    }

    /** The default selection: every stream of a known kind but mindstream's own outputs. */
    public static StreamSelector all() {
        return new StreamSelector(Set.of(), Set.of(), Set.of());
    }

    public boolean isDefault() {
        return names.isEmpty() && sourceIds.isEmpty() && types.isEmpty();
    }

    /** LSL types of the streams mindstream itself publishes (the decoder's outlets). */
    public static final Set<String> OUTPUT_TYPES = Set.of("decoderesults", "decodeembedding");

    /** True for a stream mindstream itself publishes (never taken by the default selection). */
    public static boolean isMindstreamOutput(String type) {
        return OUTPUT_TYPES.contains(Objects.toString(type, "").toLowerCase(Locale.ROOT));
    }

    public boolean matches(String name, String type, String sourceId, StreamKinds kinds, boolean stringFormat) {
        if (isDefault()) {
            return !isMindstreamOutput(type)
                    && kinds.kindOf(type, stringFormat) != io.mindstream.contracts.StreamKind.OTHER;
        }
        return names.contains(Objects.toString(name, ""))
                || (!Objects.toString(sourceId, "").isEmpty() && sourceIds.contains(sourceId))
                || types.contains(Objects.toString(type, "").toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        if (isDefault()) {
            return "every MEG, EEG, fMRI and marker stream but mindstream's own outputs";
        }
        StringBuilder sb = new StringBuilder();
        if (!names.isEmpty()) {
            sb.append("names ").append(names);
        }
        if (!sourceIds.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : ", ").append("source ids ").append(sourceIds);
        }
        if (!types.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : ", ").append("every stream of types ").append(types);
        }
        return sb.toString();
    }
}
