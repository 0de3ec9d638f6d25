package io.mindstream.ingest.record;

import io.mindstream.formats.testing.FieldTools;
import io.mindstream.formats.testing.LibXdf;
import io.mindstream.formats.xdf.XdfReader;
import io.mindstream.formats.xdf.XdfStream;
import io.mindstream.ingest.testutil.ChildJvm;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.ProcessingFlag;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import io.mindstream.lsl4j.StreamOutlet;
import io.mindstream.lsl4j.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real LSL streams recorded by {@link XdfRecorder} into XDF, read back by libxdf (Debian's C++ reader, helper built at
 * test time) with the same stream XML, samples, timestamps and markers; and a recorder killed with SIGKILL in the
 * middle of a session leaves a file that libxdf reads up to its last chunk.
 */
class XdfRecorderTest {

    private static final int CH = 6;
    private static final double RATE = 250;

    @TempDir
    Path tmp;

    static float value(long i, int c) {
        return (float) (Math.sin(i * 0.05 + c) * (c + 1));
    }

    static double stamp(long i) {
        return 100.0 + i / RATE;
    }

    private static StreamInfo dataInfo(String id) {
        StreamInfo info = new StreamInfo(id, "MEG", CH, RATE, ChannelFormat.FLOAT32, id);
        XmlElement chs = info.desc().appendChild("channels");
        for (int c = 0; c < CH; c++) {
            chs.appendChild("channel").appendChildValue("label", "MEG00" + c).appendChildValue("unit", "T");
        }
        return info;
    }

    @Test
    void recordedStreamsReadBackThroughLibxdfUnchanged() throws Exception {
        String id = "rec-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = tmp.resolve("session.xdf");
        int n = 600;
        String[] labels = {"onset image=猫_01 trial=1", "offset trial=1", "catch 🧠"};
        try (StreamOutlet data = new StreamOutlet(dataInfo(id), 0, 360);
             StreamOutlet marks = new StreamOutlet(new StreamInfo(id + "-mk", "Markers", 1, 0, ChannelFormat.STRING,
                     id + "-mk"), 0, 360)) {
            List<StreamInfo> found = new ArrayList<>(Resolver.resolveByProperty("source_id", id, 1, 30));
            found.addAll(Resolver.resolveByProperty("source_id", id + "-mk", 1, 30));
            assertEquals(2, found.size());
            String fullXml;
            try (StreamInlet probe = new StreamInlet(found.get(0), 360, 0, false, EnumSet.noneOf(ProcessingFlag.class))) {
                probe.open(10);
                fullXml = probe.info(10).toXml();
            }
            XdfRecorder rec = new XdfRecorder(file, found, RecorderConfig.defaults()).start();
            assertTrue(data.waitForConsumers(10) && marks.waitForConsumers(10));
            for (int i = 0; i < n; i += 20) {
                float[] v = new float[20 * CH];
                double[] ts = new double[20];
                for (int s = 0; s < 20; s++) {
                    ts[s] = stamp(i + s);
                    for (int c = 0; c < CH; c++) {
                        v[s * CH + c] = value(i + s, c);
                    }
                }
                data.pushChunk(v, ts);
                if (i % 200 == 0) {
                    marks.pushSample(new String[]{labels[i / 200]}, stamp(i));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rec.samples() < n + 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            rec.close();
            assertEquals(n + 3, rec.samples());

            XdfReader.XdfFile ours = XdfReader.read(file);
            XdfStream meg = ours.streams().get(0);
            assertEquals(fullXml, meg.headerXml(), "the stream's full info XML, as its outlet serves it");
            assertTrue(meg.footerXml().contains("<sample_count>" + n + "</sample_count>"), meg.footerXml());
            assertFalse(meg.clockOffsets().isEmpty(), "a clock offset measured at the start");

            assumeTrue(FieldTools.libxdfAvailable(), "skipped: g++ or libxdf-dev is not installed");
            LibXdf.Loaded lx = LibXdf.build(tmp).read(file);
            assertEquals(2, lx.streams().size());
            LibXdf.Stream lm = lx.streams().get(0);
            assertEquals(fullXml, lm.get("header"));
            assertEquals("MEG000\tMEG001\tMEG002\tMEG003\tMEG004\tMEG005", lm.get("labels"));
            assertEquals(Integer.toString(n), lm.get("sample_count"));
            double[] wantT = new double[n];
            float[] wantV = new float[n * CH];
            for (int i = 0; i < n; i++) {
                wantT[i] = stamp(i);
                for (int c = 0; c < CH; c++) {
                    wantV[i * CH + c] = value(i, c);
                }
            }
            assertArrayEquals(wantV, lm.values(), "samples bit for bit");
            double offset = meg.clockOffsets().get(0)[1];
            for (int i = 0; i < n; i++) {
                // libxdf keeps stamps as recorded or applies the (loopback: microseconds) offset; either way the same
                // stamp within the offset
                assertEquals(wantT[i], lm.timestamps()[i], Math.abs(offset) + 1e-9, "stamp " + i);
            }
            assertEquals(3, lx.events().size());
            for (int i = 0; i < 3; i++) {
                assertEquals(labels[i], lx.events().get(i)[2]);
            }
        }
    }

    @Test
    void aRecorderKilledWithSigkillLeavesAFileLibxdfReads() throws Exception {
        String id = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = tmp.resolve("killed.xdf");
        AtomicBoolean pushing = new AtomicBoolean(true);
        try (StreamOutlet data = new StreamOutlet(dataInfo(id), 0, 360)) {
            Thread pusher = new Thread(() -> {
                long i = 0;
                while (pushing.get()) {
                    float[] v = new float[5 * CH];
                    double[] ts = new double[5];
                    for (int s = 0; s < 5; s++, i++) {
                        ts[s] = stamp(i);
                        for (int c = 0; c < CH; c++) {
                            v[s * CH + c] = value(i, c);
                        }
                    }
                    data.pushChunk(v, ts);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "pusher");
            pusher.start();
            Process child = ChildJvm.start(RecorderChild.class, List.of(file.toString(), id),
                    tmp.resolve("child.out"), tmp.resolve("child.err"));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int have = 0;
                while (have < 200) {
                    assertTrue(System.nanoTime() < deadline && child.isAlive(), "recorder child: "
                            + (Files.exists(tmp.resolve("child.err")) ? Files.readString(tmp.resolve("child.err")) : ""));
                    Thread.sleep(100);
                    if (Files.exists(file) && Files.size(file) > 0) {
                        XdfReader.XdfFile f = XdfReader.read(file);
                        have = f.streams().isEmpty() ? 0 : f.streams().get(0).sampleCount();
                    }
                }
            } finally {
                child.destroyForcibly();                   // SIGKILL: no footer, no close
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                pushing.set(false);
                pusher.join(5000);
            }
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
        }
        XdfStream s = XdfReader.read(file).streams().get(0);
        assertEquals("", s.footerXml(), "killed: no footer");
        checkPrefix(s.timestamps(), s.values());
        assumeTrue(FieldTools.libxdfAvailable(), "skipped: g++ or libxdf-dev is not installed");
        LibXdf.Stream ls = LibXdf.build(tmp).read(file).streams().get(0);
        assertEquals(s.headerXml(), ls.get("header"));
        assertEquals(s.sampleCount(), ls.timestamps().length, "libxdf reads every whole chunk");
        double[] v = new double[ls.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = ls.values()[i];
        }
        checkPrefix(s.timestamps(), v);
        for (int i = 0; i < s.sampleCount(); i++) {
            // as recorded, or with the loopback clock offset (microseconds) applied
            assertEquals(s.timestamps()[i], ls.timestamps()[i], 1e-3, "libxdf stamp " + i);
        }
    }

    /** Consecutive samples of the pushed sequence (the recorder joined mid-stream), values matching their stamps. */
    private static void checkPrefix(double[] ts, double[] values) {
        assertTrue(ts.length >= 200, ts.length + " samples");
        long first = Math.round((ts[0] - 100.0) * RATE);
        for (int i = 0; i < ts.length; i++) {
            assertEquals(stamp(first + i), ts[i], 1e-9, "sample " + i);
            for (int c = 0; c < CH; c++) {
                assertEquals(value(first + i, c), (float) values[i * CH + c], "sample " + i + " channel " + c);
            }
        }
    }
}
