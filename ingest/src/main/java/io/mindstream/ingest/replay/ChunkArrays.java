package io.mindstream.ingest.replay;

import io.mindstream.contracts.SampleChunk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A chunk's values as a Java array of its own format, as LSL outlets and XDF writers take them. */
public final class ChunkArrays {

    private ChunkArrays() {
    }

    /**
     * The values, sample-major, in a new {@code float[]}, {@code double[]}, {@code int[]}, {@code short[]},
     * {@code byte[]} (int8) or {@code long[]} by the chunk's format.
     */
    public static Object values(SampleChunk c) {
        ByteBuffer b = ByteBuffer.wrap(c.values()).order(ByteOrder.LITTLE_ENDIAN);
        int n = c.sampleCount() * c.channelCount();
        return switch (c.format()) {
            case FLOAT32 -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield v;
            }
            case DOUBLE64 -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield v;
            }
            case INT32 -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                yield v;
            }
            case INT16 -> {
                short[] v = new short[n];
                b.asShortBuffer().get(v);
                yield v;
            }
            case INT8 -> c.values().clone();
            case INT64 -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                yield v;
            }
            case STRING -> throw new IllegalStateException("string chunk: strings travel as markers");
        };
    }
}
