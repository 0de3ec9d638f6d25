package io.mindstream.contracts;

import java.util.Objects;

/**
 * One event from a marker stream: a string label and/or an integer code, and the stimulus image it names if any.
 *
 * @param session   subject/run key
 * @param streamId  source_id of the marker stream
 * @param sequence  sequence number of this marker within its stream
 * @param timestamp LSL timestamp, seconds, ingest host clock
 * @param label     the marker's string, exactly as sent (may be null for integer-only markers)
 * @param code      the integer code (may be null for string-only markers)
 * @param imageId   stimulus image id the marker names, or null
 * @param trace     wall-clock trace stamps
 */
public record Marker(
        String session,
        String streamId,
        long sequence,
        double timestamp,
        String label,
        Integer code,
        String imageId,
        TraceStamps trace) {

    public Marker {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(trace, "trace");
        if (label == null && code == null) {
            throw new IllegalArgumentException("a marker needs a label or a code");
        }
    }
}
