package io.mindstream.ingest.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.formats.testing.FieldTools;
import io.mindstream.formats.testing.LibXdf;
import io.mindstream.ingest.journal.JournalingSink;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalRecording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A session in a real ingest journal exported as XDF (read back by libxdf: same samples, stamps, markers) and as FIF
 * (read back by MNE: same data, channel names, events from the markers' codes, annotations from their labels, the
 * lost samples as a BAD_ACQ_SKIP span of zeros).
 */
class ExportTest {

    private static final int CH = 5;
    private static final double RATE = 200;
    private static final int N = 1000;          // 100 chunks of 10 samples; chunk 40 lost at the source
    private static final double T0 = 7000.0;

    @TempDir
    Path tmp;
    private Journal journal;
    private float[] meg;

    @BeforeEach
    void record() {
        journal = Journal.open(JournalConfig.defaults(tmp.resolve("journal")));
        JournalingSink sink = new JournalingSink(journal, new IngestStats());
        meg = new float[N * CH];
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < meg.length; i++) {
            meg[i] = (float) r.nextGaussian();
        }
        int m = 0;
        for (int k = 0; k < N / 10; k++) {
            double[] ts = new double[10];
            for (int s = 0; s < 10; s++) {
                ts[s] = T0 + (k * 10 + s) / RATE;
            }
            if (k != 40) {
                sink.chunk(new SampleChunk("s1", "meg", StreamKind.MEG, io.mindstream.contracts.ChannelFormat.FLOAT32,
                        CH, 0, CH, RATE, k * 10L, k == 41 ? 10 : 0, ts, bytes(k * 10, 10), TraceStamps.empty()), 10,
                        0, 0.0);
            }
            if (k % 25 == 5) {
                // one coded marker and one labelled marker per 25 chunks, at sample k*10 + 3
                sink.marker(new Marker("s1", "mk", m, T0 + (k * 10 + 3) / RATE, null, 10 + m, null,
                        TraceStamps.empty()), 0, 0.0);
                sink.marker(new Marker("s1", "mk", m + 1, T0 + (k * 10 + 3) / RATE, "onset trial=" + m, null, null,
                        TraceStamps.empty()), 0, 0.0);
                m += 2;
            }
        }
    }

    private byte[] bytes(int from, int n) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n * CH * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(meg, from * CH, n * CH);
        return b.array();
    }

    @AfterEach
    void close() {
        journal.close();
    }

    @Test
    void xdfExportReadsBackThroughLibxdf() throws Exception {
        Path out = tmp.resolve("s1.xdf");
        XdfExport.Result r = XdfExport.write(new JournalRecording(journal, "s1", Set.of()), out, "s1");
        assertEquals(2, r.streams());
        assertEquals(N - 10 + 8, r.samples());
        assertEquals(List.of("meg", "mk"), r.undescribed(), "no descriptions in this journal: headers rebuilt");
        assumeTrue(FieldTools.libxdfAvailable(), "skipped: g++ or libxdf-dev is not installed");
        LibXdf.Loaded lx = LibXdf.build(tmp).read(out);
        LibXdf.Stream s = lx.streams().get(0);
        assertEquals("meg", s.get("name"));
        assertEquals("MEG", s.get("type"));
        assertEquals(Integer.toString(N - 10), s.get("sample_count"));
        float[] want = new float[(N - 10) * CH];
        double[] wantT = new double[N - 10];
        for (int i = 0, j = 0; i < N; i++) {
            if (i / 10 == 40) {
                continue;
            }
            System.arraycopy(meg, i * CH, want, j * CH, CH);
            wantT[j++] = T0 + i / RATE;
        }
        assertArrayEquals(want, s.values());
        assertArrayEquals(wantT, s.timestamps(), "stamps unchanged (their clock offset is 0)");
        // coded markers as their code, labelled ones as their label (two per instant: their order there is libxdf's)
        List<String> events = lx.events().stream().map(e -> e[2]).sorted().toList();
        assertEquals(List.of("10", "12", "14", "16", "onset trial=0", "onset trial=2", "onset trial=4",
                "onset trial=6"), events);
        assertEquals(T0 + 53 / RATE, Double.parseDouble(lx.events().get(0)[1]));
    }

    @Test
    void fifExportOpensInMneWithTheSameDataEventsAndAnnotations() throws Exception {
        Path out = tmp.resolve("s1_raw.fif");
        FifExport.Result r = FifExport.write(() -> new JournalRecording(journal, "s1", Set.of()), out, null, 5);
        assertEquals(N, r.samples());
        assertEquals(4, r.events());
        // a journal written before descriptions were kept: generic names, and the export says so
        assertEquals("STI101", r.stimChannel());
        assertEquals(false, r.named());
        assertEquals("no description of stream meg in the recording (recorded before descriptions were kept, or its "
                + "source sent none): channels named MEG001…", r.channelNote());
        assumeTrue(FieldTools.mneAvailable(), "skipped: /usr/bin/python3 with python3-mne is not installed");
        JsonNode mne = new ObjectMapper().readTree(FieldTools.readWithMne(out, tmp.resolve("mne")).toFile());
        assertEquals("MEG001", mne.get("ch_names").get(0).asText());
        assertEquals("STI101", mne.get("ch_names").get(CH).asText());
        assertEquals("mag", mne.get("types").get(0).asText());
        assertEquals(RATE, mne.get("sfreq").asDouble());
        assertEquals(N, mne.get("n_times").asInt());
        double[][] got = FieldTools.mneData(tmp.resolve("mne"), CH + 1, N);
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < CH; c++) {
                float want = i / 10 == 40 ? 0f : meg[i * CH + c];
                assertEquals(want, (float) got[c][i], "sample " + i + " channel " + c);
            }
        }
        JsonNode ev = mne.get("events");
        assertEquals(4, ev.size(), ev.toString());
        for (int e = 0; e < 4; e++) {
            int k = 5 + 25 * e;
            assertEquals(k * 10 + 3, ev.get(e).get(0).asLong(), "event " + e + " sample");
            assertEquals(10 + 2 * e, ev.get(e).get(2).asInt(), "event " + e + " code");
        }
        JsonNode an = mne.get("annotations");
        boolean skip = false;
        int labels = 0;
        for (JsonNode a : an) {
            if (a.get(2).asText().equals("BAD_ACQ_SKIP")) {
                skip = true;
                assertEquals(400 / RATE, a.get(0).asDouble(), 1e-6);
                assertEquals(10 / RATE, a.get(1).asDouble(), 1e-6);
            } else {
                assertTrue(a.get(2).asText().startsWith("onset trial="), a.toString());
                labels++;
            }
        }
        assertTrue(skip, "the lost chunk is marked: " + an);
        assertEquals(4, labels);
    }
}
