package io.mindstream.contracts;

import java.util.Objects;

/**
 * The event or window an epoch belongs to.
 *
 * @param kind          marker-locked, sliding window, or fMRI variant
 * @param eventTime     marker timestamp (or window end) in seconds, ingest host clock
 * @param eventSequence marker sequence number, or window index
 * @param label         the marker's label, or null
 * @param code          the marker's integer code, or null
 * @param imageId       stimulus image id the marker names, or null (windows)
 */
public record Trigger(TriggerKind kind, double eventTime, long eventSequence, String label, Integer code,
                      String imageId) {
    public Trigger {
        Objects.requireNonNull(kind, "kind");
    }
}
