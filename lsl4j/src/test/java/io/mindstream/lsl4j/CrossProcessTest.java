package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Java ↔ Java across two JVM processes: a child JVM ({@link CrossProcessOutlets}, configured through LSLAPICFG)
 * publishes 28 outlets (7 formats × single/chunked × explicit/deduced timestamps); this JVM resolves all of them
 * with KnownPeers and checks that every value and every timestamp arrives identical.
 */
class CrossProcessTest {

    @Test
    void everyFormatSingleAndChunkedExplicitAndDeducedArrivesIdentical() throws Exception {
        String cfgText = TestSupport.isolatedConfigText(64);
        Path cfgFile = TestSupport.writeConfig(cfgText);
        LslConfig cfg = LslConfig.parse(cfgText, "test");
        String prefix = TestSupport.unique("xproc");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", CrossProcessOutlets.class.getName(), prefix);
        pb.environment().put("LSLAPICFG", cfgFile.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        List<StreamInlet> inlets = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("READY"), "child did not start: " + ready);
            int expected = ChannelFormat.values().length * 4;
            List<StreamInfo> found = new Resolver(cfg).byProperty("type", prefix, expected, 20);
            assertEquals(expected, found.size(), "all outlets of the other process resolved");
            Map<String, StreamInlet> byName = new HashMap<>();
            for (StreamInfo si : found) {
                StreamInlet in = new StreamInlet(si, 60, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg);
                inlets.add(in);
                byName.put(si.name(), in);
                in.open(10);
            }
            for (ChannelFormat f : ChannelFormat.values()) {
                for (boolean chunked : new boolean[] {false, true}) {
                    for (TestData.TsMode mode : TestData.TsMode.values()) {
                        String name = TestData.streamName(prefix, f, chunked, mode);
                        verify(name, byName.get(name), f, chunked, mode);
                    }
                }
            }
        } finally {
            inlets.forEach(StreamInlet::close);
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
        }
    }

    private static void verify(String name, StreamInlet in, ChannelFormat f, boolean chunked, TestData.TsMode mode) {
        assertTrue(in != null, "no inlet for " + name);
        Object expected = TestData.chunk(f);
        double[] expTs = TestData.expectedTimestamps(chunked, mode);
        double[] ts = new double[TestData.SAMPLES];
        Object got;
        int n = TestData.SAMPLES * TestData.CHANNELS;
        switch (f) {
            case FLOAT32 -> got = new float[n];
            case DOUBLE64 -> got = new double[n];
            case INT8 -> got = new byte[n];
            case INT16 -> got = new short[n];
            case INT32 -> got = new int[n];
            case INT64 -> got = new long[n];
            default -> got = new String[n];
        }
        for (int s = 0; s < TestData.SAMPLES; s++) {
            Object one = TestData.slice(got, s);
            double t = pull(in, one);
            assertTrue(t != 0.0, name + ": sample " + s + " did not arrive");
            System.arraycopy(one, 0, got, s * TestData.CHANNELS, TestData.CHANNELS);
            ts[s] = t;
        }
        assertArrayEquals(expTs, ts, name + ": timestamps");
        switch (f) {
            case FLOAT32 -> assertArrayEquals((float[]) expected, (float[]) got, name);
            case DOUBLE64 -> assertArrayEquals((double[]) expected, (double[]) got, name);
            case INT8 -> assertArrayEquals((byte[]) expected, (byte[]) got, name);
            case INT16 -> assertArrayEquals((short[]) expected, (short[]) got, name);
            case INT32 -> assertArrayEquals((int[]) expected, (int[]) got, name);
            case INT64 -> assertArrayEquals((long[]) expected, (long[]) got, name);
            default -> assertArrayEquals((String[]) expected, (String[]) got, name);
        }
    }

    private static double pull(StreamInlet in, Object dst) {
        if (dst instanceof float[] a) return in.pullSample(a, 10);
        if (dst instanceof double[] a) return in.pullSample(a, 10);
        if (dst instanceof byte[] a) return in.pullSample(a, 10);
        if (dst instanceof short[] a) return in.pullSample(a, 10);
        if (dst instanceof int[] a) return in.pullSample(a, 10);
        if (dst instanceof long[] a) return in.pullSample(a, 10);
        return in.pullSample((String[]) dst, 10);
    }
}
