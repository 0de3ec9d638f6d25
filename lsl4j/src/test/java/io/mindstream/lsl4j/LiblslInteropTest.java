package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with a real liblsl build, both directions, through liblsl's C API (JNA). Runs when env {@code LIBLSL}
 * names liblsl.so (≥ 1.16); otherwise every test is skipped with that message. liblsl and lsl4j share one isolated
 * config (private port range, machine scope, KnownPeers 127.0.0.1), handed to liblsl with
 * {@code lsl_set_config_content}. Run: {@code LIBLSL=/path/liblsl.so mvn -B -pl lsl4j test -Dgroups=interop
 * -Dmindstream.test.excluded=}.
 */
@Tag("interop")
class LiblslInteropTest {
    static final int N = 40;
    static final int CH = 3;
    static final double SRATE = 100;
    static LibLsl lsl;
    static LslConfig cfg;

    @BeforeAll
    static void loadLiblsl() {
        String path = System.getenv("LIBLSL");
        if (path == null || path.isBlank()) {
            System.out.println("LiblslInteropTest SKIPPED: set env LIBLSL to a liblsl.so (>= 1.16) to run the interop tests");
        }
        Assumptions.assumeTrue(path != null && !path.isBlank(),
                "skipped: env LIBLSL (path to a liblsl.so >= 1.16 build) is not set");
        String text = TestSupport.isolatedConfigText(32);
        lsl = LibLsl.load(path);
        lsl.lsl_set_config_content(text);
        cfg = LslConfig.parse(text, "interop");
        int v = lsl.lsl_library_version();
        System.out.println("liblsl library version " + v + " from " + path);
        assertTrue(v >= 116, "liblsl >= 1.16 needed, got " + v);
    }

    enum Fmt {
        FLOAT32(ChannelFormat.FLOAT32), DOUBLE64(ChannelFormat.DOUBLE64), INT16(ChannelFormat.INT16), STRING(ChannelFormat.STRING);
        final ChannelFormat cf;

        Fmt(ChannelFormat cf) {
            this.cf = cf;
        }
    }

    static double value(int s, int k) {
        return (s * 31 + k * 7) % 3000 - 1500 + 0.25 * (k % 2);
    }

    static String text(int s, int k) {
        return "ev s" + s + " k" + k + (s % 5 == 0 ? " ünïcödé " + "x".repeat(300) : "");
    }

    static double explicitTs(int s) {
        return 5000.123456789 + s * 0.0101 + s * 1e-9;
    }

    static java.util.stream.Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (Fmt f : Fmt.values()) for (boolean chunked : new boolean[] {false, true}) a.add(Arguments.of(f, chunked));
        return a.stream();
    }

    /** Expected timestamps: explicit per sample, or liblsl's chunk rule (first = last - (n-1)/srate, then +1/srate). */
    static double[] expectedTs(boolean chunked, double lastTs) {
        double[] t = new double[N];
        if (!chunked) {
            for (int s = 0; s < N; s++) t[s] = explicitTs(s);
        } else {
            t[0] = lastTs - (N - 1) / SRATE;
            for (int s = 1; s < N; s++) t[s] = t[s - 1] + 1.0 / SRATE;
        }
        return t;
    }

    @ParameterizedTest(name = "liblsl outlet -> lsl4j inlet: {0}, chunked={1}")
    @MethodSource("cases")
    void liblslOutletToLsl4jInlet(Fmt fmt, boolean chunked) throws Exception {
        String name = TestSupport.unique("interop-l2j-" + fmt);
        Pointer info = lsl.lsl_create_streaminfo(name, "Test", CH, SRATE, fmt.cf.code(), name + "-src");
        lsl.lsl_append_child_value(lsl.lsl_append_child(lsl.lsl_get_desc(info), "channels"), "label", "C3");
        Pointer out = lsl.lsl_create_outlet(info, 0, 360);
        try {
            List<StreamInfo> found = new Resolver(cfg).byProperty("name", name, 1, 10);
            assertEquals(1, found.size(), "lsl4j resolved the liblsl outlet");
            StreamInfo si = found.get(0);
            assertEquals(fmt.cf, si.channelFormat());
            try (StreamInlet in = new StreamInlet(si, 60, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                in.open(10);
                assertEquals(1, lsl.lsl_wait_for_consumers(out, 10));
                assertEquals("C3", in.info(10).desc().child("channels").childValue("label"));
                double lastTs = 7000.5;
                pushFromLiblsl(out, fmt, chunked, lastTs);
                double[] expTs = expectedTs(chunked, lastTs);
                for (int s = 0; s < N; s++) {
                    double ts;
                    if (fmt == Fmt.STRING) {
                        String[] v = new String[CH];
                        ts = in.pullSample(v, 10);
                        for (int k = 0; k < CH; k++) assertEquals(text(s, k), v[k], "sample " + s);
                    } else {
                        double[] v = new double[CH];
                        ts = in.pullSample(v, 10);
                        for (int k = 0; k < CH; k++) assertEquals(expectedNumeric(fmt, s, k), v[k], "sample " + s + " ch " + k);
                    }
                    assertEquals(expTs[s], ts, "timestamp of sample " + s);
                }
                double tc = in.timeCorrection(10);
                assertTrue(Math.abs(tc) < 0.005, "time correction to a liblsl outlet on this host: " + tc);
            }
        } finally {
            lsl.lsl_destroy_outlet(out);
            lsl.lsl_destroy_streaminfo(info);
        }
    }

    static double expectedNumeric(Fmt fmt, int s, int k) {
        double v = value(s, k);
        return switch (fmt) {
            case FLOAT32 -> (float) v;
            case INT16 -> (short) (long) v;
            default -> v;
        };
    }

    private void pushFromLiblsl(Pointer out, Fmt fmt, boolean chunked, double lastTs) {
        if (chunked) {
            NativeLong n = new NativeLong((long) N * CH);
            switch (fmt) {
                case FLOAT32 -> {
                    float[] d = new float[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = (float) value(s, k);
                    lsl.lsl_push_chunk_ftp(out, d, n, lastTs, 1);
                }
                case DOUBLE64 -> {
                    double[] d = new double[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = value(s, k);
                    lsl.lsl_push_chunk_dtp(out, d, n, lastTs, 1);
                }
                case INT16 -> {
                    short[] d = new short[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = (short) (long) value(s, k);
                    lsl.lsl_push_chunk_stp(out, d, n, lastTs, 1);
                }
                case STRING -> {
                    String[] d = new String[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = text(s, k);
                    lsl.lsl_push_chunk_strtp(out, d, n, lastTs, 1);
                }
            }
            return;
        }
        for (int s = 0; s < N; s++) {
            double ts = explicitTs(s);
            switch (fmt) {
                case FLOAT32 -> {
                    float[] d = new float[CH];
                    for (int k = 0; k < CH; k++) d[k] = (float) value(s, k);
                    lsl.lsl_push_sample_ftp(out, d, ts, 1);
                }
                case DOUBLE64 -> {
                    double[] d = new double[CH];
                    for (int k = 0; k < CH; k++) d[k] = value(s, k);
                    lsl.lsl_push_sample_dtp(out, d, ts, 1);
                }
                case INT16 -> {
                    short[] d = new short[CH];
                    for (int k = 0; k < CH; k++) d[k] = (short) (long) value(s, k);
                    lsl.lsl_push_sample_stp(out, d, ts, 1);
                }
                case STRING -> {
                    String[] d = new String[CH];
                    for (int k = 0; k < CH; k++) d[k] = text(s, k);
                    lsl.lsl_push_sample_strtp(out, d, ts, 1);
                }
            }
        }
    }

    @ParameterizedTest(name = "lsl4j outlet -> liblsl inlet: {0}, chunked={1}")
    @MethodSource("cases")
    void lsl4jOutletToLiblslInlet(Fmt fmt, boolean chunked) throws Exception {
        String name = TestSupport.unique("interop-j2l-" + fmt);
        StreamInfo info = new StreamInfo(name, "Test", CH, SRATE, fmt.cf, name + "-src");
        info.desc().appendChild("channels").appendChildValue("label", "C4");
        try (StreamOutlet out = new StreamOutlet(info, 0, 360, cfg)) {
            Pointer[] buf = new Pointer[4];
            int n = lsl.lsl_resolve_byprop(buf, buf.length, "name", name, 1, 10);
            assertEquals(1, n, "liblsl resolved the lsl4j outlet");
            Pointer inlet = lsl.lsl_create_inlet(buf[0], 360, 0, 0);
            IntByReference ec = new IntByReference();
            try {
                lsl.lsl_open_stream(inlet, 10, ec);
                assertEquals(0, ec.getValue(), "lsl_open_stream error code");
                assertTrue(out.waitForConsumers(10));
                Pointer full = lsl.lsl_get_fullinfo(inlet, 10, ec);
                assertEquals(0, ec.getValue());
                Pointer xml = lsl.lsl_get_xml(full);
                assertTrue(xml.getString(0).contains("<label>C4</label>"), xml.getString(0));
                lsl.lsl_destroy_string(xml);
                lsl.lsl_destroy_streaminfo(full);
                double lastTs = 8000.25;
                pushFromLsl4j(out, fmt, chunked, lastTs);
                double[] expTs = expectedTs(chunked, lastTs);
                for (int s = 0; s < N; s++) {
                    double ts;
                    switch (fmt) {
                        case FLOAT32 -> {
                            float[] v = new float[CH];
                            ts = lsl.lsl_pull_sample_f(inlet, v, CH, 10, ec);
                            for (int k = 0; k < CH; k++) assertEquals((float) value(s, k), v[k]);
                        }
                        case DOUBLE64 -> {
                            double[] v = new double[CH];
                            ts = lsl.lsl_pull_sample_d(inlet, v, CH, 10, ec);
                            for (int k = 0; k < CH; k++) assertEquals(value(s, k), v[k]);
                        }
                        case INT16 -> {
                            short[] v = new short[CH];
                            ts = lsl.lsl_pull_sample_s(inlet, v, CH, 10, ec);
                            for (int k = 0; k < CH; k++) assertEquals((short) (long) value(s, k), v[k]);
                        }
                        default -> {
                            Pointer[] v = new Pointer[CH];
                            ts = lsl.lsl_pull_sample_str(inlet, v, CH, 10, ec);
                            for (int k = 0; k < CH; k++) {
                                assertEquals(text(s, k), v[k].getString(0, "UTF-8"));
                                lsl.lsl_destroy_string(v[k]);
                            }
                        }
                    }
                    assertEquals(0, ec.getValue(), "pull error code at sample " + s);
                    assertEquals(expTs[s], ts, "timestamp of sample " + s);
                }
                double tc = lsl.lsl_time_correction(inlet, 10, ec);
                assertEquals(0, ec.getValue(), "lsl_time_correction error code");
                assertTrue(Math.abs(tc) < 0.005, "liblsl time correction to an lsl4j outlet on this host: " + tc);
            } finally {
                lsl.lsl_destroy_inlet(inlet);
                for (int i = 0; i < n; i++) lsl.lsl_destroy_streaminfo(buf[i]);
            }
        }
    }

    private void pushFromLsl4j(StreamOutlet out, Fmt fmt, boolean chunked, double lastTs) {
        if (chunked) {
            switch (fmt) {
                case FLOAT32 -> {
                    float[] d = new float[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = (float) value(s, k);
                    out.pushChunk(d, lastTs);
                }
                case DOUBLE64 -> {
                    double[] d = new double[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = value(s, k);
                    out.pushChunk(d, lastTs);
                }
                case INT16 -> {
                    short[] d = new short[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = (short) (long) value(s, k);
                    out.pushChunk(d, lastTs);
                }
                case STRING -> {
                    String[] d = new String[N * CH];
                    for (int s = 0; s < N; s++) for (int k = 0; k < CH; k++) d[s * CH + k] = text(s, k);
                    out.pushChunk(d, lastTs);
                }
            }
            return;
        }
        for (int s = 0; s < N; s++) {
            double ts = explicitTs(s);
            switch (fmt) {
                case FLOAT32 -> {
                    float[] d = new float[CH];
                    for (int k = 0; k < CH; k++) d[k] = (float) value(s, k);
                    out.pushSample(d, ts);
                }
                case DOUBLE64 -> {
                    double[] d = new double[CH];
                    for (int k = 0; k < CH; k++) d[k] = value(s, k);
                    out.pushSample(d, ts);
                }
                case INT16 -> {
                    short[] d = new short[CH];
                    for (int k = 0; k < CH; k++) d[k] = (short) (long) value(s, k);
                    out.pushSample(d, ts);
                }
                case STRING -> {
                    String[] d = new String[CH];
                    for (int k = 0; k < CH; k++) d[k] = text(s, k);
                    out.pushSample(d, ts);
                }
            }
        }
    }

    @Test
    void severalOutletsOfBothStacksOnOneHostAreAllResolvedByBoth() throws Exception {
        String type = TestSupport.unique("interop-many");
        List<Pointer> liblslOutlets = new ArrayList<>();
        List<StreamOutlet> javaOutlets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Pointer info = lsl.lsl_create_streaminfo("c-" + i + "-" + type, type, 2, 50, ChannelFormat.FLOAT32.code(), "c" + i + type);
                liblslOutlets.add(lsl.lsl_create_outlet(info, 0, 10));
                lsl.lsl_destroy_streaminfo(info);
                javaOutlets.add(new StreamOutlet(new StreamInfo("j-" + i + "-" + type, type, 2, 50, ChannelFormat.FLOAT32,
                        "j" + i + type), 0, 10, cfg));
            }
            List<StreamInfo> found = new Resolver(cfg).byProperty("type", type, 6, 10);
            Set<String> names = new HashSet<>();
            for (StreamInfo si : found) names.add(si.name());
            assertEquals(6, names.size(), "lsl4j found all six outlets: " + names);
            Pointer[] buf = new Pointer[16];
            int n = lsl.lsl_resolve_byprop(buf, buf.length, "type", type, 6, 10);
            Set<String> cnames = new HashSet<>();
            for (int i = 0; i < n; i++) {
                cnames.add(lsl.lsl_get_name(buf[i]));
                lsl.lsl_destroy_streaminfo(buf[i]);
            }
            assertEquals(6, cnames.size(), "liblsl found all six outlets: " + cnames);
            assertEquals(names, cnames);
        } finally {
            for (Pointer p : liblslOutlets) lsl.lsl_destroy_outlet(p);
            for (StreamOutlet o : javaOutlets) o.close();
        }
    }

    @Test
    void liblslChunkWithPerSampleTimestampsAndPullChunkIntoCallerArrays() throws Exception {
        String name = TestSupport.unique("interop-chunkts");
        Pointer info = lsl.lsl_create_streaminfo(name, "Test", CH, SRATE, ChannelFormat.FLOAT32.code(), name);
        Pointer out = lsl.lsl_create_outlet(info, 10, 360);
        try {
            StreamInfo si = new Resolver(cfg).byProperty("name", name, 1, 10).get(0);
            try (StreamInlet in = new StreamInlet(si, 60, 10, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                in.open(10);
                lsl.lsl_wait_for_consumers(out, 10);
                float[] d = new float[N * CH];
                double[] ts = new double[N];
                for (int s = 0; s < N; s++) {
                    ts[s] = explicitTs(s);
                    for (int k = 0; k < CH; k++) d[s * CH + k] = (float) value(s, k);
                }
                lsl.lsl_push_chunk_ftnp(out, d, new NativeLong((long) N * CH), ts, 1);
                float[] got = new float[N * CH];
                double[] gts = new double[N];
                int n = 0;
                float[] part = new float[7 * CH];
                double[] pts = new double[7];
                while (n < N) {
                    int m = in.pullChunk(part, pts, 10);
                    assertTrue(m > 0, "chunk timed out after " + n + " samples");
                    System.arraycopy(part, 0, got, n * CH, m * CH);
                    System.arraycopy(pts, 0, gts, n, m);
                    n += m;
                }
                assertArrayEquals(d, got);
                assertArrayEquals(ts, gts);
            }
        } finally {
            lsl.lsl_destroy_outlet(out);
            lsl.lsl_destroy_streaminfo(info);
        }
    }
}
