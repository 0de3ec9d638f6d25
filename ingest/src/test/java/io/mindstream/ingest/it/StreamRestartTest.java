package io.mindstream.ingest.it;

import io.mindstream.contracts.SampleChunk;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.stats.StreamStats;
import io.mindstream.ingest.testutil.IngestFixture;
import io.mindstream.ingest.testutil.Recorded;
import io.mindstream.ingest.testutil.SharedBroker;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.mindstream.ingest.it.IngestEndToEndTest.waitFor;
import static org.junit.jupiter.api.Assertions.*;

/**
 * While ingest runs: a new outlet is picked up, then closed (the stream is lost) and restarted with the same
 * source_id 300 samples later on its timeline; ingest continues the same stream (same sequence numbers) and reports
 * exactly those 300 samples as one gap.
 */
class StreamRestartTest {

    @TempDir
    Path tmp;

    private static final int CH = 4;
    private static final double RATE = 200;

    private static long push(StreamOutlet out, double t0, long from, long to) throws InterruptedException {
        float[] s = new float[CH];
        for (long n = from; n < to; n++) {
            java.util.Arrays.fill(s, n);
            out.pushSample(s, t0 + n / RATE);
            if (n % 10 == 9) {
                Thread.sleep(20);
            }
        }
        return to;
    }

    @Test
    void anOutletRestartedWithTheSameSourceIdContinuesTheStreamAfterOneGap() throws Exception {
        EmbeddedKafka kafka = SharedBroker.get();
        String id = IngestFixture.uniqueId("restart");
        String session = "restart-" + id;
        StreamInfo info = new StreamInfo("Restart-" + id, "EEG", CH, RATE, ChannelFormat.FLOAT32, id);
        try (IngestService ingest = new IngestService(IngestFixture.config(session, tmp.resolve("journal"),
                kafka.bootstrapServers(), List.of(id))).start()) {
            StreamStats st = ingest.stats().stream(id);
            double t0 = LslClock.localClock();
            try (StreamOutlet first = new StreamOutlet(info, 1, 30)) {
                assertTrue(first.waitForConsumers(30), "a new outlet is picked up while ingest runs");
                push(first, t0, 0, 200);
                waitFor("first outlet's samples journaled", Duration.ofSeconds(20), () -> st.journaled() == 200);
            }
            // the outlet is gone for a while, then comes back with the same source_id, 300 samples later
            Thread.sleep(1000);
            try (StreamOutlet second = new StreamOutlet(info, 1, 30)) {
                assertTrue(second.waitForConsumers(30), "ingest reconnected to the restarted outlet");
                push(second, t0, 500, 700);
                waitFor("second outlet's samples journaled", Duration.ofSeconds(20), () -> st.journaled() == 400);
            }
            assertTrue(ingest.forwarder().awaitCaughtUp(Duration.ofSeconds(60)));
            ingest.close(Duration.ofSeconds(10));
            assertEquals(1, st.gaps(), "one gap");
            assertEquals(300, st.missingSamples(), "of exactly the samples the outlet did not send");
        }
        Recorded recorded = Recorded.read(kafka.bootstrapServers(), session);
        // the restarted outlet has a new uid and creation time but describes the same stream: journaled once
        assertEquals(1, recorded.descriptions.size(), "one description: " + recorded.descriptions);
        assertEquals(id, recorded.descriptions.get(0).streamId());
        assertEquals(0, recorded.descriptions.get(0).fromSequence());
        long next = 0;
        for (SampleChunk c : recorded.chunksOf(id)) {
            if (next == 200) {
                next = 500;
            }
            assertEquals(next, c.firstSequence(), "sequence continues across the restart, jumping over the gap");
            for (int s = 0; s < c.sampleCount(); s++) {
                assertEquals(c.firstSequence() + s, (long) c.value(s, 0));
            }
            next += c.sampleCount();
        }
        assertEquals(700, next);
    }
}
