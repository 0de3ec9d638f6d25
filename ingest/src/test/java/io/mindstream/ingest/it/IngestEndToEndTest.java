package io.mindstream.ingest.it;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.ingest.IngestService;
import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.ingest.stats.StreamStats;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.Recorded;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.XmlElement;
import io.mindstream.lsl4j.StreamOutlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Real LSL outlets → ingest → journal → the embedded broker: every sample accounted for. */
class IngestEndToEndTest {

    @TempDir
    Path tmp;
    private final EmbeddedKafka kafka = SharedBroker.get();

    static void waitFor(String what, Duration timeout, java.util.function.BooleanSupplier cond)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void megAndMarkerStreamsArriveCompleteWithEverySampleAccountedFor() throws Exception {
        String megId = IngestFixture.uniqueId("meg");
        String mkId = IngestFixture.uniqueId("markers");
        String session = "e2e-" + megId;
        int channels = 272;
        double rate = 1200;
        int total = 2400; // two seconds
        StreamInfo megInfo = new StreamInfo("MEG-" + megId, "MEG", channels, rate, ChannelFormat.FLOAT32, megId);
        XmlElement chans = megInfo.desc().appendChild("channels");
        for (int c = 0; c < channels; c++) {
            chans.appendChild("channel").appendChildValue("label", String.format(java.util.Locale.ROOT, "MEG%04d", c))
                    .appendChildValue("type", "mag").appendChildValue("unit", "fT");
        }
        megInfo.desc().appendChild("acquisition").appendChildValue("manufacturer", "CTF");
        StreamInfo mkInfo = new StreamInfo("Markers-" + mkId, "Markers", 1, 0, ChannelFormat.STRING, mkId);
        String[] labels = {
                "onset image=img_001 trial=1 split=train", "offset trial=1", "x".repeat(5000),
                "onset image=ünïcødé_画像_🧠 trial=2 split=test", "bad\u0001control", "block start=2"};
        try (StreamOutlet meg = new StreamOutlet(megInfo, 12, 60);
             StreamOutlet mk = new StreamOutlet(mkInfo, 1, 60);
             IngestService ingest = new IngestService(IngestFixture.config(session, tmp.resolve("journal"),
                     kafka.bootstrapServers(), List.of(megId, mkId))).start()) {
            assertTrue(meg.waitForConsumers(30), "ingest opened the MEG inlet");
            assertTrue(mk.waitForConsumers(30), "ingest opened the marker inlet");
            double t0 = LslClock.localClock();
            float[] chunk = new float[12 * channels];
            double[] stamps = new double[12];
            for (int s = 0; s < total; s += 12) {
                for (int i = 0; i < 12; i++) {
                    int n = s + i;
                    stamps[i] = t0 + n / rate;
                    for (int c = 0; c < channels; c++) {
                        chunk[i * channels + c] = n * 1000 + c;
                    }
                }
                if (s == 600) {
                    chunk[3 * channels + 7] = Float.NaN;
                    chunk[4 * channels + 9] = Float.POSITIVE_INFINITY;
                }
                meg.pushChunk(chunk, stamps);
                if (s % 360 == 0 && s / 360 < labels.length) {
                    mk.pushSample(new String[]{labels[s / 360]}, t0 + s / rate);
                }
                Thread.sleep(5); // ~ real time / 2
            }
            StreamStats ms = ingest.stats().stream(megId);
            waitFor("all MEG samples journaled", Duration.ofSeconds(30), () -> ms.journaled() == total);
            waitFor("all markers seen", Duration.ofSeconds(30),
                    () -> ingest.stats().stream(mkId).received() == labels.length);
            assertTrue(ingest.forwarder().awaitCaughtUp(Duration.ofSeconds(60)));
            String table = ingest.close(Duration.ofSeconds(10));
            assertTrue(table.contains(megId), table);
            assertEquals(total, ms.received());
            assertEquals(total, ms.produced());
            assertEquals(0, ms.gaps());
            assertEquals(2, ms.nonFiniteSamples());
            assertEquals(2, ingest.stats().stream(mkId).dropped());
        }

        Recorded rec = Recorded.read(kafka.bootstrapServers(), session);
        // each stream's full description (the outlet's <desc>, which discovery does not carry) came first
        assertEquals(2, rec.descriptions.size(), rec.descriptions.toString());
        StreamDescription described = rec.descriptions.stream().filter(d -> d.streamId().equals(megId)).findFirst()
                .orElseThrow();
        assertEquals(StreamKind.MEG, described.kind());
        assertEquals(0, described.fromSequence());
        StreamInfo sent = StreamInfo.fromXml(described.xml());
        assertEquals(channels, sent.desc().child("channels").children("channel").size());
        assertEquals("MEG0271", sent.desc().child("channels").children("channel").get(271).childValue("label"));
        assertEquals("CTF", sent.desc().child("acquisition").childValue("manufacturer"));
        assertTrue(described.trace().has(Stage.JOURNALED) && described.trace().has(Stage.PRODUCED));
        List<SampleChunk> chunks = rec.chunksOf(megId);
        long next = 0;
        boolean sawNonFiniteFlag = false;
        for (int k = 0; k < chunks.size(); k++) {
            SampleChunk c = chunks.get(k);
            assertEquals(StreamKind.MEG, c.kind());
            assertEquals(next, c.firstSequence(), "sequence numbers are contiguous, no duplicates");
            for (int s = 0; s < c.sampleCount(); s++) {
                long n = c.firstSequence() + s;
                float v = c.value(s, 8);
                assertEquals(n * 1000 + 8, v, "sample " + n);
            }
            assertTrue(c.trace().has(Stage.JOURNALED) && c.trace().has(Stage.PRODUCED));
            int flags = RecordHeaders.flags(rec.chunkRecords.get(rec.chunks.indexOf(c)).headers());
            sawNonFiniteFlag |= (flags & QualityFlags.NON_FINITE) != 0;
            next += c.sampleCount();
        }
        assertEquals(total, next, "every sample in the topic exactly once");
        // ingest was stopped: the stream's last record is its end, at the sequence the next sample would get, once
        SampleChunk last = chunks.get(chunks.size() - 1);
        assertTrue(last.isEnd(), "the last record is an end: " + last);
        assertEquals(total, last.firstSequence());
        assertEquals(1, chunks.stream().filter(SampleChunk::isEnd).count(), "one end per reader");
        assertEquals(0, chunks.stream().mapToLong(SampleChunk::lostBefore).sum(), "nothing lost at the source");
        assertTrue(sawNonFiniteFlag, "the chunk holding NaN/Inf carries the NON_FINITE flag header");

        List<Marker> markers = rec.markers.stream().filter(m -> m.streamId().equals(mkId)).toList();
        assertEquals(4, markers.size(), "oversized and control-character markers rejected, the rest kept");
        assertEquals("img_001", markers.get(0).imageId());
        Marker uni = markers.get(2);
        assertArrayEquals(labels[3].getBytes(StandardCharsets.UTF_8), uni.label().getBytes(StandardCharsets.UTF_8));
        assertEquals("ünïcødé_画像_🧠", uni.imageId());
        assertEquals(List.of(0L, 1L, 3L, 5L), markers.stream().map(Marker::sequence).toList());
    }
}
