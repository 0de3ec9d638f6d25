package io.mindstream.lsl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Inputs for the property and fuzz tests, drawn from a fixed-seed {@link SplittableRandom} so every run sees the
 * same cases and a failing case is reproduced by its seed and index (both are in each case's name). The seed can be
 * changed for an exploratory run with {@code -Dlsl4j.test.seed=<n>}.
 *
 * <p>Plain uniform draws rarely hit the values that break parsers (empty input, the bounds, control characters,
 * surrogates, markup characters), so about one draw in ten is a bound and strings mix in those characters on
 * purpose.
 */
final class RandomInputs {
    private static final String MARKUP = "<>&'\"=/ \t\r\n:;\\";
    private final SplittableRandom random;
    private final long seed;

    RandomInputs(long defaultSeed) {
        this.seed = Long.getLong("lsl4j.test.seed", defaultSeed);
        this.random = new SplittableRandom(seed);
    }

    long seed() {
        return seed;
    }

    /** Name of case {@code index} (1-based) of {@code count}, with the seed that reproduces it. */
    String caseName(int index, int count, String detail) {
        return "case " + index + "/" + count + " (seed " + seed + "): " + detail;
    }

    boolean percent(int p) {
        return random.nextInt(100) < p;
    }

    /** Inclusive range; a bound one draw in ten. */
    int between(int min, int max) {
        if (percent(10)) return random.nextBoolean() ? min : max;
        return random.nextInt(min, max + 1);
    }

    /** Inclusive range; a bound one draw in ten. */
    double between(double min, double max) {
        if (percent(10)) return random.nextBoolean() ? min : max;
        return min + random.nextDouble() * (max - min);
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    <T> List<T> list(int maxSize, Supplier<T> element) {
        int n = between(0, maxSize);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(element.get());
        return out;
    }

    byte[] bytes(int minSize, int maxSize) {
        byte[] b = new byte[between(minSize, maxSize)];
        random.nextBytes(b);
        return b;
    }

    /**
     * A string of {@code minLength..maxLength} chars from all of Unicode: printable ASCII, C0 controls and DEL,
     * markup and protocol characters, the rest of the BMP (lone surrogates included), and supplementary code
     * points (two chars each).
     */
    String string(int minLength, int maxLength) {
        int n = between(minLength, maxLength);
        StringBuilder sb = new StringBuilder(n);
        while (sb.length() < n) {
            int kind = random.nextInt(100);
            if (kind < 40) sb.append((char) random.nextInt(0x20, 0x7F));
            else if (kind < 50) sb.append((char) (percent(90) ? random.nextInt(0, 0x20) : 0x7F));
            else if (kind < 65) sb.append(MARKUP.charAt(random.nextInt(MARKUP.length())));
            else if (kind < 90) sb.append((char) random.nextInt(0x80, 0x10000));
            else if (sb.length() + 2 <= n) sb.appendCodePoint(random.nextInt(0x10000, 0x110000));
            else sb.append((char) random.nextInt(0x80, 0x800));
        }
        return sb.toString();
    }

    /** {@code minLength..maxLength} letters a-z, A-Z. */
    String alpha(int minLength, int maxLength) {
        int n = between(minLength, maxLength);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(52);
            sb.append((char) (c < 26 ? 'a' + c : 'A' + c - 26));
        }
        return sb.toString();
    }

    /** The body of one generated case. */
    interface CaseBody {
        void run() throws Exception;
    }

    /**
     * Runs one case so that any failure (assertion, exception, timeout) names the case, its index and its seed:
     * Surefire's report shows only the method name and invocation index, not the parameterized display name.
     */
    static void check(String caseName, CaseBody body) {
        try {
            body.run();
        } catch (Throwable t) {
            throw new AssertionError(caseName + ": " + t, t);
        }
    }

    /** Printable, for case names and assertion messages: non-ASCII and controls as {@code \\uXXXX}. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\\') sb.append(c);
            else sb.append(String.format("\\u%04x", (int) c));
        }
        return sb.toString();
    }
}
