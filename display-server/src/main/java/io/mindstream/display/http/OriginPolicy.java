package io.mindstream.display.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may talk to the server.
 *
 * <p>WebSocket handshakes are not covered by the browser's same-origin policy, so any page the user visits could
 * open a socket to {@code ws://127.0.0.1:8090} (cross-site WebSocket hijacking). Browsers always send
 * {@code Origin} on a WebSocket handshake, so checking it stops that; clients without an {@code Origin} are
 * non-browser programs (the latency harness, scripts), which a malicious web page cannot impersonate.
 *
 * <p>When the server is bound to loopback it also insists on a loopback {@code Host} header: otherwise a site whose
 * DNS name is re-bound to 127.0.0.1 would be "same-origin" with itself and could read the page and the socket.
 */
public final class OriginPolicy {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final List<String> extraOrigins;
    private final boolean loopbackOnly;

    /**
     * @param extraOrigins origins allowed besides the page's own, as {@code scheme://host[:port]}; {@code *} allows
     *                     any origin
     * @param loopbackOnly the server is bound to a loopback address: only loopback Host headers are served
     */
    public OriginPolicy(List<String> extraOrigins, boolean loopbackOnly) {
        this.extraOrigins = extraOrigins.stream().map(OriginPolicy::canonical).toList();
        this.loopbackOnly = loopbackOnly;
    }

    /** True if a request with this Host header may be served at all. */
    public boolean allowsHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;                 // HTTP/1.1 requires Host; without it same-origin cannot be judged
        }
        if (!loopbackOnly) {
            return true;
        }
        return LOOPBACK_NAMES.contains(hostName(hostHeader).toLowerCase(Locale.ROOT));
    }

    /**
     * True if a WebSocket handshake with this Origin (null = header absent) may proceed for a page served under
     * {@code hostHeader}.
     */
    public boolean allowsWebSocket(String origin, String hostHeader) {
        if (origin == null) {
            return true;                  // not a browser (see class comment)
        }
        if (extraOrigins.contains("*")) {
            return true;
        }
        String o = canonical(origin);
        if (o.equals("null")) {
            return extraOrigins.contains("null");   // sandboxed iframes and file:// pages send "null"
        }
        if (hostHeader != null && (o.equals(canonical("http://" + hostHeader))
                || o.equals(canonical("https://" + hostHeader)))) {
            return true;
        }
        return extraOrigins.contains(o);
    }

    /** Lower-case scheme and host, default ports dropped: {@code HTTP://LocalHost:80} → {@code http://localhost}. */
    static String canonical(String origin) {
        String t = origin.trim();
        if (t.equals("*") || t.equals("null")) {
            return t;
        }
        try {
            URI u = new URI(t);
            if (u.getScheme() == null || u.getHost() == null) {
                return t.toLowerCase(Locale.ROOT);
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                    || (scheme.equals("https") && port == 443);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return t.toLowerCase(Locale.ROOT);
        }
    }

    static String hostName(String hostHeader) {
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
