package io.mindstream.processor.step;

import io.mindstream.contracts.Marker;
import io.mindstream.processor.epoch.EpochIds;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The markers a stream is finished with (epoch emitted, or accounted for), so a marker delivered again (at-least-once,
 * a restart) is not cut twice. Forgets markers older than a horizon. Owns the set; the journal persists each entry
 * and a restart restores them ({@link #restore}).
 */
public final class DoneMarkers {

    private final Map<String, Double> done = new LinkedHashMap<>();

    public boolean contains(Marker m) {
        return done.containsKey(EpochIds.markerKey(m));
    }

    public void add(Marker m) {
        done.put(EpochIds.markerKey(m), m.timestamp());
    }

    /** Forgets markers stamped before {@code horizon} (seconds). */
    public void forgetBefore(double horizon) {
        if (!done.isEmpty()) {
            done.values().removeIf(t -> t < horizon);
        }
    }

    public void restore(Collection<Marker> journaled) {
        journaled.forEach(this::add);
    }
}
