package io.mindstream.contracts;

/**
 * The stages a datum passes on its way to the screen, in order. {@link TraceStamps} records the wall-clock time
 * (microseconds since the Unix epoch) at which each was reached, so latency can be broken down per stage.
 * The order is part of the wire contract: append only.
 */
public enum Stage {
    /** The (last) sample left the LSL outlet: its LSL timestamp mapped to the wall clock. */
    ACQUIRED,
    /** The chunk was pulled from the LSL inlet by ingest. */
    INGESTED,
    /** The chunk was appended to the Chronicle journal. */
    JOURNALED,
    /** The forwarder handed the chunk to the Kafka producer. */
    PRODUCED,
    /** The stream processor consumed the chunk that completed an epoch. */
    CONSUMED,
    /** The epoch (or window) was cut and preprocessed. */
    EPOCHED,
    /** The decoder finished inference and retrieval. */
    DECODED,
    /** The display server pushed the result onto a websocket. */
    PUSHED,
    /** The browser acknowledged rendering it. */
    RENDERED
}
