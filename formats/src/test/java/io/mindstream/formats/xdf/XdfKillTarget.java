package io.mindstream.formats.xdf;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link XdfWriterTest}: writes a deterministic float32 stream and a marker stream to an XDF
 * file forever, printing "chunk N" after each samples chunk, until the test kills it with SIGKILL.
 */
public final class XdfKillTarget {

    static final int CHANNELS = 4;
    static final int PER_CHUNK = 7;

    private XdfKillTarget() {
    }

    static float value(long sample, int channel) {
        return (float) Math.sin(sample * 0.01 + channel) * (channel + 1);
    }

    static double stamp(long sample) {
        return 1000.0 + sample / 100.0;
    }

    public static void main(String[] args) throws Exception {
        XdfWriter w = XdfWriter.create(Path.of(args[0]));
        w.streamHeader(1, XdfWriterTest.header("killed", "EEG", CHANNELS, 100, "float32"));
        w.streamHeader(2, XdfWriterTest.header("killed-markers", "Markers", 1, 0, "string"));
        long sample = 0;
        for (int chunk = 0; ; chunk++) {
            double[] ts = new double[PER_CHUNK];
            float[] v = new float[PER_CHUNK * CHANNELS];
            for (int i = 0; i < PER_CHUNK; i++, sample++) {
                ts[i] = stamp(sample);
                for (int c = 0; c < CHANNELS; c++) {
                    v[i * CHANNELS + c] = value(sample, c);
                }
            }
            w.samples(1, ts, v);
            w.samples(2, new double[]{ts[0]}, new String[]{"chunk " + chunk});
            if (chunk % 10 == 0) {
                w.clockOffset(1, ts[0], 0.0);
                w.boundary();
            }
            System.out.println("chunk " + chunk);
            System.out.flush();
            Thread.sleep(2);
        }
    }
}
