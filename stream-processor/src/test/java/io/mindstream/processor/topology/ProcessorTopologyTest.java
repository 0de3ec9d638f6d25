package io.mindstream.processor.topology;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.offline.OfflineEpocher;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka Streams topology under TopologyTestDriver: parity with the offline epocher, restart, flushing. */
class ProcessorTopologyTest {

    static final int C = 8;
    static final int VOXELS = 50;
    static final long CLOCK = 1_700_000_000_000_000L;

    @TempDir
    Path tmp;

    /** Two sessions: MEG (8 channels, 1200 Hz, 10 ms chunks), fMRI (50 voxels, TR 1 s, split in 2 parts), markers. */
    static List<Object> recording(String session, int trials) {
        long samples = 1200L * (4 + 2 * trials);
        List<SampleChunk> meg = Recording.continuous(session, "meg", StreamKind.MEG, C, 1200, 10.0, 0, samples, 12,
                Recording::meg);
        List<Object> out = new ArrayList<>();
        int volume = 0;
        int m = 0;
        for (SampleChunk c : meg) {
            out.add(c);
            double t = c.timestamps()[c.sampleCount() - 1];
            while (10.0 + volume * 1.0 <= t) {
                out.addAll(volumeParts(session, volume++));
            }
            while (m < trials && 10.0 + 1.5 + 2.0 * m <= t) {
                out.add(Recording.onset(session, m, 10.0 + 1.5 + 2.0 * m, "img" + m));
                m++;
            }
        }
        return out;
    }

    static List<SampleChunk> volumeParts(String session, int v) {
        List<SampleChunk> parts = new ArrayList<>();
        int[][] ranges = {{0, 30}, {30, 20}};
        for (int[] r : ranges) {
            ByteBuffer b = ByteBuffer.allocate(r[1] * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < r[1]; i++) {
                int vox = r[0] + i;
                b.putFloat((float) (100 + vox + 0.5 * v + Math.sin(v * 0.7 + vox)));
            }
            parts.add(new SampleChunk(session, "bold", StreamKind.FMRI, io.mindstream.contracts.ChannelFormat.FLOAT32,
                    VOXELS, r[0], r[1], 1.0, v, 0, new double[]{10.0 + v}, b.array(), TraceStamps.empty()));
        }
        // parts of a volume arrive in either order
        if (v % 2 == 1) {
            java.util.Collections.reverse(parts);
        }
        return parts;
    }

    static ProcessorConfig config() {
        return ProcessorConfig.defaults().withCalibrationEpochs(2).withWindows(true, 0.25, 0.05)
                .withFmri(io.mindstream.processor.fmri.FmriSettings.defaults().withCalibrationVolumes(4));
    }

    final class Driver implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, SampleChunk> meg;
        final TestInputTopic<String, SampleChunk> fmri;
        final TestInputTopic<String, SampleChunk> other;
        final TestInputTopic<String, Marker> markers;
        final TestOutputTopic<String, Epoch> epochs;
        final TestOutputTopic<String, Epoch> windows;
        final ProcessorStats stats = new ProcessorStats();
        Instant time = Instant.parse("2026-11-26T10:00:00Z");
        /** What was piped into each raw topic, by offset (the test driver numbers each topic's records from 0). */
        final Map<String, List<SampleChunk>> piped = new HashMap<>();

        Driver(ProcessorConfig cfg, String dir) {
            this(cfg, dir, RawReplay.NONE);
        }

        /** @param replay what a rebuilding task re-reads (another driver's inputs: {@link #asRawTopics()}) */
        Driver(ProcessorConfig cfg, String dir, RawReplay replay) {
            var props = io.mindstream.runtime.kafka.KafkaClients.streams("unused:9092", "ttd-" + dir, null, tmp.resolve(dir),
                    false, 1);
            driver = new TopologyTestDriver(ProcessorTopology.build(cfg, stats, () -> CLOCK, c -> {
            }, replay), props, time);
            var key = Serdes.String();
            meg = driver.createInputTopic(Topics.rawTopic(StreamKind.MEG), key.serializer(),
                    ContractSerdes.sampleChunk().serializer());
            fmri = driver.createInputTopic(Topics.rawTopic(StreamKind.FMRI), key.serializer(),
                    ContractSerdes.sampleChunk().serializer());
            other = driver.createInputTopic(Topics.rawTopic(StreamKind.OTHER), key.serializer(),
                    ContractSerdes.sampleChunk().serializer());
            markers = driver.createInputTopic(Topics.MARKERS, key.serializer(), ContractSerdes.marker().serializer());
            epochs = driver.createOutputTopic(Topics.EPOCHS, key.deserializer(), ContractSerdes.epoch().deserializer());
            windows = driver.createOutputTopic(Topics.WINDOWS, key.deserializer(),
                    ContractSerdes.epoch().deserializer());
        }

        void pipe(Object r) {
            time = time.plusMillis(2);
            if (r instanceof Marker m) {
                markers.pipeInput(m.session(), m, time);
            } else {
                SampleChunk c = (SampleChunk) r;
                (c.kind() == StreamKind.FMRI ? fmri : c.kind() == StreamKind.OTHER ? other : meg)
                        .pipeInput(c.session(), c, time);
                piped.computeIfAbsent(Topics.rawTopic(c.kind()), k -> new ArrayList<>()).add(c);
            }
        }

        /** This driver's raw inputs as the topics a restarted processor re-reads. */
        RawReplay asRawTopics() {
            return (tp, from, through, session, stream, sink) -> {
                io.mindstream.contracts.VolumeAssembler parts = new io.mindstream.contracts.VolumeAssembler(8);
                List<SampleChunk> topic = piped.getOrDefault(tp.topic(), List.of());
                for (long o = from; o <= through && o < topic.size(); o++) {
                    SampleChunk c = topic.get((int) o);
                    if (c.session().equals(session) && c.streamId().equals(stream)) {
                        (c.isWhole() ? java.util.Optional.of(c) : parts.accept(c)).ifPresent(sink);
                    }
                }
            };
        }

        List<Epoch> all() {
            List<Epoch> out = new ArrayList<>(epochs.readValuesToList());
            out.addAll(windows.readValuesToList());
            return out;
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    static List<Object> twoSessions() {
        List<Object> a = recording("sA", 5);
        List<Object> b = recording("sB", 4);
        List<Object> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                mixed.add(a.get(i));
            }
            if (i < b.size()) {
                mixed.add(b.get(i));
            }
        }
        return mixed;
    }

    static List<Epoch> offline(ProcessorConfig cfg, List<Object> records) {
        OfflineEpocher ep = new OfflineEpocher(cfg, () -> CLOCK);
        List<Epoch> out = new ArrayList<>();
        for (Object r : records) {
            out.addAll(ep.accept(r));
        }
        return out;
    }

    static List<Epoch> byKind(List<Epoch> es, boolean windows) {
        return es.stream().filter(e -> (e.trigger().kind() == TriggerKind.WINDOW
                || e.trigger().kind() == TriggerKind.FMRI_TR) == windows).toList();
    }

    @Test
    void liveEpochsAreIdenticalBitForBitToOfflineEpochs() {
        List<Object> records = twoSessions();
        List<Epoch> live;
        try (Driver d = new Driver(config(), "parity")) {
            records.forEach(d::pipe);
            live = d.all();
        }
        List<Epoch> off = offline(config(), records);
        assertEquals(byKind(off, false), byKind(live, false));
        assertEquals(byKind(off, true), byKind(live, true));
        // what is in there: 9 MEG epochs; the fMRI stimulus averages whose +8 s volume arrived (onsets 11.5 and
        // 13.5 s of sA, whose data ends at 24 s, and 11.5 s of sB, ending at 22 s); MEG windows and fMRI TR windows
        List<Epoch> epochs = byKind(live, false);
        assertEquals(9, epochs.stream().filter(e -> e.trigger().kind() == TriggerKind.MARKER).count());
        assertEquals(3, epochs.stream().filter(e -> e.trigger().kind() == TriggerKind.FMRI_STIMULUS).count());
        assertTrue(byKind(live, true).stream().anyMatch(e -> e.trigger().kind() == TriggerKind.FMRI_TR));
        Epoch fm = epochs.stream().filter(e -> e.trigger().kind() == TriggerKind.FMRI_STIMULUS).findFirst()
                .orElseThrow();
        assertEquals(VOXELS, fm.channels());
        assertEquals(1, fm.times());
        // +4 … +8 s after onset 11.5 s: volumes at 16, 17, 18, 19 s
        assertEquals(16.0, fm.tStart());
        assertEquals(19.0, fm.tEnd());
        Set<String> ids = new HashSet<>();
        live.forEach(e -> assertTrue(ids.add(e.epochId()), "duplicate id " + e.epochId()));
    }

    @Test
    void restartFromTheStoresLosesAndDuplicatesNothing() {
        List<Object> records = twoSessions();
        List<Epoch> single;
        try (Driver d = new Driver(config(), "single")) {
            records.forEach(d::pipe);
            single = d.all();
        }
        int cut = records.size() * 3 / 5;
        List<Epoch> first;
        List<KeyValue<String, Object>>[] saved;
        String[] stores = {ProcessorTopology.CHUNK_STORE, ProcessorTopology.SNAPSHOT_STORE,
                ProcessorTopology.MARKER_STORE, ProcessorTopology.DONE_STORE, ProcessorTopology.PROGRESS_STORE,
                ProcessorTopology.VOLUME_PART_STORE};
        Driver before = new Driver(config(), "before");
        try (Driver a = before) {
            records.subList(0, cut).forEach(a::pipe);
            first = a.all();
            saved = copy(a.driver, stores);
        }
        List<Epoch> second;
        try (Driver b = new Driver(config(), "after", before.asRawTopics())) {
            restore(b.driver, stores, saved);
            // at-least-once: the last 40 records before the crash are delivered again
            records.subList(cut - 40, records.size()).forEach(b::pipe);
            second = b.all();
        }
        List<Epoch> union = new ArrayList<>(first);
        union.addAll(second);
        Set<String> ids = new HashSet<>();
        union.forEach(e -> assertTrue(ids.add(e.epochId()), "duplicate epoch " + e.epochId()));
        assertEquals(single.stream().map(Epoch::epochId).sorted().toList(),
                union.stream().map(Epoch::epochId).sorted().toList());
        // and every epoch is bit for bit the one an uninterrupted run produced
        for (Epoch e : union) {
            assertEquals(single.stream().filter(s -> s.epochId().equals(e.epochId())).findFirst().orElseThrow(), e);
        }
        assertFalse(second.isEmpty());
    }

    @SuppressWarnings("unchecked")
    static List<KeyValue<String, Object>>[] copy(TopologyTestDriver d, String[] names) {
        List<KeyValue<String, Object>>[] out = new List[names.length];
        for (int i = 0; i < names.length; i++) {
            KeyValueStore<String, Object> s = d.getKeyValueStore(names[i]);
            out[i] = new ArrayList<>();
            try (KeyValueIterator<String, Object> it = s.all()) {
                it.forEachRemaining(out[i]::add);
            }
        }
        return out;
    }

    static void restore(TopologyTestDriver d, String[] names, List<KeyValue<String, Object>>[] saved) {
        for (int i = 0; i < names.length; i++) {
            KeyValueStore<String, Object> s = d.getKeyValueStore(names[i]);
            saved[i].forEach(kv -> s.put(kv.key, kv.value));
        }
    }

    @Test
    void aQuietStreamIsNeverCutByTheWallClockOnlyByTheEndOfItsData() {
        try (Driver d = new Driver(config().withWindows(false, 0.25, 0.05), "quiet")) {
            List<SampleChunk> chunks = Recording.continuous("q", "meg", StreamKind.MEG, C, 1200, 10.0, 0, 2400, 12,
                    Recording::meg);
            chunks.forEach(d::pipe);
            d.pipe(Recording.onset("q", 1, 11.5, "x")); // needs data to 12.5 s; the stream stops at 12.0 s
            assertTrue(d.epochs.isEmpty());
            // a processor behind on its input, or a broker outage, looks exactly like this: the data may come
            d.driver.advanceWallClockTime(Duration.ofMinutes(10));
            assertTrue(d.epochs.isEmpty(), "no epoch is cut short by waiting");
            d.pipe(Recording.end(chunks.get(chunks.size() - 1), 2400)); // ingest stopped reading the stream
            List<Epoch> out = d.epochs.readValuesToList();
            assertEquals(1, out.size());
            assertEquals(QualityFlags.GAP | QualityFlags.LATE,
                    out.get(0).qualityFlags() & (QualityFlags.GAP | QualityFlags.LATE));
            assertEquals(1, d.stats.partialEpochs.sum());
        }
    }

    @Test
    void aStreamOfAnyOtherKindIsEpochedToo() {
        // raw.other (e.g. a physiological stream ingest does not classify) is read like MEG and EEG
        try (Driver d = new Driver(config().withWindows(false, 0.25, 0.05), "other")) {
            Recording.continuous("o", "physio", StreamKind.OTHER, C, 1200, 10.0, 0, 6000, 12, Recording::meg)
                    .forEach(d::pipe);
            d.pipe(Recording.onset("o", 1, 11.5, "x"));
            List<Epoch> out = d.epochs.readValuesToList();
            assertEquals(1, out.size());
            assertEquals(StreamKind.OTHER, out.get(0).streamKind());
            assertEquals("physio", out.get(0).streamId());
        }
    }

    @Test
    void aBadRecordIsRejectedAndTheOtherStreamsGoOn() {
        try (Driver d = new Driver(config().withWindows(false, 0.25, 0.05), "bad")) {
            List<Object> rec = recording("ok", 2);
            rec.add(rec.size() / 2, SampleChunk.ofFloats("ok", "meg", StreamKind.MEG, 3, 1200, 99_999,
                    new double[]{1}, new float[3], TraceStamps.empty()));
            // undecodable bytes: logged and skipped by the deserialization handler
            d.driver.createInputTopic(Topics.rawTopic(StreamKind.MEG), Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer()).pipeInput("ok".getBytes(), new byte[]{1, 2, 3});
            rec.forEach(d::pipe);
            assertEquals(2, d.epochs.readValuesToList().size());
            assertEquals(1, d.stats.rejectedRecords.sum());
        }
    }
}
