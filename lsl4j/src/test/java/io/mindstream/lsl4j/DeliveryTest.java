package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * What an outlet promises a connected inlet at the two ends of a connection: every sample pushed once the inlet's
 * {@code open()} has returned is delivered (no waiting for {@code waitForConsumers} needed), and every sample pushed
 * before {@code close()} is delivered before the inlet sees the stream end.
 */
class DeliveryTest {

    @Test
    void samplesPushedRightBeforeCloseStillReachTheInlet() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        int channels = 20_000; // 80 kB samples: the feed is still writing when close() is called
        for (int round = 0; round < 5; round++) {
            String name = TestSupport.unique("close-" + round);
            StreamOutlet out = new StreamOutlet(new StreamInfo(name, "fMRI", channels, 2, ChannelFormat.FLOAT32, name),
                    0, 10, cfg);
            StreamInfo si = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
            try (StreamInlet in = new StreamInlet(si, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                in.open(5);
                float[] v = new float[channels];
                for (int i = 0; i < 10; i++) {
                    java.util.Arrays.fill(v, round * 100 + i);
                    out.pushSample(v, 1.0 + i);
                }
                out.close(); // no waiting for the inlet to have received anything
                float[] got = new float[channels];
                for (int i = 0; i < 10; i++) {
                    assertEquals(1.0 + i, in.pullSample(got, 10), "round " + round + ": sample " + i + " lost at close");
                    java.util.Arrays.fill(v, round * 100 + i);
                    assertArrayEquals(v, got, "round " + round + ": sample " + i);
                }
                assertThrows(LostStreamException.class, () -> in.pullSample(got, 10), "then the stream ends");
            }
        }
    }

    @Test
    void aSamplePushedAsSoonAsOpenReturnsIsDelivered() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("open");
        int channels = 50_000; // 400 kB of test patterns in the handshake: the outlet is busy with it until the end
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "fMRI", channels, 2, ChannelFormat.FLOAT32, name),
                0, 10, cfg)) {
            StreamInfo si = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
            float[] v = new float[channels];
            float[] got = new float[channels];
            for (int round = 0; round < 10; round++) {
                try (StreamInlet in = new StreamInlet(si, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                    in.open(5);
                    java.util.Arrays.fill(v, round);
                    out.pushSample(v, 5.0 + round); // no waitForConsumers()
                    assertEquals(5.0 + round, in.pullSample(got, 10), "round " + round + ": the sample was not delivered");
                    assertArrayEquals(v, got, "round " + round);
                }
            }
        }
    }
}
