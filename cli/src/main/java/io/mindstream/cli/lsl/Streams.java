package io.mindstream.cli.lsl;

import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import java.util.List;

/** Finding the one stream a command is about. */
final class Streams {
    private Streams() {
    }

    /** The stream called {@code name} (or matching {@code predicate}); null (after a one-line error) if none. */
    static StreamInfo find(LslConfig cfg, String name, String predicate, double timeout) {
        Resolver r = new Resolver(cfg);
        List<StreamInfo> found = predicate != null ? r.byPredicate(predicate, 1, timeout)
                : r.byProperty("name", name, 1, timeout);
        if (found.isEmpty()) {
            System.err.println("error: " + "no LSL stream " + (predicate != null ? "matching " + predicate : "named '" + name + "'")
                    + " found within " + timeout + " s (try `mindstream lsl list`, or --known-peers 127.0.0.1)");
            return null;
        }
        if (found.size() > 1)
            System.err.println("note: " + found.size() + " streams match; using the first (uid " + found.get(0).uid() + ")");
        return found.get(0);
    }
}
