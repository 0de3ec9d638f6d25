package io.mindstream.contracts;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumeAssemblerTest {

    static SampleChunk part(String session, String stream, long volume, int offset, int count, int total, float base) {
        ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putFloat(base + offset + i);
        }
        return new SampleChunk(session, stream, StreamKind.FMRI, ChannelFormat.FLOAT32, total, offset, count, 0.5,
                volume, 0, new double[]{100 + 2.0 * volume}, b.array(), TraceStamps.empty());
    }

    @Test
    void volumePartsAreReassembledInAnyOrderAndDuplicatesIgnored() {
        VolumeAssembler a = new VolumeAssembler(4);
        assertTrue(a.accept(part("s", "bold", 0, 6, 4, 10, 0)).isEmpty());
        assertTrue(a.accept(part("s", "bold", 0, 6, 4, 10, 0)).isEmpty()); // duplicate
        assertTrue(a.accept(part("s", "bold", 1, 0, 6, 10, 100)).isEmpty()); // next volume started
        Optional<SampleChunk> whole = a.accept(part("s", "bold", 0, 0, 6, 10, 0));
        assertTrue(whole.isPresent());
        assertTrue(whole.get().isWhole());
        for (int c = 0; c < 10; c++) {
            assertEquals(c, whole.get().value(0, c));
        }
        assertThrows(IllegalArgumentException.class, () -> a.accept(part("s", "bold", 1, 6, 4, 12, 100)));
        assertEquals(1, a.pending());
    }

    @Test
    void streamsAndSessionsWithTheSameSequenceAreKeptApart() {
        VolumeAssembler a = new VolumeAssembler(4);
        assertTrue(a.accept(part("s1", "bold", 0, 0, 5, 10, 0)).isEmpty());
        assertTrue(a.accept(part("s2", "bold", 0, 0, 5, 10, 50)).isEmpty());
        assertTrue(a.accept(part("s1", "asl", 0, 5, 5, 10, 70)).isEmpty());
        SampleChunk s2 = a.accept(part("s2", "bold", 0, 5, 5, 10, 50)).orElseThrow();
        assertEquals("s2", s2.session());
        assertEquals(50 + 7, s2.value(0, 7));
        assertEquals(2, a.pending());
    }

    @Test
    void anIncompleteVolumeIsGivenUpOnceAVolumeMoreThanMaxLagLaterStarts() {
        VolumeAssembler a = new VolumeAssembler(2);
        assertTrue(a.accept(part("s", "bold", 0, 0, 5, 10, 0)).isEmpty()); // its other half is lost
        for (long v = 1; v <= 2; v++) {
            a.accept(part("s", "bold", v, 0, 5, 10, 0));
            assertTrue(a.accept(part("s", "bold", v, 5, 5, 10, 0)).isPresent());
        }
        assertEquals(0, a.dropped(), "volume 0 is only 2 behind");
        a.accept(part("s", "other", 9, 0, 5, 10, 0)); // another stream does not push it out
        assertEquals(0, a.dropped());
        a.accept(part("s", "bold", 3, 0, 5, 10, 0));
        assertEquals(1, a.dropped());
        assertEquals(2, a.pending(), "volume 3 of bold and volume 9 of other");
        // a late slice of the given-up volume opens it afresh: it is not mistaken for a complete one
        assertTrue(a.accept(part("s", "bold", 0, 5, 5, 10, 0)).isEmpty());
    }
}
