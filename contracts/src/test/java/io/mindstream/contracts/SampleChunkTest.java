package io.mindstream.contracts;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record's own invariants: the channel slice must lie inside the stream, whatever the int values. */
class SampleChunkTest {

    private static final int MAX = Integer.MAX_VALUE;

    /** A chunk with no samples (so no values to allocate) and the given channel range. */
    private static SampleChunk chunk(int totalChannels, int channelOffset, int channelCount) {
        return new SampleChunk("s", "meg", StreamKind.MEG, ChannelFormat.FLOAT32, totalChannels, channelOffset,
                channelCount, 1200, 0, 0, new double[0], new byte[0], TraceStamps.empty());
    }

    private static void rejected(int totalChannels, int channelOffset, int channelCount) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chunk(totalChannels, channelOffset, channelCount),
                "offset " + channelOffset + " count " + channelCount + " of " + totalChannels);
        assertEquals("bad channel range: offset " + channelOffset + " count " + channelCount + " of "
                + totalChannels, e.getMessage());
    }

    @Test
    void channelRangesWhoseEndOverflowsIntAreRejected() {
        // offset + count wraps to a negative int here, which an int comparison would take as inside the stream
        rejected(5, MAX, 1);
        rejected(MAX, MAX, 1);
        rejected(MAX, 1, MAX);
        rejected(MAX, MAX, MAX);
        rejected(1, MAX / 2 + 1, MAX / 2 + 1);
    }

    @Test
    void channelRangesAreCheckedAtTheBoundary() {
        SampleChunk last = chunk(MAX, MAX - 1, 1);
        assertEquals(MAX - 1, last.channelOffset());
        assertFalse(last.isWhole());
        assertTrue(chunk(MAX, 0, MAX).isWhole());
        assertTrue(chunk(4, 0, 4).isWhole());
        chunk(4, 3, 1);
        rejected(4, 3, 2);
        rejected(4, 4, 1);
        rejected(4, -1, 2);
        rejected(4, 0, 0);
        rejected(4, 0, -1);
        rejected(0, 0, 1);
    }

    /** value() and copyFloats() read every numeric format little-endian, sample-major, converted to float. */
    @Test
    void valuesOfEveryNumericFormatReadBackConverted() {
        long[] raw = {0, 1, -1, 127, -128, 300, -32768, 70_000};
        for (ChannelFormat f : ChannelFormat.values()) {
            if (!f.isNumeric()) {
                continue;
            }
            int channels = 2;
            int samples = raw.length / channels;
            ByteBuffer b = ByteBuffer.allocate(raw.length * f.bytesPerValue()).order(ByteOrder.LITTLE_ENDIAN);
            float[] expected = new float[raw.length];
            for (int k = 0; k < raw.length; k++) {
                switch (f) {
                    case FLOAT32 -> { b.putFloat(raw[k] + 0.25f); expected[k] = raw[k] + 0.25f; }
                    case DOUBLE64 -> { b.putDouble(raw[k] + 0.5); expected[k] = (float) (raw[k] + 0.5); }
                    case INT32 -> { b.putInt((int) raw[k]); expected[k] = (int) raw[k]; }
                    case INT16 -> { b.putShort((short) raw[k]); expected[k] = (short) raw[k]; }
                    case INT8 -> { b.put((byte) raw[k]); expected[k] = (byte) raw[k]; }
                    case INT64 -> { b.putLong(raw[k] << 20); expected[k] = raw[k] << 20; }
                    default -> throw new AssertionError(f);
                }
            }
            SampleChunk c = new SampleChunk("s", "x", StreamKind.OTHER, f, channels, 0, channels, 100, 0, 0,
                    new double[samples], b.array(), TraceStamps.empty());
            float[] copied = new float[raw.length + 1];
            c.copyFloats(copied, 1);
            for (int s = 0; s < samples; s++) {
                for (int ch = 0; ch < channels; ch++) {
                    int k = s * channels + ch;
                    assertEquals(expected[k], c.value(s, ch), f + " sample " + s + " channel " + ch);
                    assertEquals(expected[k], copied[k + 1], f + " copyFloats at " + k);
                }
            }
        }
    }
}
