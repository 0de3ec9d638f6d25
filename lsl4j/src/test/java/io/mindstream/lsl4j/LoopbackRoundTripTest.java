package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outlet → inlet in one JVM on loopback: resolve, open, values, timestamps, fullinfo, time correction. */
class LoopbackRoundTripTest {

    @Test
    void slowInletDropsOldestAndCountsThem() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("rt-drop");
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "EEG", 2, 10, ChannelFormat.DOUBLE64, name), 0, 1, cfg)) {
            StreamInfo r = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
            // inlet buffer: 1 s x 10 Hz = 10 samples; nobody pulls while 50 are pushed
            try (StreamInlet in = new StreamInlet(r, 1, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                in.open(5);
                assertTrue(out.waitForConsumers(5));
                for (int i = 0; i < 50; i++) out.pushSample(new double[] {i, -i}, 100.0 + i);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while ((in.droppedSamples() + out.droppedSamples() < 40 || in.samplesAvailable() < 10)
                        && System.nanoTime() < deadline) Thread.sleep(10);
                assertEquals(10, in.samplesAvailable());
                assertEquals(40, in.droppedSamples() + out.droppedSamples(), "50 pushed, 10 buffered");
                double[] v = new double[2];
                assertEquals(140.0, in.pullSample(v, 1), "the oldest were dropped: the first kept is #40");
                assertEquals(40.0, v[0]);
                assertEquals(9, in.samplesAvailable());
            }
        }
    }

    /**
     * A 100,000-voxel fMRI stream (400 kB a sample): values arrive intact, and neither the inlet's buffer nor the
     * outlet's queue for it allocates its 256-sample (~100 MB) worth up front — both start within
     * {@link SampleBuffer#INITIAL_BYTES} and grow only to what the samples in flight need.
     */
    @Test
    void aHundredThousandChannelStreamArrivesWithoutPreallocatingItsBuffers() throws Exception {
        int voxels = 100_000;
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("rt-wide");
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "fMRI", voxels, 0.5, ChannelFormat.FLOAT32, name),
                0, 600, cfg)) {
            StreamInfo r = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
            // 600 s at 0.5 Hz: up to 300 volumes (120 MB) may be buffered, none of it allocated yet
            try (StreamInlet in = new StreamInlet(r, 600, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                assertTrue(in.bufferBytes() <= SampleBuffer.INITIAL_BYTES, "inlet buffer up front: " + in.bufferBytes());
                in.open(5);
                assertTrue(out.waitForConsumers(5));
                assertTrue(out.consumerBufferBytes() <= SampleBuffer.INITIAL_BYTES,
                        "outlet queue up front: " + out.consumerBufferBytes());

                float[][] volumes = new float[23][voxels];
                for (int v = 0; v < volumes.length; v++) {
                    for (int k = 0; k < voxels; k++) volumes[v][k] = v * 1_000_000f + k;
                }
                float[] got = new float[voxels];
                // three volumes in flight at once, then one at a time (the steady state)
                for (int v = 0; v < 3; v++) out.pushSample(volumes[v], 100.0 + 2 * v);
                for (int v = 0; v < volumes.length; v++) {
                    if (v >= 3) out.pushSample(volumes[v], 100.0 + 2 * v);
                    assertEquals(100.0 + 2 * v, in.pullSample(got, 5), "volume " + v + " did not arrive");
                    assertArrayEquals(volumes[v], got, "volume " + v);
                }
                assertEquals(0, in.droppedSamples() + out.droppedSamples());
                // at most three volumes were ever buffered: storage doubled from its start to fit them and stopped
                assertTrue(in.bufferCapacity() <= 4, "inlet buffer grew to " + in.bufferCapacity() + " samples");
                long threeVolumes = 3L * (9 + 4L * voxels);
                assertTrue(out.consumerBufferBytes() <= 2 * threeVolumes,
                        "outlet queue grew to " + out.consumerBufferBytes() + " bytes");
            }
        }
    }

    @Test
    void float32SamplesAndChunksArriveWithTheirTimestamps() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("rt-float");
        StreamInfo info = new StreamInfo(name, "EEG", 4, 100, ChannelFormat.FLOAT32, name + "-src");
        info.desc().appendChild("channels").appendChild("channel").appendChildValue("label", "Cz");
        try (StreamOutlet out = new StreamOutlet(info, 0, 10, cfg)) {
            List<StreamInfo> found = new Resolver(cfg).byProperty("name", name, 1, 5);
            assertEquals(1, found.size());
            StreamInfo r = found.get(0);
            assertEquals(out.info().uid(), r.uid());
            assertEquals("127.0.0.1", r.v4address());
            try (StreamInlet in = new StreamInlet(r, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                in.open(5);
                assertTrue(out.waitForConsumers(5));
                out.pushSample(new float[] {1, 2, 3, 4}, 10.5);
                out.pushChunk(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, 20.0);
                float[] s = new float[4];
                assertEquals(10.5, in.pullSample(s, 5));
                assertArrayEquals(new float[] {1, 2, 3, 4}, s);
                float[] c = new float[8];
                double[] ts = new double[2];
                float[] one = new float[4];
                double[] t1 = new double[1];
                int n = 0;
                while (n < 2) {
                    int got = in.pullChunk(one, t1, 5);
                    assertTrue(got > 0, "chunk sample " + n + " did not arrive");
                    System.arraycopy(one, 0, c, n * 4, 4);
                    ts[n++] = t1[0];
                }
                assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, c);
                assertEquals(19.99, ts[0], 1e-12);
                assertEquals(19.99 + 1.0 / 100, ts[1]);
                StreamInfo full = in.info(5);
                assertEquals("Cz", full.desc().child("channels").child("channel").childValue("label"));
                double tc = in.timeCorrection(5);
                assertTrue(Math.abs(tc) < 0.01, "time correction on one host should be ~0, got " + tc);
                assertFalse(in.droppedSamples() > 0);
            }
            // the inlet closed while the stream was idle: the outlet notices without waiting for the next push
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (out.haveConsumers() && System.nanoTime() < deadline) Thread.sleep(20);
            assertFalse(out.haveConsumers(), "consumer still registered after its inlet closed");
        }
    }

    /**
     * The outlet hands a chunk to its consumers in batches of up to 64 KB: a chunk several batches long (300 samples
     * of 306 float32 channels, 368 KB), pushed with deduced and with explicit timestamps, arrives whole, in order,
     * each sample with its values and timestamp; an empty chunk sends nothing, not the previous batch again.
     */
    @Test
    void aChunkLongerThanOneBatchArrivesWholeWithItsTimestamps() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(8);
        String name = TestSupport.unique("rt-batch");
        int ch = 306;
        int n = 300;
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "MEG", ch, 1000, ChannelFormat.FLOAT32, name),
                0, 10, cfg)) {
            StreamInfo r = new Resolver(cfg).byProperty("name", name, 1, 5).get(0);
            try (StreamInlet in = new StreamInlet(r, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                in.open(5);
                assertTrue(out.waitForConsumers(5));
                float[] x = new float[n * ch];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i * 0.5f - 7;
                }
                double[] explicit = new double[n];
                for (int s = 0; s < n; s++) {
                    explicit[s] = 500 + s * 0.25;
                }
                out.pushChunk(x, 100.0);                 // deduced: the last sample at 100 s, 1 ms apart
                out.pushChunk(new float[0], 200.0);      // nothing
                out.pushChunk(x, explicit);
                float[] one = new float[ch];
                double[] t = new double[1];
                for (int round = 0; round < 2; round++) {
                    for (int s = 0; s < n; s++) {
                        assertEquals(1, in.pullChunk(one, t, 5), "round " + round + " sample " + s);
                        double want = round == 0 ? 100.0 - (n - 1 - s) / 1000.0 : explicit[s];
                        assertEquals(want, t[0], 1e-9, "round " + round + " sample " + s + " timestamp");
                        for (int k = 0; k < ch; k++) {
                            assertEquals(x[s * ch + k], one[k], "round " + round + " sample " + s + " channel " + k);
                        }
                    }
                }
                assertEquals(0, in.pullChunk(one, t, 0.3), "nothing more: the empty chunk sent nothing");
                assertEquals(0, in.droppedSamples());
            }
        }
    }
}
