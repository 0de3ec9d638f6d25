package io.mindstream.ingest.source;

import io.mindstream.contracts.StreamKind;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Maps an LSL stream's {@code type} (free text by convention, see the XDF/LSL meta-data conventions) to the
 * pipeline's {@link StreamKind}, case-insensitively:
 *
 * <table>
 *   <caption>default mapping</caption>
 *   <tr><th>LSL type</th><th>kind</th></tr>
 *   <tr><td>MEG</td><td>MEG</td></tr>
 *   <tr><td>EEG</td><td>EEG</td></tr>
 *   <tr><td>fMRI, MRI, BOLD</td><td>FMRI</td></tr>
 *   <tr><td>Markers, Marker, Events, Event, Triggers, Stimulus (and any string-format stream)</td>
 *       <td>MARKER</td></tr>
 *   <tr><td>anything else</td><td>OTHER</td></tr>
 * </table>
 *
 * Extra or overriding entries come from {@code --type-kind TYPE=KIND}.
 */
public final class StreamKinds {

    private static final Map<String, StreamKind> DEFAULTS = Map.ofEntries(
            Map.entry("meg", StreamKind.MEG),
            Map.entry("eeg", StreamKind.EEG),
            Map.entry("fmri", StreamKind.FMRI),
            Map.entry("mri", StreamKind.FMRI),
            Map.entry("bold", StreamKind.FMRI),
            Map.entry("markers", StreamKind.MARKER),
            Map.entry("marker", StreamKind.MARKER),
            Map.entry("events", StreamKind.MARKER),
            Map.entry("event", StreamKind.MARKER),
            Map.entry("triggers", StreamKind.MARKER),
            Map.entry("stimulus", StreamKind.MARKER));

    private final Map<String, StreamKind> overrides;

    public StreamKinds(Map<String, StreamKind> overrides) {
        this.overrides = new java.util.HashMap<>();
        overrides.forEach((k, v) -> this.overrides.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v)));
    }

    public static StreamKinds defaults() {
        return new StreamKinds(Map.of());
    }

    /** The kind of a stream with this LSL type; string-format streams are always markers. */
    public StreamKind kindOf(String lslType, boolean stringFormat) {
        if (stringFormat) {
            return StreamKind.MARKER;
        }
        String t = lslType == null ? "" : lslType.trim().toLowerCase(Locale.ROOT);
        StreamKind k = overrides.get(t);
        if (k != null) {
            return k;
        }
        return DEFAULTS.getOrDefault(t, StreamKind.OTHER);
    }

    /** The LSL type replay gives a stream of this kind. */
    public static String lslTypeOf(StreamKind kind) {
        return switch (kind) {
            case MEG -> "MEG";
            case EEG -> "EEG";
            case FMRI -> "fMRI";
            case MARKER -> "Markers";
            case OTHER -> "Other";
        };
    }
}
