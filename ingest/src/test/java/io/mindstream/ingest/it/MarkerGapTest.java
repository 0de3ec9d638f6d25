package io.mindstream.ingest.it;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.codec.RecordHeaders;
import io.mindstream.ingest.testutil.ChildJvm;
import io.mindstream.ingest.testutil.IngestChild;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.Recorded;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Markers sent while ingest is down cannot be recovered (LSL gives a new inlet no history) and their number is
 * unknowable, but the loss is reported where a reader of {@code raw.markers} sees it: ingest is SIGKILLed while an
 * outlet sends numbered markers and restarted on the same journal; every marker sent while it was down lies
 * between a marker with sequence s and the next one, whose sequence is s + 2 and which carries GAP. Exactly one such
 * hole, and no other.
 */
class MarkerGapTest {

    @TempDir
    Path tmp;

    @Test
    void markersSentWhileIngestWasDownLieInOneReportedHole() throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        String id = IngestFixture.uniqueId("mk");
        String session = "mkgap-" + id;
        Path journal = tmp.resolve("journal");
        List<String> args = IngestChild.args(kafka.bootstrapServers(), session, id, journal);
        StreamInfo info = new StreamInfo("Markers-" + id, "Markers", 1, 0, ChannelFormat.STRING, id);
        AtomicInteger sent = new AtomicInteger();
        try (StreamOutlet outlet = new StreamOutlet(info, 1, 30)) {
            Thread pusher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    outlet.pushSample(new String[]{"m" + sent.getAndIncrement()});
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "test-marker-outlet");
            pusher.setDaemon(true);

            Process first = ChildJvm.start(IngestChild.class, args, tmp.resolve("first.out"),
                    tmp.resolve("first.err"));
            try {
                assertTrue(outlet.waitForConsumers(60), "first ingest connected");
                pusher.start();
                Thread.sleep(1500);
            } finally {
                first.destroyForcibly(); // SIGKILL
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            }
            Thread.sleep(1000); // markers keep coming: lost to ingest
            Process second = ChildJvm.start(IngestChild.class, args, tmp.resolve("second.out"),
                    tmp.resolve("second.err"));
            try {
                assertTrue(outlet.waitForConsumers(60), "second ingest connected");
                Thread.sleep(1500);
                pusher.interrupt();
                pusher.join();
                Thread.sleep(500);
            } finally {
                second.destroy(); // SIGTERM: drains to Kafka
                assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            }
        }

        Recorded rec = Recorded.read(kafka.bootstrapServers(), session);
        Map<Integer, long[]> got = new HashMap<>(); // marker number → {sequence, flags}
        for (int i = 0; i < rec.markers.size(); i++) {
            Marker m = rec.markers.get(i);
            got.put(Integer.parseInt(m.label().substring(1)),
                    new long[]{m.sequence(), RecordHeaders.flags(rec.markerRecords.get(i).headers())});
        }
        int first = got.keySet().stream().min(Integer::compare).orElseThrow();
        int last = got.keySet().stream().max(Integer::compare).orElseThrow();
        List<Integer> lost = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            if (!got.containsKey(n)) {
                lost.add(n);
            }
        }
        assertFalse(lost.isEmpty(), "markers were sent while ingest was down");
        int before = lost.get(0) - 1;
        int after = lost.get(lost.size() - 1) + 1;
        assertEquals(after - before - 1, lost.size(), "the lost markers are one contiguous run: " + lost);
        assertEquals(got.get(before)[0] + 2, got.get(after)[0], "the sequence number skips one after the hole");
        assertEquals(QualityFlags.GAP, got.get(after)[1] & QualityFlags.GAP, "the marker after the hole says GAP");
        long gapFlags = got.values().stream().filter(v -> (v[1] & QualityFlags.GAP) != 0).count();
        assertEquals(1, gapFlags, "one hole, reported once");
        long sequenceSkips = 0;
        long prev = -1;
        for (long s : got.values().stream().mapToLong(v -> v[0]).sorted().toArray()) {
            if (prev >= 0 && s != prev + 1) {
                sequenceSkips++;
            }
            prev = s;
        }
        assertEquals(1, sequenceSkips, "one hole in the sequence numbers");
    }
}
