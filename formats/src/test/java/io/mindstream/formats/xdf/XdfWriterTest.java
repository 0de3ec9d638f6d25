package io.mindstream.formats.xdf;

import io.mindstream.formats.testing.FieldTools;
import io.mindstream.formats.testing.LibXdf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * XDF written by {@link XdfWriter} is read by libxdf (Debian's C++ reader, through a helper built at test time) and
 * by {@link XdfReader} with the same stream XML, samples, timestamps, clock offsets and markers; a writer killed with
 * SIGKILL mid-recording leaves a file both read up to its last chunk; corrupt files give one clear error.
 */
class XdfWriterTest {

    @TempDir
    static Path dir;
    static LibXdf libxdf;

    @BeforeAll
    static void buildHelper() throws IOException {
        if (FieldTools.libxdfAvailable()) {
            libxdf = LibXdf.build(dir);
        }
    }

    static String header(String name, String type, int channels, double rate, String format) {
        return "<?xml version=\"1.0\"?><info><name>" + name + "</name><type>" + type + "</type><channel_count>"
                + channels + "</channel_count><nominal_srate>" + rate + "</nominal_srate><channel_format>" + format
                + "</channel_format><source_id>" + name + "-src</source_id><version>1.1</version><created_at>12.5"
                + "</created_at><uid>u-" + name + "</uid><session_id>default</session_id><hostname>h</hostname>"
                + "<desc><channels>" + labels(channels) + "</channels><note>ü &amp; 猫</note></desc></info>";
    }

    private static String labels(int n) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < n; c++) {
            b.append("<channel><label>C").append(c).append("</label><unit>V</unit></channel>");
        }
        return b.toString();
    }

    @Test
    void libxdfAndOurReaderReadWhatWeWrite() throws IOException {
        Path file = dir.resolve("written.xdf");
        Random r = new Random(13);
        int ch = 8;
        int n = 700;                                      // chunks of 1, 300 (4-byte sample count) and the rest
        double[] ts = new double[n];
        float[] v = new float[n * ch];
        for (int i = 0; i < n; i++) {
            ts[i] = 500.0 + i / 250.0 + r.nextDouble() * 1e-4;
            for (int c = 0; c < ch; c++) {
                v[i * ch + c] = (float) r.nextGaussian();
            }
        }
        double[] dts = {500.5, 501.5, 502.5};
        double[] dv = {1.25, -2.5, 1e300, 0.1, Math.PI, -0.0};
        String[] labels = {"onset image=猫_01 trial=1", "", "offset trial=1 🧠"};
        double[] lts = {500.2, 500.9, 501.7};
        int[] iv = {1, -7, Integer.MAX_VALUE};
        short[] sv = {3, -3, Short.MIN_VALUE};
        String megHeader = header("meg", "MEG", ch, 250, "float32");
        try (XdfWriter w = XdfWriter.create(file)) {
            w.streamHeader(0, megHeader);
            w.streamHeader(1, header("dbl", "EEG", 2, 1, "double64"));
            w.streamHeader(2, header("mk", "Markers", 1, 0, "string"));
            w.streamHeader(3, header("ints", "Other", 1, 0, "int32"));
            w.streamHeader(4, header("shorts", "Other", 1, 0, "int16"));
            w.clockOffset(0, 499.0, 0.0);
            w.samples(0, java.util.Arrays.copyOfRange(ts, 0, 1), java.util.Arrays.copyOfRange(v, 0, ch));
            w.samples(0, java.util.Arrays.copyOfRange(ts, 1, 301), java.util.Arrays.copyOfRange(v, ch, 301 * ch));
            w.boundary();
            w.samples(1, dts, dv);
            for (int i = 0; i < 3; i++) {
                w.samples(2, new double[]{lts[i]}, new String[]{labels[i]});
            }
            w.samples(3, lts, iv);
            w.samples(4, lts, sv);
            w.samples(0, java.util.Arrays.copyOfRange(ts, 301, n), java.util.Arrays.copyOfRange(v, 301 * ch, n * ch));
            w.clockOffset(0, 505.0, 0.0);
            assertEquals(n, w.sampleCount(0));
        }

        XdfReader.XdfFile ours = XdfReader.read(file);
        assertFalse(ours.truncated());
        assertEquals(5, ours.streams().size());
        XdfStream meg = ours.streams().get(0);
        assertEquals(megHeader, meg.headerXml());
        assertArrayEquals(ts, meg.timestamps());
        float[] back = new float[meg.values().length];
        for (int i = 0; i < back.length; i++) {
            back[i] = (float) meg.values()[i];
        }
        assertArrayEquals(v, back);
        assertEquals(2, meg.clockOffsets().size());
        assertTrue(meg.footerXml().contains("<sample_count>" + n + "</sample_count>"), meg.footerXml());
        assertArrayEquals(dv, ours.streams().get(1).values());
        assertArrayEquals(labels, ours.streams().get(2).strings());
        assertArrayEquals(lts, ours.streams().get(2).timestamps());
        assertArrayEquals(new double[]{1, -7, Integer.MAX_VALUE}, ours.streams().get(3).values());
        assertArrayEquals(new double[]{3, -3, Short.MIN_VALUE}, ours.streams().get(4).values());

        assumeTrue(libxdf != null, "skipped: g++ or libxdf-dev (/usr/include/xdf.h) is not installed");
        LibXdf.Loaded lx = libxdf.read(file);
        assertEquals(5, lx.streams().size());
        LibXdf.Stream lm = lx.streams().get(0);
        assertEquals(megHeader, lm.get("header"));
        assertEquals("meg", lm.get("name"));
        assertEquals("MEG", lm.get("type"));
        assertEquals("float32", lm.get("channel_format"));
        assertEquals(Integer.toString(ch), lm.get("channel_count"));
        assertEquals("C0\tC1\tC2\tC3\tC4\tC5\tC6\tC7", lm.get("labels"));
        assertEquals(Integer.toString(n), lm.get("sample_count"));
        assertEquals(ts[0], Double.parseDouble(lm.get("first_timestamp")));
        assertEquals(ts[n - 1], Double.parseDouble(lm.get("last_timestamp")));
        assertEquals(2, lm.offsets().size());
        assertArrayEquals(ts, lm.timestamps(), "libxdf's timestamps (offsets 0: unchanged)");
        assertArrayEquals(v, lm.values(), "libxdf's values bit for bit");
        float[] dvf = new float[dv.length];
        for (int i = 0; i < dv.length; i++) {
            dvf[i] = (float) dv[i];
        }
        assertArrayEquals(dvf, lx.streams().get(1).values(), "double64 values as libxdf keeps them (float)");
        assertArrayEquals(new float[]{1, -7, Integer.MAX_VALUE}, lx.streams().get(3).values());
        assertArrayEquals(new float[]{3, -3, Short.MIN_VALUE}, lx.streams().get(4).values());
        assertEquals(3, lx.events().size(), "libxdf's events: " + lx.events().size());
        for (int i = 0; i < 3; i++) {
            assertEquals("2", lx.events().get(i)[0]);
            assertEquals(lts[i], Double.parseDouble(lx.events().get(i)[1]));
            assertEquals(labels[i], lx.events().get(i)[2]);
        }
    }

    @Test
    void aWriterKilledWithSigkillLeavesAReadableFile() throws Exception {
        Path file = dir.resolve("killed.xdf");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                XdfKillTarget.class.getName(), file.toString()).redirectErrorStream(true).start();
        int chunks = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && chunks < 40) {
                if (line.startsWith("chunk ")) {
                    chunks = Integer.parseInt(line.substring(6)) + 1;
                }
            }
            p.destroyForcibly();                          // SIGKILL: no shutdown hook, no footer
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        assertTrue(chunks >= 40);

        XdfReader.XdfFile ours = XdfReader.read(file);
        XdfStream s = ours.streams().get(0);
        assertEquals("", s.footerXml(), "no footer: the writer never closed");
        int n = s.sampleCount();
        assertTrue(n >= 40 * XdfKillTarget.PER_CHUNK, n + " samples survived");
        assertEquals(0, n % XdfKillTarget.PER_CHUNK, "whole chunks only");
        for (int i = 0; i < n; i++) {
            assertEquals(XdfKillTarget.stamp(i), s.timestamps()[i]);
            for (int c = 0; c < XdfKillTarget.CHANNELS; c++) {
                assertEquals(XdfKillTarget.value(i, c), (float) s.values()[i * XdfKillTarget.CHANNELS + c]);
            }
        }

        assumeTrue(libxdf != null, "skipped: g++ or libxdf-dev (/usr/include/xdf.h) is not installed");
        LibXdf.Loaded lx = libxdf.read(file);
        LibXdf.Stream ls = lx.streams().get(0);
        assertEquals(s.headerXml(), ls.get("header"));
        assertEquals(n, ls.timestamps().length, "libxdf reads the same samples");
        assertArrayEquals(s.timestamps(), ls.timestamps());
        for (int i = 0; i < n * XdfKillTarget.CHANNELS; i++) {
            assertEquals((float) s.values()[i], ls.values()[i]);
        }
    }

    @Test
    void corruptFilesGiveOneClearError() throws IOException {
        Path good = dir.resolve("good.xdf");
        try (XdfWriter w = XdfWriter.create(good)) {
            w.streamHeader(7, header("x", "EEG", 2, 10, "float32"));
            w.samples(7, new double[]{1, 2}, new float[]{1, 2, 3, 4});
        }
        byte[] bytes = Files.readAllBytes(good);

        Path foreign = dir.resolve("foreign.xdf");
        Files.writeString(foreign, "this is not an xdf file");
        XdfFormatException e = assertThrows(XdfFormatException.class, () -> XdfReader.read(foreign));
        assertTrue(e.getMessage().contains(foreign.toString()) && e.getMessage().contains("magic"), e.getMessage());

        Path badWidth = dir.resolve("badwidth.xdf");
        byte[] b = bytes.clone();
        b[4] = 3;                                         // the file header chunk's length width
        Files.write(badWidth, b);
        e = assertThrows(XdfFormatException.class, () -> XdfReader.read(badWidth));
        assertTrue(e.getMessage().contains("offset 4") && e.getMessage().contains("width 3"), e.getMessage());

        // cuts all through the file (every byte of the first 40, then every 3rd): a clear error or the whole chunks
        // before the cut
        for (int cut = 0; cut < bytes.length; cut += cut < 40 ? 1 : 3) {
            Path p = dir.resolve("cut.xdf");
            Files.write(p, java.util.Arrays.copyOf(bytes, cut));
            try {
                XdfReader.XdfFile f = XdfReader.read(p);
                for (XdfStream s : f.streams()) {
                    assertTrue(s.sampleCount() == 0 || s.sampleCount() == 2, "cut at " + cut);
                }
            } catch (XdfFormatException x) {
                assertTrue(x.getMessage().startsWith(p.toString()), x.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> {
            try (XdfWriter w = XdfWriter.create(dir.resolve("bad.xdf"))) {
                w.streamHeader(1, header("y", "EEG", 2, 10, "float32"));
                w.samples(1, new double[]{1}, new float[]{1, 2, 3});
            }
        });
    }
}
