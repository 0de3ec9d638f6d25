package io.mindstream.processor.epoch;

/**
 * Deterministic epoch ids, {@code session/stream/kind/sequence}: reprocessing the same data (a restart, an offline
 * run) gives the same id, so at-least-once duplicates are recognisable downstream.
 */
public final class EpochIds {

    public static final String MARKER = "marker";
    public static final String WINDOW = "window";
    public static final String FMRI_STIMULUS = "fmri-stimulus";
    public static final String FMRI_TR = "fmri-tr";

    private EpochIds() {
    }

    public static String of(String session, String stream, String kind, long sequence) {
        return session + "/" + stream + "/" + kind + "/" + sequence;
    }

    /** Identifies a marker within a session (marker stream + sequence). */
    public static String markerKey(io.mindstream.contracts.Marker m) {
        return m.streamId() + "/" + m.sequence();
    }
}
