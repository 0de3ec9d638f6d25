package io.mindstream.runtime;


import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Human durations, as options and logs write them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 12h}, {@code 7d}, or
 * ISO-8601 ({@code PT36H}, {@code P7D}).
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** Parses a duration; throws {@link IllegalArgumentException} naming the text if it is not one. */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 500ms, 30s, 15m, 12h, 7d "
                    + "or ISO-8601 like PT36H)");
        }
    }

    /** The shortest exact form among d/h/m/s/ms: {@code 7d}, {@code 36h}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms != 0 && ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }
}
