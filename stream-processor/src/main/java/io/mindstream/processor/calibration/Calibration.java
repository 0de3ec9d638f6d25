package io.mindstream.processor.calibration;

import io.mindstream.contracts.StreamKind;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Frozen per-channel normalisation statistics (decoding.md §2.1: fitted once on a calibration block, then held
 * fixed). MEG/EEG: {@code method = "robust"}, {@code center} = median, {@code scale} = IQR (Q75 − Q25), as
 * scikit-learn's RobustScaler. fMRI: {@code method = "zscore"}, mean and standard deviation (ddof = 1).
 *
 * @param id       content hash ({@code cal-} + 12 hex digits of SHA-256 over kind, method and the values), so two
 *                 runs that fitted the same numbers name the same version
 * @param kind     stream kind the statistics belong to
 * @param method   {@code robust} or {@code zscore}
 * @param center   per-channel centre
 * @param scale    per-channel scale (never 0: a zero spread is stored as 1, see {@link #of})
 * @param fittedOn free text: which session/stream/samples it was fitted on
 */
public record Calibration(String id, StreamKind kind, String method, float[] center, float[] scale,
                          String fittedOn) {

    public static final String ROBUST = "robust";
    public static final String ZSCORE = "zscore";

    public Calibration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(fittedOn, "fittedOn");
        if (center.length != scale.length || center.length == 0) {
            throw new IllegalArgumentException("calibration needs equal, non-empty center and scale arrays, got "
                    + center.length + " and " + scale.length);
        }
        center = center.clone();
        scale = scale.clone();
    }

    /** Builds a calibration, replacing non-positive or non-finite scales by 1 and computing the content id. */
    public static Calibration of(StreamKind kind, String method, float[] center, float[] scale, String fittedOn) {
        float[] s = scale.clone();
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] > 0) || !Float.isFinite(s[i])) {
                s[i] = 1f;
            }
        }
        return new Calibration(contentId(kind, method, center, s), kind, method, center, s, fittedOn);
    }

    public int channels() {
        return center.length;
    }

    @Override
    public float[] center() {
        return center.clone();
    }

    @Override
    public float[] scale() {
        return scale.clone();
    }

    /** {@code (x - center[c]) / scale[c]} without copying the arrays. */
    public float apply(int channel, float x) {
        return (x - center[channel]) / scale[channel];
    }

    private static String contentId(StreamKind kind, String method, float[] center, float[] scale) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((kind.name() + "/" + method).getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(8 * center.length);
            for (int i = 0; i < center.length; i++) {
                b.putFloat(center[i]).putFloat(scale[i]);
            }
            md.update(b.array());
            return "cal-" + HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && id.equals(c.id) && kind == c.kind && method.equals(c.method)
                && Arrays.equals(center, c.center) && Arrays.equals(scale, c.scale) && fittedOn.equals(c.fittedOn);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Calibration[" + id + " " + kind + " " + method + " " + center.length + " ch, " + fittedOn + "]";
    }
}
