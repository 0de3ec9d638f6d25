package io.mindstream.formats.fif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.formats.testing.FieldTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A raw FIF written by {@link FifRawWriter} opens in MNE ({@code read_raw_fif}) with the same channel names and types,
 * rate, first sample, data, events ({@code find_events}) and annotations, and {@link FifRaw} reads exactly what MNE
 * reads from it.
 */
class FifRawWriterTest {

    @TempDir
    Path dir;

    static FifChannel channel(String name, int scan, int kind, float cal, int coil, int unit) {
        float[] loc = new float[12];
        loc[0] = scan * 0.01f;
        return new FifChannel(name, scan, scan, kind, 1.0f, cal, coil, loc, unit, 0);
    }

    @Test
    void mneOpensWhatWeWriteWithTheSameDataChannelsAndEvents() throws IOException {
        assumeTrue(FieldTools.mneAvailable(), "skipped: /usr/bin/python3 with python3-mne is not installed");
        List<FifChannel> chs = List.of(
                channel("MEG0111", 1, FifConstants.CH_MEG, 1e-13f, 3012, FifConstants.UNIT_T),
                channel("MEG0112", 2, FifConstants.CH_MEG, 1e-12f, 3012, FifConstants.UNIT_T_M),
                channel("EEG001", 3, FifConstants.CH_EEG, 1f, 1, FifConstants.UNIT_V),
                channel("STI101", 4, FifConstants.CH_STIM, 1f, 0, FifConstants.UNIT_NONE));
        FifInfo info = new FifInfo(chs, 600, Optional.of(Instant.parse("2025-03-04T05:06:07.250Z")), 0.1, 200,
                Optional.of(60.0), "exported by mindstream", "", List.of(), List.of());
        int n = 3000;
        long first = 1200;
        Random r = new Random(3);
        double[] data = new double[n * chs.size()];
        long[] at = {300, 1000, 2500};
        int[] code = {5, 17, 3};
        for (int s = 0; s < n; s++) {
            data[s * 4] = r.nextGaussian() * 1e-12;
            data[s * 4 + 1] = r.nextGaussian() * 1e-11;
            data[s * 4 + 2] = r.nextGaussian() * 1e-5;
            for (int e = 0; e < 3; e++) {
                if (s >= at[e] && s < at[e] + 6) {
                    data[s * 4 + 3] = code[e];
                }
            }
        }
        List<FifAnnotation> notes = List.of(new FifAnnotation(0.5, 0.0, "onset image=cat_01 trial=1", List.of()),
                new FifAnnotation(2.25, 0.5, "BAD_blink: eyes", List.of()));
        Path file = dir.resolve("export_raw.fif");
        try (FifRawWriter w = FifRawWriter.create(file, info, first, notes)) {
            for (int s = 0; s < n; s += 600) {
                double[] part = java.util.Arrays.copyOfRange(data, s * 4, Math.min(n, s + 600) * 4);
                w.write(part, Math.min(600, n - s));
            }
        }
        JsonNode mne = new ObjectMapper().readTree(FieldTools.readWithMne(file, dir.resolve("mne")).toFile());
        assertEquals(List.of("MEG0111", "MEG0112", "EEG001", "STI101"), strings(mne.get("ch_names")));
        assertEquals(List.of("mag", "grad", "eeg", "stim"), strings(mne.get("types")));
        assertEquals(600.0, mne.get("sfreq").asDouble());
        assertEquals(first, mne.get("first_samp").asLong());
        assertEquals(n, mne.get("n_times").asInt());
        double[][] got = FieldTools.mneData(dir.resolve("mne"), 4, n);
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < 4; c++) {
                double want = data[s * 4 + c];
                assertEquals(want, got[c][s], Math.abs(want) * 1e-6, "sample " + s + " channel " + c);
            }
        }
        JsonNode ev = mne.get("events");
        assertEquals(3, ev.size(), ev.toString());
        for (int e = 0; e < 3; e++) {
            assertEquals(first + at[e], ev.get(e).get(0).asLong());
            assertEquals(code[e], ev.get(e).get(2).asInt());
        }
        JsonNode an = mne.get("annotations");
        assertEquals(2, an.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(notes.get(i).onset(), an.get(i).get(0).asDouble(), 1e-4);
            assertEquals(notes.get(i).duration(), an.get(i).get(1).asDouble(), 1e-4);
            assertEquals(notes.get(i).description(), an.get(i).get(2).asText());
        }
        assertEquals("2025-03-04T05:06:07.250000+00:00", mne.get("meas_date").asText());

        // our reader reads exactly what MNE reads, and finds the same events
        try (FifRaw raw = FifRaw.open(file)) {
            double[][] ours = raw.readAll();
            for (int c = 0; c < 4; c++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(got[c], ours[c], 0.0);
            }
            List<FifEvent> events = raw.findEvents(FifEvents.Options.defaults());
            assertEquals(3, events.size());
            for (int e = 0; e < 3; e++) {
                assertEquals(new FifEvent(first + at[e], 0, code[e]), events.get(e));
            }
            assertEquals("BAD_blink: eyes", raw.annotations().get(1).description());
        }
    }

    @Test
    void namesFifCannotHoldAreRefused() {
        FifInfo info = new FifInfo(List.of(channel("A-very-long-channel-name", 1, FifConstants.CH_EEG, 1f, 1,
                FifConstants.UNIT_V)), 100, Optional.empty(), 0, 50, Optional.empty(), "", "", List.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> FifRawWriter.create(dir.resolve("x_raw.fif"), info, 0,
                List.of()));
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }
}
