package io.mindstream.benchmarks.lsl;

import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;

import java.nio.file.Path;

/**
 * The lsl4j side of {@code benchmarks/scripts/lsl-vs-liblsl.sh}: an lsl4j outlet pushing float32 chunks flat out to
 * whatever inlet connects (there, liblsl's), exactly as {@code lsl_throughput outlet} does with liblsl's outlet —
 * same stream shape, chunk size and 1 s consumer buffer — so that one liblsl inlet measures both outlets.
 *
 * <p>Usage: {@code LslFlatOut CONFIG NAME CHANNELS CHUNK SECONDS}
 */
public final class LslFlatOut {

    private LslFlatOut() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LslFlatOut CONFIG NAME CHANNELS CHUNK SECONDS");
            System.exit(2);
        }
        LslConfig cfg = LslConfig.fromFile(Path.of(args[0]));
        String name = args[1];
        int channels = Integer.parseInt(args[2]);
        int chunk = Integer.parseInt(args[3]);
        double seconds = Double.parseDouble(args[4]);
        float[] data = new float[chunk * channels];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.sin(i * 0.01);
        }
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "MEG", channels, 1000.0, ChannelFormat.FLOAT32,
                name), chunk, 1, cfg)) {
            if (!out.waitForConsumers(30)) {
                System.err.println("no consumer within 30 s");
                System.exit(1);
            }
            long pushed = 0;
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                out.pushChunk(data);
                pushed += chunk;
            }
            System.out.printf("lsl4j outlet pushed %d samples in %.2f s%n", pushed, (System.nanoTime() - t0) / 1e9);
        }
    }
}
