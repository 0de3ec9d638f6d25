package io.mindstream.ingest.replay;

import io.mindstream.formats.fif.FifEvents;
import io.mindstream.formats.fif.FifRaw;
import io.mindstream.formats.testing.FieldTools;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import io.mindstream.lsl4j.XmlElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A FIF file written by MNE, replayed onto LSL: the data stream carries every channel's calibrated values (float32)
 * with the recording's relative timing ÷ speed and the channel metadata in its description; the events stream
 * carries find_events' codes at their samples' times; the annotations stream their descriptions.
 */
class FifReplayTest {

    private static final double SPEED = 10;

    @TempDir
    Path tmp;

    @Test
    void anMneRecordingIsPublishedAsALiveAcquisitionWould() throws Exception {
        assumeTrue(FieldTools.mneAvailable(), "skipped: /usr/bin/python3 with python3-mne is not installed");
        Path fif = FieldTools.replayFixture(tmp);
        String id = "fif-" + UUID.randomUUID().toString().substring(0, 8);
        FifRecording rec = new FifRecording(fif, id, "s1", FifEvents.Options.defaults(), true, 0.010);
        assertEquals(3, rec.events().size());
        double[][] want;
        try (FifRaw raw = FifRaw.open(fif)) {
            want = raw.readAll();
        }
        int nchan = want.length;
        int n = want[0].length;
        try (ReplayPublisher pub = new ReplayPublisher(SPEED, "", 20)) {
            ReplayRun run = new ReplayRun(pub, rec.recordings(), rec.describer());
            StreamInlet data = ReplayRun.open(id);
            StreamInlet events = ReplayRun.open(id + "-events");
            StreamInlet notes = ReplayRun.open(id + "-annotations");
            try {
                StreamInfo full = data.info(10);
                assertEquals("MEG", full.type());
                assertEquals(nchan, full.channelCount());
                assertEquals(500.0, full.nominalSrate());
                List<XmlElement> chs = full.desc().child("channels").children("channel");
                assertEquals(List.of("MEG0111", "MEG0112", "MEG0113", "MEG0121", "EEG001", "STI101"),
                        chs.stream().map(c -> c.childValue("label")).toList());
                assertEquals("T/m", chs.get(1).childValue("unit"));
                assertEquals("stim", chs.get(5).childValue("type"));
                assertEquals("500", full.desc().child("acquisition").childValue("first_sample"));

                float[] got = new float[n * nchan];
                double[] gotT = new double[n];
                float[] buf = new float[64 * nchan];
                double[] t = new double[64];
                int have = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (have < n) {
                    assertTrue(System.nanoTime() < deadline, "only " + have + " of " + n + " samples replayed");
                    int k = Math.min(data.pullChunk(buf, t, 0.2), n - have);
                    System.arraycopy(buf, 0, got, have * nchan, k * nchan);
                    System.arraycopy(t, 0, gotT, have, k);
                    have += k;
                }
                int[] code = new int[1];
                int[] codes = new int[3];
                double[] codeT = new double[3];
                for (int i = 0; i < 3; i++) {
                    codeT[i] = events.pullSample(code, 30);
                    assertTrue(codeT[i] > 0, "event " + i + " replayed");
                    codes[i] = code[0];
                }
                String[] label = new String[1];
                double noteT = notes.pullSample(label, 30);
                assertTrue(noteT > 0);
                assertEquals("stim/face", label[0]);
                run.finish();

                for (int s = 0; s < n; s++) {
                    for (int c = 0; c < nchan; c++) {
                        assertEquals((float) want[c][s], got[s * nchan + c], "sample " + s + " channel " + c);
                    }
                    assertEquals(s / 500.0 / SPEED, gotT[s] - gotT[0], 1e-6, "sample " + s + " timing");
                }
                assertArrayEquals(new int[]{1, 2, 3}, codes);
                // events at samples 600, 900, 1200 (first_samp 500): 0.2, 0.8, 1.4 s into the recording
                double[] at = {0.2, 0.8, 1.4};
                for (int i = 0; i < 3; i++) {
                    assertEquals(at[i] / SPEED, codeT[i] - gotT[0], 1e-6, "event " + i + " timing");
                }
                assertEquals(0.5 / SPEED, noteT - gotT[0], 1e-6, "annotation timing");
            } finally {
                data.close();
                events.close();
                notes.close();
            }
        }
    }
}
