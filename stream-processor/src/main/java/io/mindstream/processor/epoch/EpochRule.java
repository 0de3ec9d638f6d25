package io.mindstream.processor.epoch;

import io.mindstream.contracts.Marker;

import java.util.Locale;
import java.util.Objects;

/**
 * Which markers cut an epoch, and its span around the marker. A rule matches a marker by label prefix, or by
 * integer code; the first matching rule of {@link io.mindstream.processor.ProcessorConfig#epochRules()} wins.
 *
 * @param labelPrefix markers whose label starts with this (null: match on code only)
 * @param code        markers with this integer code (null: match on label only)
 * @param tmin        epoch start relative to the marker, seconds (negative = before)
 * @param tmax        epoch end relative to the marker, seconds (inclusive)
 */
public record EpochRule(String labelPrefix, Integer code, double tmin, double tmax) {

    public EpochRule {
        if (labelPrefix == null && code == null) {
            throw new IllegalArgumentException("an epoch rule needs a label prefix or a code");
        }
        if (!(tmin < tmax) || !Double.isFinite(tmin) || !Double.isFinite(tmax)) {
            throw new IllegalArgumentException("epoch span must have tmin < tmax, got " + tmin + " … " + tmax);
        }
        if (tmin > 0) {
            throw new IllegalArgumentException("tmin must be ≤ 0 (the baseline is the pre-onset span), got " + tmin);
        }
    }

    /** The default of decoding.md §2.1: {@code -0.5 … +1.0 s} around every {@code onset…} marker. */
    public static EpochRule onsetDefault() {
        return new EpochRule("onset", null, -0.5, 1.0);
    }

    public boolean matches(Marker m) {
        if (code != null && Objects.equals(code, m.code())) {
            return true;
        }
        return labelPrefix != null && m.label() != null && m.label().startsWith(labelPrefix);
    }

    /**
     * Parses {@code label:PREFIX:TMIN:TMAX}, {@code code:N:TMIN:TMAX} or the short form {@code PREFIX:TMIN:TMAX}.
     */
    public static EpochRule parse(String spec) {
        String[] p = spec.split(":");
        try {
            if (p.length == 4 && p[0].equalsIgnoreCase("code")) {
                return new EpochRule(null, Integer.parseInt(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3]));
            }
            if (p.length == 4 && p[0].equalsIgnoreCase("label")) {
                return new EpochRule(p[1], null, Double.parseDouble(p[2]), Double.parseDouble(p[3]));
            }
            if (p.length == 3) {
                return new EpochRule(p[0], null, Double.parseDouble(p[1]), Double.parseDouble(p[2]));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad epoch rule '" + spec + "': " + e.getMessage());
        }
        throw new IllegalArgumentException("bad epoch rule '" + spec
                + "': expected label:PREFIX:TMIN:TMAX, code:N:TMIN:TMAX or PREFIX:TMIN:TMAX");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s … %s s", code != null ? "code=" + code : "label^" + labelPrefix,
                tmin, tmax);
    }
}
