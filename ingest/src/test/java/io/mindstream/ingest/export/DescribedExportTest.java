package io.mindstream.ingest.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.formats.testing.FieldTools;
import io.mindstream.formats.testing.LibXdf;
import io.mindstream.contracts.Topics;
import io.mindstream.ingest.forward.Forwarder;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.forward.ProducedStamp;
import io.mindstream.ingest.journal.JournalingSink;
import io.mindstream.ingest.replay.KafkaRecording;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.journal.Journal;
import io.mindstream.journal.JournalConfig;
import io.mindstream.journal.JournalEntry;
import io.mindstream.journal.JournalRecording;
import io.mindstream.journal.Recording;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.XmlElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exports that use the stream's journaled description: FIF channels named, typed and calibrated from it (MNE reads
 * the names, its channel types and SI values back), the stream's own stim channel kept as the event channel (no
 * second one; a coded marker it lacks becomes an annotation), and the XDF stream header is the source's XML. A
 * description that cannot be read is named and the export goes on with generic names.
 */
class DescribedExportTest {

    private static final double RATE = 100;
    private static final int N = 200;
    private static final double T0 = 500.0;
    private static final String[] LABELS = {"MEG 0113", "MEG 0111", "EEG 001", "STI 014"};
    private static final String[] TYPES = {"grad", "mag", "eeg", "stim"};
    private static final String[] UNITS = {"T/m", "fT", "microvolts", ""};
    /** The factor from each channel's recorded values to the SI values MNE reads (its unit's multiple). */
    private static final double[] TO_SI = {1, 1e-15, 1e-6, 1};
    private static final int CH = LABELS.length;

    @TempDir
    Path tmp;
    /** Unique: one test forwards the session to the module's shared broker. */
    private final String session = IngestFixture.uniqueId("described");
    private Journal journal;
    private float[] data;
    private String xml;

    @BeforeEach
    void record() {
        journal = Journal.open(JournalConfig.defaults(tmp.resolve("journal")));
        JournalingSink sink = new JournalingSink(journal, new IngestStats());
        StreamInfo info = new StreamInfo("Neuromag", "MEG", CH, RATE, io.mindstream.lsl4j.ChannelFormat.FLOAT32,
                "meg-amp");
        XmlElement channels = info.desc().appendChild("channels");
        for (int c = 0; c < CH; c++) {
            channels.appendChild("channel").appendChildValue("label", LABELS[c]).appendChildValue("type", TYPES[c])
                    .appendChildValue("unit", UNITS[c]);
        }
        xml = info.toXml();
        sink.description(new StreamDescription(session, "meg-amp", StreamKind.MEG, 0, xml, TraceStamps.empty()));
        data = new float[N * CH];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < 3; c++) {
                data[i * CH + c] = (float) r.nextGaussian() * 100;
            }
            // the acquisition's own trigger channel: code 5 at samples 50-54, code 7 at 120-124
            data[i * CH + 3] = i >= 50 && i < 55 ? 5 : i >= 120 && i < 125 ? 7 : 0;
        }
        for (int k = 0; k < N / 10; k++) {
            double[] ts = new double[10];
            for (int s = 0; s < 10; s++) {
                ts[s] = T0 + (k * 10 + s) / RATE;
            }
            ByteBuffer b = ByteBuffer.allocate(10 * CH * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data, k * 10 * CH, 10 * CH);
            sink.chunk(new SampleChunk(session, "meg-amp", StreamKind.MEG, ChannelFormat.FLOAT32, CH, 0, CH, RATE,
                    k * 10L, 0, ts, b.array(), TraceStamps.empty()), 10, 0, 0.0);
        }
        // code 5 is on the trigger channel already; code 9 is not; "go" is a label
        sink.marker(new Marker(session, "stim-pc", 0, T0 + 50 / RATE, null, 5, null, TraceStamps.empty()), 0, 0.0);
        sink.marker(new Marker(session, "stim-pc", 1, T0 + 80 / RATE, null, 9, null, TraceStamps.empty()), 0, 0.0);
        sink.marker(new Marker(session, "stim-pc", 2, T0 + 90 / RATE, "go", null, null, TraceStamps.empty()), 0, 0.0);
    }

    @AfterEach
    void close() {
        journal.close();
    }

    @Test
    void fifChannelsComeFromTheDescriptionAndMneReadsThemBack() throws Exception {
        Path out = tmp.resolve("s1_raw.fif");
        FifExport.Result r = FifExport.write(() -> new JournalRecording(journal, session, Set.of()), out, null, 5);
        assertTrue(r.named());
        assertEquals("channel names and types from the description of stream meg-amp", r.channelNote());
        assertEquals("STI 014", r.stimChannel());
        assertEquals(1, r.events(), "code 5 found on the stream's own trigger channel");
        assertEquals(2, r.annotations(), "code 9 (not on the trigger channel) and the label");
        assumeTrue(FieldTools.mneAvailable(), "skipped: /usr/bin/python3 with python3-mne is not installed");
        JsonNode mne = new ObjectMapper().readTree(FieldTools.readWithMne(out, tmp.resolve("mne")).toFile());
        assertEquals(List.of(LABELS), strings(mne.get("ch_names")), "the labels, and no STI101 added");
        assertEquals(List.of(TYPES), strings(mne.get("types")));
        double[][] got = FieldTools.mneData(tmp.resolve("mne"), CH, N);
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < CH; c++) {
                double want = data[i * CH + c] * TO_SI[c];
                assertEquals(want, got[c][i], Math.abs(want) * 1e-6, "sample " + i + " channel " + LABELS[c]);
            }
        }
        assertEquals("[[50,0,5],[120,0,7]]", mne.get("events").toString());
        JsonNode notes = mne.get("annotations");
        assertEquals(2, notes.size(), notes.toString());
        assertEquals("9", notes.get(0).get(2).asText());
        assertEquals(0.8, notes.get(0).get(0).asDouble(), 1e-9);
        assertEquals("go", notes.get(1).get(2).asText());
        assertEquals(0.9, notes.get(1).get(0).asDouble(), 1e-9);
    }

    @Test
    void xdfStreamHeaderIsTheSourcesXml() throws Exception {
        Path out = tmp.resolve("s1.xdf");
        XdfExport.Result r = XdfExport.write(new JournalRecording(journal, session, Set.of()), out, session);
        assertEquals(List.of("stim-pc"), r.undescribed(), "the marker stream was recorded without a description");
        assumeTrue(FieldTools.libxdfAvailable(), "skipped: g++ or libxdf-dev is not installed");
        LibXdf.Loaded lx = LibXdf.build(tmp).read(out);
        LibXdf.Stream meg = lx.streams().stream().filter(s -> "Neuromag".equals(s.get("name"))).findFirst()
                .orElseThrow();
        String header = meg.get("header");
        for (String label : LABELS) {
            assertTrue(header.contains("<label>" + label + "</label>"), header);
        }
        assertTrue(header.contains("<unit>microvolts</unit>") && header.contains("<source_id>meg-amp</source_id>"),
                header);
        assertTrue(header.contains("<session>" + session + "</session>"), "the export note: " + header);
        assertEquals(N * CH, meg.values().length);
    }

    @Test
    void anUnreadableDescriptionIsNamedAndTheDataStillExportsWithGenericNames() throws Exception {
        journal.close();
        Path dir = tmp.resolve("damaged");
        journal = Journal.open(JournalConfig.defaults(dir));
        StreamDescription d = new StreamDescription(session, "meg-amp", StreamKind.MEG, 0, xml, TraceStamps.empty());
        long index = journal.append(JournalEntry.ofDescription(d, "MSD1 not a description".getBytes()));
        JournalingSink sink = new JournalingSink(journal, new IngestStats());
        for (int k = 0; k < N / 10; k++) {
            double[] ts = new double[10];
            for (int s = 0; s < 10; s++) {
                ts[s] = T0 + (k * 10 + s) / RATE;
            }
            sink.chunk(new SampleChunk(session, "meg-amp", StreamKind.MEG, ChannelFormat.FLOAT32, CH, 0, CH, RATE,
                    k * 10L, 0, ts, new byte[10 * CH * 4], TraceStamps.empty()), 10, 0, 0.0);
        }
        List<Recording> opened = new ArrayList<>();
        FifExport.Result r = FifExport.write(() -> {
            Recording rec = new JournalRecording(journal, session, Set.of());
            opened.add(rec);
            return rec;
        }, tmp.resolve("generic_raw.fif"), null, 5);
        assertEquals(N, r.samples(), "the data is all there");
        assertFalse(r.named());
        assertTrue(r.channelNote().startsWith("no description of stream meg-amp in the recording"), r.channelNote());
        for (Recording rec : opened) {
            assertEquals(1, rec.problems().size(), rec.problems().toString());
            String p = rec.problems().get(0);
            assertTrue(p.startsWith("journal " + dir + ", entry " + Long.toHexString(index)
                    + ": the description of stream meg-amp cannot be read"), p);
        }
    }

    /**
     * From Kafka: the forwarder delivers the journaled description to raw.streams, the export names the channels
     * from it, and a damaged record there is one line naming the partition and offset.
     */
    @Test
    void fromKafkaTheDescriptionNamesTheChannelsAndADamagedRecordIsNamed() throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        try (Forwarder f = new Forwarder(journal, ForwarderConfig.defaults(kafka.bootstrapServers()),
                new IngestStats(), new ProducedStamp()).start()) {
            assertTrue(f.awaitCaughtUp(java.time.Duration.ofSeconds(60)));
        }
        long offset;
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.producer(kafka.bootstrapServers(),
                "described-test"), new StringSerializer(), new ByteArraySerializer())) {
            offset = p.send(new ProducerRecord<>(Topics.STREAMS, session, "not a description".getBytes()))
                    .get().offset();
        }
        List<Recording> opened = new ArrayList<>();
        FifExport.Result r = FifExport.write(() -> {
            Recording rec = new KafkaRecording(kafka.bootstrapServers(), session, Set.of());
            opened.add(rec);
            return rec;
        }, tmp.resolve("kafka_raw.fif"), null, 5);
        assertTrue(r.named(), r.channelNote());
        assertEquals(N, r.samples());
        for (Recording rec : opened) {
            assertEquals(1, rec.problems().size(), rec.problems().toString());
            assertTrue(rec.problems().get(0).matches("Kafka raw\\.streams-\\d+ offset " + offset
                    + ": a stream description cannot be read \\(.*\\); passed over"), rec.problems().get(0));
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
