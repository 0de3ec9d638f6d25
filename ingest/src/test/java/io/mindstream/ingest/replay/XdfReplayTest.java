package io.mindstream.ingest.replay;

import io.mindstream.formats.xdf.XdfWriter;
import io.mindstream.lsl4j.StreamInlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An XDF file with two streams recorded from machines whose clocks differ (clock offsets +2 s and 0, as a recorder
 * measures them) replays with the offsets applied: the markers land at their data samples' times, values unchanged,
 * and each outlet carries the recorded description.
 */
class XdfReplayTest {

    private static final double SPEED = 8;

    @TempDir
    Path tmp;

    @Test
    void streamsReplayInOneClockWithTheirRecordedDescriptions() throws Exception {
        String id = "xr-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = tmp.resolve("two-clocks.xdf");
        int n = 400;
        double rate = 200;
        try (XdfWriter w = XdfWriter.create(file)) {
            w.streamHeader(1, "<?xml version=\"1.0\"?><info><name>" + id + "</name><type>EEG</type><channel_count>2"
                    + "</channel_count><nominal_srate>200</nominal_srate><channel_format>float32</channel_format>"
                    + "<source_id>" + id + "</source_id><desc><channels><channel><label>Cz</label></channel><channel>"
                    + "<label>Pz</label></channel></channels></desc></info>");
            w.streamHeader(2, "<?xml version=\"1.0\"?><info><name>" + id + "-mk</name><type>Markers</type>"
                    + "<channel_count>1</channel_count><nominal_srate>0</nominal_srate><channel_format>string"
                    + "</channel_format><source_id>" + id + "-mk</source_id></info>");
            // the EEG amplifier's clock is 2 s behind the stimulus PC's (the recording host's): offset +2
            w.clockOffset(1, 50.0, 2.0);
            w.clockOffset(2, 52.0, 0.0);
            double[] ts = new double[n];
            float[] v = new float[n * 2];
            for (int i = 0; i < n; i++) {
                ts[i] = 50.0 + i / rate;
                v[2 * i] = i;
                v[2 * i + 1] = -i;
            }
            w.samples(1, ts, v);
            // markers stamped in the recording host's clock at EEG samples 100 and 300
            w.samples(2, new double[]{52.0 + 100 / rate}, new String[]{"stim A"});
            w.samples(2, new double[]{52.0 + 300 / rate}, new String[]{"stim B"});
        }
        XdfRecording rec = XdfRecording.open(file, Set.of());
        try (ReplayPublisher pub = new ReplayPublisher(SPEED, "", 20)) {
            ReplayRun run = new ReplayRun(pub, rec.recordings(), rec.describer());
            StreamInlet data = ReplayRun.open(id);
            StreamInlet marks = ReplayRun.open(id + "-mk");
            try {
                assertEquals("Pz", data.info(10).desc().child("channels").children("channel").get(1)
                        .childValue("label"));
                float[] got = new float[n * 2];
                double[] gotT = new double[n];
                float[] buf = new float[128];
                double[] t = new double[64];
                int have = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (have < n) {
                    assertTrue(System.nanoTime() < deadline, "only " + have + " samples");
                    int k = Math.min(data.pullChunk(buf, t, 0.2), n - have);
                    System.arraycopy(buf, 0, got, have * 2, k * 2);
                    System.arraycopy(t, 0, gotT, have, k);
                    have += k;
                }
                String[] label = new String[1];
                double a = marks.pullSample(label, 30);
                assertEquals("stim A", label[0]);
                double b = marks.pullSample(label, 30);
                assertEquals("stim B", label[0]);
                run.finish();
                for (int i = 0; i < n; i++) {
                    assertEquals(i, got[2 * i]);
                    assertEquals(-i, got[2 * i + 1]);
                }
                // with the offsets applied, each marker lands on its EEG sample (÷ speed)
                assertEquals(gotT[100], a, 1e-6);
                assertEquals(gotT[300], b, 1e-6);
                assertEquals(200 / rate / SPEED, gotT[300] - gotT[100], 1e-6);
            } finally {
                data.close();
                marks.close();
            }
        }
    }
}
