package io.mindstream.cli.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.cli.Mindstream;
import io.mindstream.contracts.Topics;
import io.mindstream.formats.testing.FieldTools;
import io.mindstream.formats.testing.LibXdf;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;
import io.mindstream.kafka.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The FIF round trip with channel names: MNE writes a recording with a Neuromag acquisition's channels
 * ({@code MEG 0113} grad … {@code STI 014} stim) → {@code replay --from fif} publishes it on LSL, channel metadata in
 * the stream description → ingest journals the description with the data and forwards both to a real broker →
 * {@code export --fif} from the journal and from Kafka → MNE reads each with the original's channel names, channel
 * types, data (float32) and events. {@code export --xdf} carries the source's stream XML: libxdf sees the labels.
 */
class FifRoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void anMneRecordingComesBackFromTheJournalAndKafkaWithItsChannels() throws Exception {
        assumeTrue(FieldTools.mneAvailable(), "skipped: /usr/bin/python3 with python3-mne is not installed");
        Path fif = FieldTools.neuromagFixture(tmp);
        JsonNode original = mne(fif, "original");
        int channels = original.get("ch_names").size();
        int samples = original.get("n_times").asInt();
        double[][] originalData = FieldTools.mneData(tmp.resolve("original"), channels, samples);

        String id = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        String session = "fif_" + id;
        Path journal = tmp.resolve("journal");
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(tmp.resolve("kafka")))) {
            broker.createTopics(Topics.defaults());
            String bs = broker.bootstrapServers();
            IngestConfig ic = IngestConfig.defaults(session, JournalConfig.defaults(journal),
                            ForwarderConfig.defaults(bs))
                    .withSelector(StreamSelector.of(List.of(id, id + "-events", id + "-annotations"), List.of(),
                            List.of()));
            IngestService ingest = new IngestService(ic).start();
            try {
                StringWriter err = new StringWriter();
                CommandLine cl = Mindstream.newCommandLine();
                cl.setErr(new PrintWriter(err, true));
                int rc = cl.execute("replay", "--from", "fif", fif.toString(), "--stream-id", id, "--speed", "4",
                        "--wait", "30", "--linger", "1");
                assertEquals(0, rc, err.toString());
            } finally {
                ingest.close(Duration.ofSeconds(20));
            }

            Path fromJournal = tmp.resolve("journal_raw.fif");
            Path xdf = tmp.resolve("journal.xdf");
            String out = export("--session", session, "--from", "journal", "--journal-dir", journal.toString(),
                    "--fif", fromJournal.toString(), "--xdf", xdf.toString());
            assertTrue(out.contains("channel names and types from the description of stream " + id), out);
            Path fromKafka = tmp.resolve("kafka_raw.fif");
            out = export("--session", session, "--from", "kafka", "--bootstrap-servers", bs,
                    "--fif", fromKafka.toString());
            assertTrue(out.contains("channel names and types from the description of stream " + id), out);

            for (Path exported : List.of(fromJournal, fromKafka)) {
                String name = exported.getFileName().toString();
                JsonNode back = mne(exported, name);
                assertEquals(original.get("ch_names"), back.get("ch_names"), name + ": channel names");
                assertEquals(original.get("types"), back.get("types"), name + ": channel types");
                assertEquals(samples, back.get("n_times").asInt(), name + ": every sample");
                double[][] data = FieldTools.mneData(tmp.resolve(name), channels, samples);
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < samples; i++) {
                        assertEquals((float) originalData[c][i], (float) data[c][i],
                                name + ": channel " + c + " sample " + i);
                    }
                }
                assertEquals(events(original), events(back), name + ": events, from each file's first sample");
                List<String> notes = new ArrayList<>();
                back.get("annotations").forEach(a -> notes.add(a.get(2).asText()));
                assertEquals(List.of("stim/face", "BAD_blink"), notes, name + ": the annotations, and no event twice");
            }

            assumeTrue(FieldTools.libxdfAvailable(), "skipped: g++ or libxdf-dev is not installed");
            LibXdf.Loaded lx = LibXdf.build(tmp).read(xdf);
            LibXdf.Stream data = lx.streams().stream().filter(s -> id.equals(s.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no stream " + id + " in " + xdf));
            String header = data.get("header");
            for (JsonNode label : original.get("ch_names")) {
                assertTrue(header.contains("<label>" + label.asText() + "</label>"), label + " in " + header);
            }
            assertTrue(header.contains("<tool>mindstream export --xdf</tool>"), header);
            assertEquals(samples * channels, data.values().length);
        }
    }

    /** Events as [sample from the first sample, code]. */
    private static List<List<Long>> events(JsonNode mne) {
        long first = mne.get("first_samp").asLong();
        List<List<Long>> out = new ArrayList<>();
        for (JsonNode e : mne.get("events")) {
            out.add(List.of(e.get(0).asLong() - first, e.get(2).asLong()));
        }
        assertFalse(out.isEmpty(), "events found");
        return out;
    }

    private JsonNode mne(Path fif, String name) throws Exception {
        return new ObjectMapper().readTree(FieldTools.readWithMne(fif, tmp.resolve(name)).toFile());
    }

    /** Runs {@code export} and returns what it printed; it must succeed and pass nothing over. */
    private static String export(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Mindstream.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("export"));
        all.addAll(List.of(args));
        assertEquals(0, cl.execute(all.toArray(String[]::new)), out + err.toString());
        assertTrue(err.toString().isEmpty(), "nothing passed over: " + err);
        return out.toString();
    }
}
