package io.mindstream.ingest.replay;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.chunk.SampleChunker;
import io.mindstream.ingest.forward.Forwarder;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.journal.JournalingSink;
import io.mindstream.ingest.marker.MarkerAssembler;
import io.mindstream.ingest.marker.MarkerParser;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalRecording;
import io.mindstream.journal.Recording;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** A recorded session replayed onto LSL equals the recording in values and relative timing (÷ speed). */
class ReplayTest {

    @TempDir
    Path tmp;

    private static final int MEG_CH = 8;
    private static final double MEG_RATE = 250;
    private static final int MEG_N = 500;
    private static final int VOXELS = 5000;
    private static final int VOLUMES = 4;
    private static final double SPEED = 4.0;

    private String session;
    private String megId;
    private String fmriId;
    private String mkId;
    private float[] meg;
    private double[] megT;
    private float[] vol;
    private double[] volT;
    private final String[] labels = {"onset image=猫_01 trial=1 split=train", "offset trial=1", "catch trial=2 🧠"};
    private final double[] labelT = new double[3];
    private Journal journal;

    /** Writes a session through the real chunker/marker path into a journal: irregular stamps, split volumes. */
    @BeforeEach
    void record() {
        megId = IngestFixture.uniqueId("rmeg");
        fmriId = IngestFixture.uniqueId("rfmri");
        mkId = IngestFixture.uniqueId("rmk");
        session = "replay-" + megId;
        Random rnd = new Random(7);
        double t0 = 5000.0;
        meg = new float[MEG_N * MEG_CH];
        megT = new double[MEG_N];
        for (int i = 0; i < MEG_N; i++) {
            megT[i] = t0 + i / MEG_RATE + rnd.nextDouble() * 1e-3; // jittered stamps must be reproduced as they are
            for (int c = 0; c < MEG_CH; c++) {
                meg[i * MEG_CH + c] = (float) rnd.nextGaussian();
            }
        }
        vol = new float[VOLUMES * VOXELS];
        volT = new double[VOLUMES];
        for (int i = 0; i < vol.length; i++) {
            vol[i] = rnd.nextFloat();
        }
        for (int v = 0; v < VOLUMES; v++) {
            volT[v] = t0 + 0.2 + v * 0.5;
        }
        labelT[0] = t0 + 1.3; // a stream whose first record comes late still has its outlet (and consumer) from the start
        labelT[1] = t0 + 1.5;
        labelT[2] = t0 + 1.7;

        IngestStats stats = new IngestStats();
        journal = Journal.open(JournalConfig.defaults(tmp.resolve("journal")));
        JournalingSink sink = new JournalingSink(journal, stats);
        StreamInfo described = new StreamInfo("MEG", "MEG", MEG_CH, MEG_RATE,
                io.mindstream.lsl4j.ChannelFormat.FLOAT32, megId);
        var chans = described.desc().appendChild("channels");
        for (int c = 0; c < MEG_CH; c++) {
            chans.appendChild("channel").appendChildValue("label", "MEG " + (c + 1)).appendChildValue("type", "mag");
        }
        sink.description(new io.mindstream.contracts.StreamDescription(session, megId, StreamKind.MEG, 0,
                described.toXml(), io.mindstream.contracts.TraceStamps.empty()));
        ChunkingConfig cfg = new ChunkingConfig(0.010, 4096); // volumes of 20 kB split into 5 records
        SampleChunker megChunker = new SampleChunker(session, megId, StreamKind.MEG, ChannelFormat.FLOAT32, MEG_CH,
                MEG_RATE, cfg, new StreamChecker(megId, MEG_RATE, CheckConfig.defaults(), stats.stream(megId)),
                stats.stream(megId), sink, () -> 5001.0);
        SampleChunker fmriChunker = new SampleChunker(session, fmriId, StreamKind.FMRI, ChannelFormat.FLOAT32, VOXELS,
                2.0, cfg, new StreamChecker(fmriId, 2.0, CheckConfig.defaults(), stats.stream(fmriId)),
                stats.stream(fmriId), sink, () -> 5001.0);
        MarkerAssembler markers = new MarkerAssembler(session, mkId, new MarkerParser(4096),
                new StreamChecker(mkId, 0, CheckConfig.defaults(), stats.stream(mkId)), stats.stream(mkId), sink,
                () -> 5001.0);
        int v = 0;
        int m = 0;
        for (int i = 0; i < MEG_N; i += 3) {
            int n = Math.min(3, MEG_N - i);
            megChunker.append(java.util.Arrays.copyOfRange(meg, i * MEG_CH, (i + n) * MEG_CH),
                    java.util.Arrays.copyOfRange(megT, i, i + n), n, 0.0);
            while (v < VOLUMES && volT[v] <= megT[i]) {
                fmriChunker.append(java.util.Arrays.copyOfRange(vol, v * VOXELS, (v + 1) * VOXELS),
                        new double[]{volT[v]}, 1, 0.0);
                v++;
            }
            while (m < labels.length && labelT[m] <= megT[i]) {
                markers.strings(new String[]{labels[m]}, labelT[m], 0.0);
                m++;
            }
        }
        megChunker.flush();
    }

    @Test
    void replayFromTheJournalReproducesValuesAndRelativeTiming() throws Exception {
        try (Journal j = journal) {
            playAndCheck(() -> new JournalRecording(j, session, Set.of()), "-rj");
        }
    }

    @Test
    void replayFromKafkaReproducesValuesAndRelativeTiming() throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        try (Journal j = journal) {
            try (Forwarder f = new Forwarder(j, ForwarderConfig.defaults(kafka.bootstrapServers()), new IngestStats(),
                    null).start()) {
                assertTrue(f.awaitCaughtUp(Duration.ofSeconds(60)));
            }
            playAndCheck(() -> new KafkaRecording(kafka.bootstrapServers(), session, Set.of()), "-rk");
        }
    }

    private void playAndCheck(java.util.function.Supplier<Recording> recording, String suffix) throws Exception {
        try (ReplayPublisher pub = new ReplayPublisher(SPEED, suffix, 20)) {
            ReplayRun run = new ReplayRun(pub, recording, null);    // the descriptions the recording kept
            StreamInlet megIn = ReplayRun.open(megId + suffix);
            var channels = megIn.info(10).desc().child("channels").children("channel");
            assertEquals(MEG_CH, channels.size(), "the recorded description republished");
            assertEquals("MEG 1", channels.get(0).childValue("label"));
            StreamInlet volIn = ReplayRun.open(fmriId + suffix);
            StreamInlet mkIn = ReplayRun.open(mkId + suffix);
            try {
                float[] got = new float[MEG_N * MEG_CH];
                double[] gotT = new double[MEG_N];
                pullAll(megIn, got, gotT, MEG_N, MEG_CH);
                float[] gotVol = new float[VOLUMES * VOXELS];
                double[] gotVolT = new double[VOLUMES];
                pullAll(volIn, gotVol, gotVolT, VOLUMES, VOXELS);
                String[] gotLabels = new String[labels.length];
                double[] gotLabelT = new double[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    String[] one = new String[1];
                    gotLabelT[i] = mkIn.pullSample(one, 20);
                    assertTrue(gotLabelT[i] > 0, "marker " + i + " replayed");
                    gotLabels[i] = one[0];
                }
                run.finish();

                assertArrayEquals(meg, got, "MEG values bit for bit");
                assertArrayEquals(vol, gotVol, "reassembled fMRI volumes bit for bit");
                double base = gotT[0];
                double origBase = megT[0];
                for (int i = 0; i < MEG_N; i++) {
                    assertEquals((megT[i] - origBase) / SPEED, gotT[i] - base, 1e-9, "MEG sample " + i + " timing");
                }
                for (int v = 0; v < VOLUMES; v++) {
                    assertEquals((volT[v] - origBase) / SPEED, gotVolT[v] - base, 1e-9, "volume " + v + " timing");
                }
                for (int i = 0; i < labels.length; i++) {
                    assertArrayEquals(labels[i].getBytes(StandardCharsets.UTF_8),
                            gotLabels[i].getBytes(StandardCharsets.UTF_8));
                    assertEquals((labelT[i] - origBase) / SPEED, gotLabelT[i] - base, 1e-9, "marker " + i + " timing");
                }
            } finally {
                megIn.close();
                volIn.close();
                mkIn.close();
            }
        }
    }

    private static void pullAll(StreamInlet in, float[] dst, double[] ts, int samples, int channels) {
        int got = 0;
        float[] buf = new float[64 * channels];
        double[] t = new double[64];
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (got < samples) {
            assertTrue(System.nanoTime() < deadline, "only " + got + " of " + samples + " samples replayed");
            int n = in.pullChunk(buf, t, 0.2);
            n = Math.min(n, samples - got);
            System.arraycopy(buf, 0, dst, got * channels, n * channels);
            System.arraycopy(t, 0, ts, got, n);
            got += n;
        }
    }
}
