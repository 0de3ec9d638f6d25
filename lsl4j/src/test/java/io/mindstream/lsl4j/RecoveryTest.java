package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Lost-stream detection and recovery when an outlet with the same source_id restarts. */
class RecoveryTest {

    @Test
    void withoutRecoveryBufferedSamplesComeFirstThenAClearLostStreamException() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("lost");
        StreamOutlet out = new StreamOutlet(new StreamInfo(name, "EEG", 2, 100, ChannelFormat.FLOAT32, name), 0, 10, cfg);
        StreamInfo si = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
        try (StreamInlet in = new StreamInlet(si, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
            in.open(5);
            assertTrue(out.waitForConsumers(5));
            out.pushSample(new float[] {1, 2}, 1.0);
            out.pushSample(new float[] {3, 4}, 2.0);
            while (in.samplesAvailable() < 2) Thread.sleep(5);
            out.close();
            float[] v = new float[2];
            assertEquals(1.0, in.pullSample(v, 5));
            assertEquals(2.0, in.pullSample(v, 5));
            LostStreamException e = assertThrows(LostStreamException.class, () -> in.pullSample(v, 10));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("lost"), e.getMessage());
            assertThrows(LostStreamException.class, () -> in.pullChunk(v, new double[1], 1));
        }
    }

    @Test
    void recoveryIsImpossibleWithoutASourceId() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("nosrc");
        StreamOutlet out = new StreamOutlet(new StreamInfo(name, "EEG", 1, 100, ChannelFormat.DOUBLE64, ""), 0, 10, cfg);
        StreamInfo si = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
        try (StreamInlet in = new StreamInlet(si, 10, 0, true, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
            in.open(5);
            out.close();
            LostStreamException e = assertThrows(LostStreamException.class, () -> in.pullSample(new double[1], 10));
            assertTrue(e.getMessage().contains("no source_id"), e.getMessage());
        }
    }

    @Test
    void inletFollowsARestartedOutletWithTheSameSourceId() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("recover");
        StreamInfo proto = new StreamInfo(name, "EEG", 2, 100, ChannelFormat.INT32, name + "-device");
        StreamOutlet first = new StreamOutlet(proto, 0, 10, cfg);
        StreamInfo si = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
        try (StreamInlet in = new StreamInlet(si, 10, 0, true, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
            in.open(5);
            assertTrue(first.waitForConsumers(5));
            first.pushSample(new int[] {1, 1}, 1.0);
            int[] v = new int[2];
            assertEquals(1.0, in.pullSample(v, 5));
            String firstUid = first.info().uid();
            first.close();
            try (StreamOutlet second = new StreamOutlet(proto, 0, 10, cfg)) {
                assertNotEquals(firstUid, second.info().uid());
                assertTrue(second.waitForConsumers(20), "the inlet reconnected to the restarted outlet");
                second.pushSample(new int[] {2, 2}, 2.0);
                assertEquals(2.0, in.pullSample(v, 10));
                assertEquals(2, v[0]);
                assertTrue(in.isConnected());
            }
        }
    }
}
