package io.mindstream.formats.fif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mindstream.formats.testing.FieldTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FIF files written by MNE (python3-mne, at test time) read by {@link FifRaw}: the same calibrated values (exactly),
 * channel info, measurement info, projectors, annotations and find_events results as MNE's own
 * {@code read_raw_fif(preload=True)} reports for the same files. Covers every data type MNE writes (short as 16-bit
 * packed, int, single, double), a data skip, a long channel name and a recording split over several files.
 */
class FifReaderTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeFixtures() throws IOException {
        assumeTrue(FieldTools.mneAvailable(), "skipped: /usr/bin/python3 with python3-mne is not installed");
        Path script = FieldTools.resource(FifReaderTest.class, "make_fif_fixtures.py", dir);
        FieldTools.python(script, dir.toString()).orThrow("MNE fixture script");
    }

    static JsonNode expected(String name) throws IOException {
        // MNE has NaN locations (EEG, stim): Python's json writes them as NaN
        return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
                .readTree(dir.resolve(name + ".json").toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"short_raw", "int_raw", "single_raw", "double_raw", "split_raw"})
    void readsWhatMneReads(String name) throws IOException {
        JsonNode e = expected(name);
        try (FifRaw raw = FifRaw.open(dir.resolve(name + ".fif"))) {
            FifInfo info = raw.info();
            assertEquals(e.get("nchan").asInt(), info.channelCount());
            assertEquals(e.get("sfreq").asDouble(), info.samplingRate());
            assertEquals(e.get("first_samp").asLong(), raw.firstSample());
            assertEquals(e.get("n_times").asLong(), raw.sampleCount());
            List<String> files = new ArrayList<>();
            e.get("files").forEach(f -> files.add(f.asText()));
            assertEquals(files, raw.files().stream().map(p -> p.getFileName().toString()).toList());

            // channel info
            for (int c = 0; c < info.channelCount(); c++) {
                JsonNode ch = e.get("chs").get(c);
                FifChannel got = info.channels().get(c);
                assertEquals(e.get("ch_names").get(c).asText(), got.name());
                assertEquals(ch.get("kind").asInt(), got.kind(), got.name());
                assertEquals(ch.get("coil_type").asInt(), got.coilType(), got.name());
                assertEquals(ch.get("unit").asInt(), got.unit(), got.name());
                assertEquals(ch.get("unit_mul").asInt(), got.unitMul(), got.name());
                assertEquals(ch.get("range").asDouble(), got.range(), got.name());
                assertEquals(ch.get("cal").asDouble(), got.cal(), got.name());
                assertEquals(ch.get("scanno").asInt(), got.scanNo(), got.name());
                assertEquals(ch.get("logno").asInt(), got.logNo(), got.name());
                for (int k = 0; k < 12; k++) {
                    double want = ch.get("loc").get(k).asDouble();
                    if (Double.isNaN(want)) {
                        assertTrue(Float.isNaN(got.loc()[k]), got.name() + " loc " + k);
                    } else {
                        assertEquals(want, got.loc()[k], got.name() + " loc " + k);
                    }
                }
            }

            // measurement info
            JsonNode md = e.get("meas_date");
            assertEquals(md.get(0).asLong(), info.measDate().orElseThrow().getEpochSecond());
            assertEquals(md.get(1).asLong() * 1000, info.measDate().orElseThrow().getNano());
            assertEquals(e.get("highpass").asDouble(), info.highpass(), 1e-6);
            assertEquals(e.get("lowpass").asDouble(), info.lowpass(), 1e-4);
            assertEquals(e.get("line_freq").asDouble(), info.lineFreq().orElseThrow());
            assertEquals(e.get("description").asText(), info.description());
            assertEquals(e.get("experimenter").asText(), info.experimenter());
            assertEquals(List.of("MEG0113"), info.bads());
            assertEquals(1, info.projectors().size());
            FifProjector p = info.projectors().get(0);
            JsonNode ep = e.get("projs").get(0);
            assertEquals(ep.get("desc").asText(), p.description());
            assertEquals(ep.get("kind").asInt(), p.kind());
            assertEquals(ep.get("active").asBoolean(), p.active());
            assertEquals(List.of(ep.get("col_names").get(0).asText(), ep.get("col_names").get(1).asText()),
                    p.channels());
            for (int k = 0; k < 2; k++) {
                assertEquals((float) ep.get("data").get(0).get(k).asDouble(), p.vectors()[0][k]);
            }

            // the data, calibrated: bit-identical to MNE's float64 values
            double[][] data = FieldTools.mneData(dir.resolve(name), info.channelCount(), (int) raw.sampleCount());
            double[][] got = raw.readAll();
            for (int c = 0; c < info.channelCount(); c++) {
                assertArrayEquals(data[c], got[c], 0.0, name + " channel " + info.channels().get(c).name());
            }

            // annotations (onsets from the first sample), skips included as MNE adds them
            // (annotations at the same onset in a stable order: MNE's own order among them is not defined)
            List<FifAnnotation> want = new ArrayList<>();
            for (JsonNode a : e.get("annotations")) {
                List<String> chs = new ArrayList<>();
                a.get("ch_names").forEach(n -> chs.add(n.asText()));
                want.add(new FifAnnotation(a.get("onset").asDouble(), a.get("duration").asDouble(),
                        a.get("description").asText(), chs));
            }
            Comparator<FifAnnotation> order = Comparator.comparingDouble(FifAnnotation::onset)
                    .thenComparingDouble(FifAnnotation::duration).thenComparing(FifAnnotation::description);
            want.sort(order);
            List<FifAnnotation> ours = new ArrayList<>(raw.annotations());
            ours.sort(order);
            assertEquals(want.size(), ours.size(), ours.toString());
            for (int i = 0; i < want.size(); i++) {
                FifAnnotation w = want.get(i);
                FifAnnotation a = ours.get(i);
                assertEquals(w.description(), a.description());
                assertEquals(w.onset(), a.onset(), 1e-9, a.description());
                assertEquals(w.duration(), a.duration(), 1e-9, a.description());
                assertEquals(w.channels(), a.channels());
            }

            // events, with find_events' options
            FifEvents.Options d = FifEvents.Options.defaults().withStimChannels(List.of("STI101"));
            assertEvents(e, "default", raw.findEvents(d));
            assertEvents(e, "min_duration_5ms", raw.findEvents(d.withMinDuration(0.005)));
            assertEvents(e, "mask_ff", raw.findEvents(d.withMask(0xFF, FifEvents.MaskType.AND)));
            assertEvents(e, "mask_not_and_100", raw.findEvents(d.withMask(0x100, FifEvents.MaskType.NOT_AND)));
            assertEvents(e, "consecutive_true", raw.findEvents(d.withConsecutive(FifEvents.Consecutive.ANY)));
            assertEvents(e, "consecutive_false", raw.findEvents(d.withConsecutive(FifEvents.Consecutive.FROM_ZERO)));
            assertEvents(e, "initial_event", raw.findEvents(d.withInitialEvent(true)));
        }
    }

    @Test
    void truncatedFilesGiveOneClearErrorNamingFileTagAndOffset() throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve("double_raw.fif"));
        Random r = new Random(13);
        Path p = dir.resolve("cut_raw.fif");
        // every cut but the final NOP tag (16 bytes: a file without it is complete) is an error
        for (int i = 0; i < 120; i++) {
            int cut = i < 40 ? i : r.nextInt(all.length - 16);
            Files.write(p, Arrays.copyOf(all, cut));
            FifFormatException e = assertThrows(FifFormatException.class, () -> FifRaw.open(p).close(),
                    "cut at " + cut);
            assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("offset"),
                    e.getMessage());
        }
        // cut inside the first data buffer: the message names the tag and says truncated
        long at;
        try (FifRaw raw = FifRaw.open(dir.resolve("double_raw.fif"))) {
            at = raw.segments().get(0).tag().position();
        }
        Files.write(p, Arrays.copyOf(all, (int) at + 100));
        FifFormatException e = assertThrows(FifFormatException.class, () -> FifRaw.open(p).close());
        assertTrue(e.getMessage().contains("tag kind 300 (data buffer)") && e.getMessage().contains("offset " + at)
                && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void corruptAndForeignFilesGiveOneClearError() throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve("single_raw.fif"));
        long at;
        try (FifRaw raw = FifRaw.open(dir.resolve("single_raw.fif"))) {
            at = raw.segments().get(0).tag().position();
        }
        Path p = dir.resolve("bad_raw.fif");

        byte[] b = all.clone();
        ByteBuffer.wrap(b).putInt((int) at + 4, 20);        // complex float buffers: not raw MEG
        Files.write(p, b);
        FifFormatException e = assertThrows(FifFormatException.class, () -> FifRaw.open(p).close());
        assertTrue(e.getMessage().contains("type 20 are not supported") && e.getMessage().contains("offset " + at),
                e.getMessage());

        b = all.clone();
        ByteBuffer.wrap(b).putInt((int) at + 8, -5);        // negative size
        Files.write(p, b);
        e = assertThrows(FifFormatException.class, () -> FifRaw.open(p).close());
        assertTrue(e.getMessage().contains("negative data size"), e.getMessage());

        b = all.clone();
        ByteBuffer.wrap(b).putInt((int) at + 12, 20);       // next-tag pointer backwards
        Files.write(p, b);
        e = assertThrows(FifFormatException.class, () -> FifRaw.open(p).close());
        assertTrue(e.getMessage().contains("backwards"), e.getMessage());

        Files.writeString(p, "XDF:not a fif file at all, but long enough to hold a tag");
        e = assertThrows(FifFormatException.class, () -> FifRaw.open(p).close());
        assertTrue(e.getMessage().contains("not a FIF file"), e.getMessage());

        // a split recording missing a part
        Path split = dir.resolve("partial");
        Files.createDirectories(split);
        Files.copy(dir.resolve("split_raw.fif"), split.resolve("split_raw.fif"));
        e = assertThrows(FifFormatException.class, () -> FifRaw.open(split.resolve("split_raw.fif")).close());
        assertTrue(e.getMessage().contains("split_raw-1.fif") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    static void assertEvents(JsonNode e, String variant, List<FifEvent> got) {
        JsonNode want = e.get("events").get(variant);
        List<FifEvent> w = new ArrayList<>();
        want.forEach(r -> w.add(new FifEvent(r.get(0).asLong(), r.get(1).asInt(), r.get(2).asInt())));
        assertFalse(w.isEmpty(), variant + ": the fixture should have events");
        assertEquals(w, got, variant);
    }

    @Test
    void theFixturesCoverWhatTheyClaim() throws IOException {
        try (FifRaw s = FifRaw.open(dir.resolve("split_raw.fif"));
             FifRaw skip = FifRaw.open(dir.resolve("single_raw.fif"));
             FifRaw shorts = FifRaw.open(dir.resolve("short_raw.fif"));
             FifRaw ints = FifRaw.open(dir.resolve("int_raw.fif"));
             FifRaw doubles = FifRaw.open(dir.resolve("double_raw.fif"))) {
            assertTrue(s.files().size() >= 3, "split over " + s.files());
            assertTrue(skip.segments().stream().anyMatch(FifRaw.Segment::isSkip), "single_raw has a data skip");
            assertEquals(FifConstants.T_DAU_PACK16, shorts.segments().get(0).tag().type());
            assertEquals(FifConstants.T_INT, ints.segments().get(0).tag().type());
            assertEquals(FifConstants.T_FLOAT, skip.segments().get(0).tag().type());
            assertEquals(FifConstants.T_DOUBLE, doubles.segments().get(0).tag().type());
            assertEquals("EEG-long-name-channel", doubles.info().channels().get(6).name());
        }
    }
}
