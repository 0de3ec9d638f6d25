package io.mindstream.lsl4j;

import java.util.List;

/**
 * Finds streams on the network (liblsl's {@code resolve_*}). Every query is prefixed with
 * {@code session_id='<SessionID>'} from the config. Results carry the outlet's address and ports; open them with
 * {@link StreamInlet}. The static methods use {@link LslConfig#load()}.
 */
public final class Resolver {
    private final LslConfig cfg;

    public Resolver(LslConfig cfg) {
        this.cfg = cfg;
    }

    /** All streams that answer within {@code waitSeconds} (liblsl's resolve_streams; 1 s is typical). */
    public List<StreamInfo> all(double waitSeconds) {
        return ResolveAttempt.resolve(cfg, sessionTerm(), 0, waitSeconds, waitSeconds);
    }

    /**
     * Streams whose {@code property} (an info field such as name, type, source_id, channel_format) equals
     * {@code value}; returns once {@code minimum} are found or after {@code timeoutSeconds}.
     */
    public List<StreamInfo> byProperty(String property, String value, int minimum, double timeoutSeconds) {
        return ResolveAttempt.resolve(cfg, sessionTerm() + " and " + property + "='" + value + "'", minimum,
                timeoutSeconds, 0);
    }

    /**
     * Streams matching an XPath 1.0 predicate over the info document, e.g.
     * {@code name='MEG' and count(desc/channels/channel)=306} or {@code starts-with(name,'Bio')}.
     */
    public List<StreamInfo> byPredicate(String predicate, int minimum, double timeoutSeconds) {
        String q = predicate == null || predicate.isBlank() ? sessionTerm() : sessionTerm() + " and " + predicate;
        return ResolveAttempt.resolve(cfg, q, minimum, timeoutSeconds, 0);
    }

    private String sessionTerm() {
        return "session_id='" + cfg.sessionId() + "'";
    }

    public static List<StreamInfo> resolveStreams(double waitSeconds) {
        return new Resolver(LslConfig.load()).all(waitSeconds);
    }

    public static List<StreamInfo> resolveByProperty(String property, String value, int minimum, double timeoutSeconds) {
        return new Resolver(LslConfig.load()).byProperty(property, value, minimum, timeoutSeconds);
    }

    public static List<StreamInfo> resolveByPredicate(String predicate, int minimum, double timeoutSeconds) {
        return new Resolver(LslConfig.load()).byPredicate(predicate, minimum, timeoutSeconds);
    }
}
