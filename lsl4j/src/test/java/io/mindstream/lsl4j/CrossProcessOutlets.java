package io.mindstream.lsl4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Child-process main for {@link CrossProcessTest}: opens one outlet per (format, single/chunked, explicit/deduced)
 * named {@code <prefix>-<format>-<single|chunk>-<explicit|deduced>}, configured from {@code LSLAPICFG}; each
 * waits for its consumer and pushes {@link TestData}. Prints READY, exits when stdin closes.
 */
public final class CrossProcessOutlets {
    public static void main(String[] args) throws Exception {
        String prefix = args[0];
        LslConfig cfg = LslConfig.load();
        List<StreamOutlet> outlets = new ArrayList<>();
        List<Thread> pushers = new ArrayList<>();
        for (ChannelFormat f : ChannelFormat.values()) {
            for (boolean chunked : new boolean[] {false, true}) {
                for (TestData.TsMode mode : TestData.TsMode.values()) {
                    String name = TestData.streamName(prefix, f, chunked, mode);
                    StreamOutlet o = new StreamOutlet(new StreamInfo(name, prefix, TestData.CHANNELS, TestData.SRATE, f,
                            name), 0, 60, cfg);
                    outlets.add(o);
                    Thread t = new Thread(() -> push(o, f, chunked, mode), "push-" + name);
                    t.setDaemon(true);
                    pushers.add(t);
                }
            }
        }
        pushers.forEach(Thread::start);
        System.out.println("READY " + outlets.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin
        }
        outlets.forEach(StreamOutlet::close);
    }

    private static void push(StreamOutlet o, ChannelFormat f, boolean chunked, TestData.TsMode mode) {
        try {
            if (!o.waitForConsumers(60)) return;
            Object data = TestData.chunk(f);
            if (chunked) {
                if (mode == TestData.TsMode.EXPLICIT) {
                    double[] ts = new double[TestData.SAMPLES];
                    for (int s = 0; s < ts.length; s++) ts[s] = TestData.explicitTs(s);
                    pushChunk(o, data, ts);
                } else {
                    pushChunkLast(o, data, TestData.explicitTs(TestData.SAMPLES - 1));
                }
            } else {
                for (int s = 0; s < TestData.SAMPLES; s++) {
                    double ts = mode == TestData.TsMode.EXPLICIT || s == 0 ? TestData.explicitTs(s) : StreamOutlet.DEDUCED_TIMESTAMP;
                    pushSample(o, TestData.slice(data, s), ts);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void pushSample(StreamOutlet o, Object x, double ts) {
        if (x instanceof float[] a) o.pushSample(a, ts);
        else if (x instanceof double[] a) o.pushSample(a, ts);
        else if (x instanceof byte[] a) o.pushSample(a, ts);
        else if (x instanceof short[] a) o.pushSample(a, ts);
        else if (x instanceof int[] a) o.pushSample(a, ts);
        else if (x instanceof long[] a) o.pushSample(a, ts);
        else o.pushSample((String[]) x, ts);
    }

    static void pushChunk(StreamOutlet o, Object x, double[] ts) {
        if (x instanceof float[] a) o.pushChunk(a, ts);
        else if (x instanceof double[] a) o.pushChunk(a, ts);
        else if (x instanceof byte[] a) o.pushChunk(a, ts);
        else if (x instanceof short[] a) o.pushChunk(a, ts);
        else if (x instanceof int[] a) o.pushChunk(a, ts);
        else if (x instanceof long[] a) o.pushChunk(a, ts);
        else o.pushChunk((String[]) x, ts);
    }

    static void pushChunkLast(StreamOutlet o, Object x, double last) {
        if (x instanceof float[] a) o.pushChunk(a, last);
        else if (x instanceof double[] a) o.pushChunk(a, last);
        else if (x instanceof byte[] a) o.pushChunk(a, last);
        else if (x instanceof short[] a) o.pushChunk(a, last);
        else if (x instanceof int[] a) o.pushChunk(a, last);
        else if (x instanceof long[] a) o.pushChunk(a, last);
        else o.pushChunk((String[]) x, last);
    }
}
