package io.mindstream.benchmarks.lsl;

import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.ProcessingFlag;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import io.mindstream.lsl4j.StreamOutlet;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * An lsl4j outlet and an inlet connected to it over loopback TCP: 306 channels float32 at 1 kHz (MEG-sized),
 * on a private port range (machine scope, KnownPeers 127.0.0.1) so benchmarks neither see nor disturb other streams.
 */
final class LoopbackStream implements AutoCloseable {
    static final int CHANNELS = 306;
    static final double RATE = 1000;
    static final int CHUNK = 10;

    final StreamOutlet outlet;
    final StreamInlet inlet;
    final float[] chunk = new float[CHUNK * CHANNELS];
    final float[] pulled = new float[CHUNK * CHANNELS];
    /** stampsOfLength[k] has length k: pullChunk takes at most that many samples, so pulls never overshoot. */
    final double[][] stampsOfLength = new double[CHUNK + 1][];

    LoopbackStream() throws InterruptedException, TimeoutException {
        int base = ThreadLocalRandom.current().nextInt(30000, 60000);
        LslConfig cfg = LslConfig.parse("[ports]\nMulticastPort = " + (base - 1) + "\nBasePort = " + base
                + "\nPortRange = 16\n[multicast]\nResolveScope = machine\n[lab]\nKnownPeers = {127.0.0.1}\n", "benchmark");
        String name = "bench-" + UUID.randomUUID();
        outlet = new StreamOutlet(new StreamInfo(name, "MEG", CHANNELS, RATE, ChannelFormat.FLOAT32, name), CHUNK, 10, cfg);
        List<StreamInfo> found = new Resolver(cfg).byProperty("name", name, 1, 10);
        if (found.isEmpty()) throw new IllegalStateException("benchmark outlet not resolved");
        inlet = new StreamInlet(found.get(0), 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg);
        inlet.open(10);
        if (!outlet.waitForConsumers(10)) throw new IllegalStateException("inlet did not connect");
        for (int i = 0; i < chunk.length; i++) chunk[i] = (float) Math.sin(i * 0.01);
        for (int k = 0; k <= CHUNK; k++) stampsOfLength[k] = new double[k];
    }

    /** Pulls exactly {@code n} ≤ CHUNK samples (blocking); returns the timestamp of the last one. */
    double pull(int n) {
        int got = 0;
        double last = 0;
        while (got < n) {
            double[] stamps = stampsOfLength[Math.min(CHUNK, n - got)];
            int m = inlet.pullChunk(pulled, stamps, 5.0);
            if (m == 0) throw new IllegalStateException("no data within 5 s after " + got + " samples");
            got += m;
            last = stamps[m - 1];
        }
        if (got != n) throw new IllegalStateException("pulled " + got + " samples, wanted " + n);
        return last;
    }

    @Override
    public void close() {
        inlet.close();
        outlet.close();
    }
}
