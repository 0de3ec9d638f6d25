package io.mindstream.processor.dsp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter chain against scipy.signal (vectors from src/test/python/make_dsp_vectors.py, committed under
 * src/test/resources/dsp). Tolerances: designs' magnitude responses within 1e-9 absolute; filtered samples within
 * 2e-5 of the reference's peak amplitude (the reference is float64 math rounded to float32, ours double sections
 * with float32 output; the worst case measured is printed).
 */
class FilterChainReferenceTest {

    static final double FS = 1200;
    static final int C = 4;

    static float[] load(String name) throws IOException {
        try (InputStream in = FilterChainReferenceTest.class.getResourceAsStream("/dsp/" + name)) {
            byte[] b = in.readAllBytes();
            float[] f = new float[b.length / 4];
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }
    }

    static double magnitude(List<Biquad> sos, double f, double fs) {
        double w = 2 * Math.PI * f / fs;
        double re1 = Math.cos(w), im1 = -Math.sin(w), re2 = Math.cos(2 * w), im2 = -Math.sin(2 * w);
        double mag = 1;
        for (Biquad q : sos) {
            double nr = q.b0() + q.b1() * re1 + q.b2() * re2, ni = q.b1() * im1 + q.b2() * im2;
            double dr = 1 + q.a1() * re1 + q.a2() * re2, di = q.a1() * im1 + q.a2() * im2;
            mag *= Math.hypot(nr, ni) / Math.hypot(dr, di);
        }
        return mag;
    }

    @Test
    void designsMatchScipyFrequencyResponses() throws IOException {
        JsonNode ref = new ObjectMapper().readTree(getClass().getResourceAsStream("/dsp/response.json"));
        JsonNode freqs = ref.get("freqs");
        var cases = new java.util.LinkedHashMap<String, List<Biquad>>();
        cases.put("chain", FilterSettings.defaults().cascade(FS));
        cases.put("bandpass", FilterDesign.butterworthBandPass(4, 0.1, 40, FS));
        cases.put("antialias", FilterDesign.chebyshev1LowPass(8, 0.05, 48, FS));
        cases.put("notch60", List.of(FilterDesign.notch(60, 30, FS)));
        for (var e : cases.entrySet()) {
            JsonNode mags = ref.get("magnitude").get(e.getKey());
            for (int i = 0; i < freqs.size(); i++) {
                double f = freqs.get(i).asDouble();
                assertEquals(mags.get(i).asDouble(), magnitude(e.getValue(), f, FS), 1e-9,
                        e.getKey() + " |H| at " + f + " Hz");
            }
        }
    }

    @Test
    void chainFilteredInRandomChunksMatchesScipySosfilt() throws IOException {
        float[] x = load("input.f32");
        float[] ref = load("chain.f32");
        float[] y = filterInRandomChunks(FilterSettings.defaults().cascade(FS), x, 1);
        double err = maxRelativeError(ref, y);
        System.out.printf("chain vs scipy sosfilt: max |err| / peak = %.3g%n", err);
        assertTrue(err < 2e-5, "chain error " + err);
    }

    @Test
    void bandPassAloneMatchesScipy() throws IOException {
        float[] x = load("input.f32");
        float[] ref = load("bandpass.f32");
        float[] y = filterInRandomChunks(FilterDesign.butterworthBandPass(4, 0.1, 40, FS), x, 2);
        double err = maxRelativeError(ref, y);
        System.out.printf("band-pass vs scipy: max |err| / peak = %.3g%n", err);
        assertTrue(err < 2e-5, "band-pass error " + err);
    }

    @Test
    void decimationTakesEveryTenthAntiAliasedSampleLikeScipy() throws IOException {
        float[] x = load("input.f32");
        float[] ref = load("decimated.f32");
        assertEquals(10, FilterSettings.defaults().decimationFactor(FS));
        float[] y = filterInRandomChunks(FilterSettings.defaults().cascade(FS), x, 3);
        int n = x.length / C;
        float[] dec = new float[(n / 10) * C];
        for (int k = 0; k < n / 10; k++) {
            System.arraycopy(y, k * 10 * C, dec, k * C, C);
        }
        double err = maxRelativeError(ref, dec);
        System.out.printf("decimated vs scipy: max |err| / peak = %.3g%n", err);
        assertTrue(err < 2e-5, "decimation error " + err);
    }

    @Test
    void stateRestoredMidStreamContinuesExactly() throws IOException {
        float[] x = load("input.f32");
        List<Biquad> sos = FilterSettings.defaults().cascade(FS);
        SosFilter a = new SosFilter(sos, C);
        float[] whole = new float[x.length];
        a.process(x, 0, whole, 0, x.length / C);
        SosFilter b = new SosFilter(sos, C);
        float[] part = new float[x.length];
        int half = 3001;
        b.process(x, 0, part, 0, half);
        SosFilter c = new SosFilter(sos, C);
        c.restore(b.state());
        c.process(x, half * C, part, half * C, x.length / C - half);
        assertTrue(java.util.Arrays.equals(whole, part), "restored filter must continue bit for bit");
    }

    static float[] filterInRandomChunks(List<Biquad> sos, float[] x, long seed) {
        SosFilter f = new SosFilter(sos, C);
        float[] y = new float[x.length];
        Random r = new Random(seed);
        int n = x.length / C;
        for (int s = 0; s < n; ) {
            int len = Math.min(n - s, 1 + r.nextInt(40));
            f.process(x, s * C, y, s * C, len);
            s += len;
        }
        return y;
    }

    static double maxRelativeError(float[] ref, float[] y) {
        assertEquals(ref.length, y.length);
        double peak = 0, err = 0;
        for (int i = 0; i < ref.length; i++) {
            peak = Math.max(peak, Math.abs(ref[i]));
            err = Math.max(err, Math.abs(ref[i] - y[i]));
        }
        return err / peak;
    }
}
