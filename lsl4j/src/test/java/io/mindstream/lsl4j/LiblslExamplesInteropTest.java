package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interop with liblsl's own example programs (examples/ of sccn/liblsl, built with cmake), run as child processes
 * with {@code LSLAPICFG} pointing at an isolated config. Runs when env {@code LIBLSL_EXAMPLES} names the directory
 * holding the built programs; otherwise skipped with that message.
 */
@Tag("interop")
class LiblslExamplesInteropTest {
    static Path dir;
    static Path cfgFile;
    static LslConfig cfg;

    @BeforeAll
    static void setUp() throws IOException {
        String d = System.getenv("LIBLSL_EXAMPLES");
        if (d == null || d.isBlank()) {
            System.out.println("LiblslExamplesInteropTest SKIPPED: set env LIBLSL_EXAMPLES to the directory of liblsl's built example programs");
        }
        Assumptions.assumeTrue(d != null && !d.isBlank(), "skipped: env LIBLSL_EXAMPLES (liblsl example programs) is not set");
        dir = Path.of(d);
        String text = TestSupport.isolatedConfigText(32);
        cfgFile = TestSupport.writeConfig(text);
        cfg = LslConfig.parse(text, "examples");
    }

    /** A running example program whose stdout lines are collected. */
    static final class Program implements AutoCloseable {
        final Process p;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Program(String... cmd) throws IOException {
            List<String> c = new ArrayList<>();
            c.add(dir.resolve(cmd[0]).toString());
            for (int i = 1; i < cmd.length; i++) c.add(cmd[i]);
            ProcessBuilder pb = new ProcessBuilder(c);
            pb.environment().put("LSLAPICFG", cfgFile.toString());
            pb.redirectErrorStream(true);
            p = pb.start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) lines.add(l);
                } catch (IOException e) {
                    // process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        void typeLine() throws IOException {
            OutputStream o = p.getOutputStream();
            o.write('\n');
            o.flush();
        }

        boolean waitFor(double seconds) throws InterruptedException {
            return p.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        }

        List<String> snapshot() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        @Override
        public void close() {
            p.destroy();
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static StreamInlet inletFor(String name) {
        List<StreamInfo> found = new Resolver(cfg).byProperty("name", name, 1, 10);
        assertEquals(1, found.size(), "lsl4j resolved the example's stream " + name);
        return new StreamInlet(found.get(0), 60, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg);
    }

    @Test
    void sendDataToLsl4jInlet() throws Exception {
        String name = TestSupport.unique("ex-senddata");
        try (Program send = new Program("SendData", name, "EEG", "12", "200"); StreamInlet in = inletFor(name)) {
            in.open(10);
            float[] v = new float[12];
            double prev = 0;
            for (int i = 0; i < 100; i++) {
                double ts = in.pullSample(v, 10);
                assertTrue(ts > prev, "timestamps increase");
                prev = ts;
            }
            StreamInfo full = in.info(5);
            assertEquals(12, full.channelCount());
            assertEquals(12, full.desc().child("channels").children("channel").size());
            assertEquals("Chan-12", full.desc().child("channels").children("channel").get(11).childValue("label"));
            assertEquals("LSL", full.desc().childValue("manufacturer"));
            assertTrue(Math.abs(in.timeCorrection(10)) < 0.005);
        }
    }

    @Test
    void sendDataInChunksToLsl4jInletWithDeducedTimestamps() throws Exception {
        String name = TestSupport.unique("ex-chunks");
        try (Program send = new Program("SendDataInChunks", name, "Audio", "1000", "2"); StreamInlet in = inletFor(name)) {
            in.open(10);
            short[] chunk = new short[2 * 50];
            double[] ts = new double[50];
            int total = 0;
            double prev = 0;
            while (total < 500) {
                int n = in.pullChunk(chunk, ts, 10);
                assertTrue(n > 0);
                for (int i = 0; i < n; i++) {
                    assertTrue(ts[i] > prev, "increasing timestamps");
                    prev = ts[i];
                }
                total += n;
            }
        }
    }

    @Test
    void sendStringMarkersToLsl4jInletInOrder() throws Exception {
        String name = TestSupport.unique("ex-markers");
        try (Program send = new Program("SendStringMarkers", name); StreamInlet in = inletFor(name)) {
            in.open(10);
            List<String> got = new ArrayList<>();
            String[] m = new String[1];
            while (got.size() < 4) {
                assertTrue(in.pullSample(m, 10) != 0.0, "marker arrived");
                got.add(m[0]);
            }
            Thread.sleep(200);
            List<String> sentLines = new ArrayList<>();
            for (String l : send.snapshot()) if (l.startsWith("now sending: ")) sentLines.add(l.substring(13));
            // the inlet connected after the first markers may have been sent: ours are a contiguous run of theirs
            assertTrue(Collections.indexOfSubList(sentLines, got) >= 0, "received " + got + " within sent " + sentLines);
        }
    }

    @Test
    void lsl4jOutletToReceiveData() throws Exception {
        String name = TestSupport.unique("ex-recvdata");
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "EEG", 3, 50, ChannelFormat.FLOAT32, name), 0, 60, cfg);
             Program recv = new Program("ReceiveData", "name", name, "2")) {
            assertTrue(out.waitForConsumers(15), "ReceiveData connected");
            Set<String> rows = new HashSet<>();
            long start = System.nanoTime();
            int s = 0;
            while (!recv.waitFor(0.02)) {
                float[] x = {s, s + 0.5f, -s};
                out.pushSample(x);
                rows.add(s + " " + (s + 0.5f == (int) (s + 0.5f) ? String.valueOf((int) (s + 0.5f)) : String.valueOf(s + 0.5f)) + " " + (s == 0 ? "0" : "-" + s));
                s++;
                assertTrue(System.nanoTime() - start < 20_000_000_000L, "ReceiveData did not finish");
            }
            int matched = 0;
            for (String l : recv.snapshot()) {
                if (l.matches("-?[0-9.]+ -?[0-9.]+ -?[0-9.]+ ?")) {
                    assertTrue(rows.contains(l.strip()), "ReceiveData printed a row we never sent: " + l);
                    matched++;
                }
            }
            assertTrue(matched >= 3, "ReceiveData printed our samples: " + recv.snapshot());
        }
    }

    @Test
    void lsl4jMarkersToReceiveStringMarkersAndTimeCorrectionAndFullinfo() throws Exception {
        String name = TestSupport.unique("ex-jmarkers");
        StreamInfo info = new StreamInfo(name, "Markers", 1, 0, ChannelFormat.STRING, name);
        info.desc().appendChild("channels").appendChild("channel").appendChildValue("label", "events");
        try (StreamOutlet out = new StreamOutlet(info, 0, 60, cfg);
             Program recv = new Program("ReceiveStringMarkers")) {
            assertTrue(out.waitForConsumers(15), "ReceiveStringMarkers connected");
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                out.pushSample(new String[] {"onset image=img" + i + " trial=" + i});
                Thread.sleep(100);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (recv.snapshot().stream().filter(l -> l.contains("trial=")).count() < 5 && System.nanoTime() < deadline) Thread.sleep(50);
            List<String> lines = recv.snapshot().stream().filter(l -> l.contains("\tonset image=")).toList();
            assertEquals(5, lines.size(), recv.snapshot().toString());
            for (int i = 0; i < 5; i++) assertTrue(lines.get(i).endsWith("\tonset image=img" + i + " trial=" + i));
            try (Program tc = new Program("GetTimeCorrection", "name", name)) {
                Thread.sleep(1500);
                tc.typeLine();
                Thread.sleep(500);
                tc.typeLine();
                deadline = System.nanoTime() + 10_000_000_000L;
                List<Double> values = new ArrayList<>();
                while (values.size() < 2 && System.nanoTime() < deadline) {
                    values.clear();
                    for (String l : tc.snapshot()) if (l.matches("-?[0-9.]+(e-?[0-9]+)?")) values.add(Double.parseDouble(l));
                    Thread.sleep(100);
                }
                assertTrue(values.size() >= 2, tc.snapshot().toString());
                for (double v : values) assertTrue(Math.abs(v) < 0.005, "GetTimeCorrection against lsl4j: " + v);
            }
            try (Program full = new Program("GetFullinfo", "name", name)) {
                full.typeLine();
                full.waitFor(10);
                String text = String.join("\n", full.snapshot());
                assertTrue(text.contains("<label>events</label>"), text);
                assertTrue(text.contains("<uid>" + out.info().uid() + "</uid>"), text);
            }
        }
    }
}
