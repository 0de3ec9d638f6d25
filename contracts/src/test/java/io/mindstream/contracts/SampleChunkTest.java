package io.mindstream.contracts;

import org.junit.jupiter.api.Test;

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
                channelCount, 1200, 0, new double[0], new byte[0], TraceStamps.empty());
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
}
