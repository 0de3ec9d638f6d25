package io.mindstream.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where mindstream keeps its data on this machine. One rule, shared by every command and by the {@code ./mindstream}
 * launcher (which repeats it in bash): {@code $MINDSTREAM_DATA_DIR} if set, else {@code $XDG_DATA_HOME/mindstream},
 * else {@code ~/.local/share/mindstream}. Never {@code /tmp}: a broker's log there would vanish on reboot.
 */
public final class DataDirs {

    private DataDirs() {
    }

    /** The data root for the current user and environment. */
    public static Path root() {
        return root(System.getenv(), System.getProperty("user.home"));
    }

    /** The data root for the given environment; separated out so the rule can be tested without touching the env. */
    public static Path root(Map<String, String> env, String userHome) {
        String explicit = env.get("MINDSTREAM_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        String xdg = env.get("XDG_DATA_HOME");
        // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "mindstream");
        }
        return Path.of(userHome, ".local", "share", "mindstream");
    }

    /** The embedded broker's default data directory: {@code <root>/kafka}. */
    public static Path kafka() {
        return root().resolve("kafka");
    }
}
