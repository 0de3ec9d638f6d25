package io.mindstream.contracts.codec;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Properties of all four codecs: exact round trips, and that no corruption of a valid record (truncation, corrupted
 * counts and lengths, random byte flips) ends in anything but a {@link RecordFormatException} or a genuine record
 * (one that re-encodes to exactly the bytes it was decoded from).
 */
class CodecPropertiesTest {

    /** A codec, a random valid record of its type, and that record's encoding. */
    record Case<T>(RecordCodec<T> codec, T record, byte[] bytes) {
        static <T> Case<T> of(RecordCodec<T> codec, T record) {
            return new Case<>(codec, record, codec.encode(record));
        }

        @Override
        public String toString() {
            return codec.recordType() + " " + record + " (" + bytes.length + " bytes)";
        }
    }

    private static final List<Function<Random, Case<?>>> MAKERS = List.of(
            r -> Case.of(new SampleChunkCodec(), RandomRecords.sampleChunk(r)),
            r -> Case.of(new MarkerCodec(), RandomRecords.marker(r)),
            r -> Case.of(new EpochCodec(), RandomRecords.epoch(r)),
            r -> Case.of(new DecodeResultCodec(), RandomRecords.decodeResult(r)));

    @Provide
    Arbitrary<Case<?>> cases() {
        return Arbitraries.randomValue(r -> MAKERS.get(r.nextInt(MAKERS.size())).apply(r));
    }

    @Property(tries = 400)
    <T> void roundTripsExactly(@ForAll("cases") Case<T> c) {
        RecordCodec<T> codec = c.codec();
        assertEquals(c.bytes().length, codec.encodedSize(c.record()));
        T back = codec.decode(c.bytes());
        assertEquals(c.record(), back);
        // bit-exact: NaN payloads and -0 survive (equals() alone would treat all NaNs as one)
        assertArrayEquals(c.bytes(), codec.encode(back));
        assertRawBitsEqual(c.record(), back);

        // the ByteBuffer path: a direct, big-endian-ordered buffer at an offset gives the same bytes, and its
        // order and the bytes around the record are left alone
        ByteBuffer direct = ByteBuffer.allocateDirect(c.bytes().length + 10).order(ByteOrder.BIG_ENDIAN);
        direct.position(7);
        codec.encode(c.record(), direct);
        assertEquals(7 + c.bytes().length, direct.position());
        assertEquals(ByteOrder.BIG_ENDIAN, direct.order());
        byte[] copy = new byte[c.bytes().length];
        direct.get(7, copy);
        assertArrayEquals(c.bytes(), copy);
        ByteBuffer view = direct.duplicate().position(7).limit(7 + c.bytes().length);
        assertEquals(c.record(), codec.decode(view));
        assertEquals(view.limit(), view.position());
        // Kafka may hand the deserializer a read-only view of its fetch buffer
        assertEquals(c.record(), codec.decode(ByteBuffer.wrap(c.bytes()).asReadOnlyBuffer()));
    }

    @Property(tries = 120)
    void everyTruncationIsRejected(@ForAll("cases") Case<?> c) {
        for (int len = 0; len < c.bytes().length; len++) {
            byte[] prefix = Arrays.copyOf(c.bytes(), len);
            RecordFormatException e = assertThrows(RecordFormatException.class, () -> c.codec().decode(prefix),
                    "prefix of " + len + " bytes");
            assertEquals(c.codec().recordType(), e.recordType());
            assertTrue(e.offset() >= 0 && e.offset() <= len, e.getMessage());
            assertTrue(e.getMessage().startsWith(c.codec().recordType() + " record, byte " + e.offset() + ": "));
        }
        byte[] longer = Arrays.copyOf(c.bytes(), c.bytes().length + 1);
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> c.codec().decode(longer));
        assertTrue(e.getMessage().contains("1 unexpected trailing bytes"), e.getMessage());
    }

    @Property(tries = 200)
    void corruptedCountsAndLengthsAreRejectedCleanly(@ForAll("cases") Case<?> c) {
        for (int[] field : Layout.countFields(c.codec().recordType(), c.bytes())) {
            int at = field[0];
            int width = field[1];
            long original = Layout.get(c.bytes(), at, width);
            long max = width == 4 ? 0xFFFFFFFFL : width == 2 ? 0xFFFFL : 0xFFL;
            long[] values = {max, max - 1, max >>> 1, (max >>> 1) + 1, original + 1, original - 1, original + 7,
                    original == 0 ? 1 : 0, 0x10000L & max};
            for (long v : values) {
                if ((v & max) == original) {
                    continue;
                }
                byte[] bad = c.bytes().clone();
                Layout.put(bad, at, width, v & max);
                assertRejectedOrGenuine(c.codec(), bad, "field at " + at + " set to " + (v & max));
            }
            // a size far beyond the record is always an error, never an allocation
            if (width == 4 && field[2] == 1) {
                byte[] bad = c.bytes().clone();
                Layout.put(bad, at, width, 0x7FFFFFFFL);
                assertThrows(RecordFormatException.class, () -> c.codec().decode(bad));
            }
        }
    }

    @Property(tries = 300)
    void randomByteFlipsNeverThrowAnythingElse(@ForAll("cases") Case<?> c, @ForAll @IntRange(min = 1, max = 4) int flips,
                                               @ForAll("randoms") Random rnd) {
        byte[] bad = c.bytes().clone();
        for (int i = 0; i < flips; i++) {
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
        }
        assertRejectedOrGenuine(c.codec(), bad, "flipped bytes");
    }

    @Property(tries = 100)
    void randomGarbageAfterAValidMagicIsRejectedOrGenuine(@ForAll("cases") Case<?> c, @ForAll("randoms") Random rnd) {
        byte[] bad = new byte[rnd.nextInt(c.bytes().length + 8)];
        rnd.nextBytes(bad);
        System.arraycopy(c.bytes(), 0, bad, 0, Math.min(4, bad.length));
        assertRejectedOrGenuine(c.codec(), bad, "garbage");
    }

    @Provide
    Arbitrary<Random> randoms() {
        return Arbitraries.randoms();
    }

    private static <T> void assertRejectedOrGenuine(RecordCodec<T> codec, byte[] bytes, String what) {
        T decoded;
        try {
            decoded = codec.decode(bytes);
        } catch (RecordFormatException e) {
            assertEquals(codec.recordType(), e.recordType());
            return;
        } catch (Throwable t) {
            throw new AssertionError(what + ": decode threw " + t + " instead of RecordFormatException", t);
        }
        // accepted: then it must be a real record that is exactly what these bytes say. The one allowed difference
        // is the documented trace rule: a stage count other than ours is read as an older writer's (missing stages
        // are 0) or a newer writer's (extra stamps skipped), so re-encoding normalizes the trace.
        byte[] re = codec.encode(decoded);
        if (Arrays.equals(bytes, re)) {
            return;
        }
        int known = Stage.values().length;
        int traceAt = re.length - (1 + 8 * known);
        int stages = traceAt < bytes.length ? bytes[traceAt] & 0xff : -1;
        boolean sameBody = Arrays.equals(bytes, 0, traceAt, re, 0, traceAt);
        boolean traceConsistent = stages >= 0 && bytes.length == traceAt + 1 + 8L * stages;
        for (int i = 0; traceConsistent && i < known; i++) {
            long ours = Layout.get(re, traceAt + 1 + 8 * i, 8);
            long theirs = i < stages ? Layout.get(bytes, traceAt + 1 + 8 * i, 8) : 0;
            traceConsistent = ours == theirs;
        }
        if (!sameBody || !traceConsistent) {
            fail(what + ": accepted bytes that do not re-encode to the same record: " + decoded);
        }
    }

    private static void assertRawBitsEqual(Object a, Object b) {
        if (a instanceof SampleChunk x && b instanceof SampleChunk y) {
            for (int i = 0; i < x.timestamps().length; i++) {
                assertEquals(Double.doubleToRawLongBits(x.timestamps()[i]), Double.doubleToRawLongBits(y.timestamps()[i]));
            }
            assertEquals(Double.doubleToRawLongBits(x.nominalRate()), Double.doubleToRawLongBits(y.nominalRate()));
        } else if (a instanceof Epoch x && b instanceof Epoch y) {
            for (int i = 0; i < x.data().length; i++) {
                assertEquals(Float.floatToRawIntBits(x.data()[i]), Float.floatToRawIntBits(y.data()[i]));
            }
        } else if (a instanceof DecodeResult x && b instanceof DecodeResult y) {
            for (int i = 0; i < x.embedding().length; i++) {
                assertEquals(Float.floatToRawIntBits(x.embedding()[i]), Float.floatToRawIntBits(y.embedding()[i]));
            }
            for (int i = 0; i < x.topK().size(); i++) {
                assertEquals(Float.floatToRawIntBits(x.topK().get(i).score()),
                        Float.floatToRawIntBits(y.topK().get(i).score()));
            }
        }
    }

    /**
     * An independent reading of docs/contracts.md: where each record's counts and lengths are, as {offset, width,
     * sizing} triples (u32 counts, u16 string lengths, the u8 trace stage count; sizing = 1 when the field decides
     * how many bytes follow).
     */
    static final class Layout {
        private static final int TRACE = 1 + 8 * Stage.values().length;

        static List<int[]> countFields(String type, byte[] b) {
            List<int[]> out = new ArrayList<>();
            int p;
            switch (type) {
                case "SampleChunk" -> {
                    out.add(new int[] {6, 4, 0});   // total channels: a range bound, not a size
                    out.add(new int[] {10, 4, 0});  // channel offset: likewise
                    out.add(new int[] {14, 4, 1});
                    out.add(new int[] {18, 4, 1});
                    strings(b, 38, 2, out);
                }
                case "Marker" -> strings(b, 25, 4, out);
                case "Epoch" -> {
                    out.add(new int[] {55, 4, 1});
                    out.add(new int[] {59, 4, 1});
                    strings(b, 63, 6, out);
                }
                case "DecodeResult" -> {
                    out.add(new int[] {30, 4, 1});
                    out.add(new int[] {34, 4, 1});
                    p = strings(b, 38, 5, out);
                    p += 4 * (int) get(b, 30, 4);
                    for (int k = (int) get(b, 34, 4); k > 0; k--) {
                        p = strings(b, p, 1, out) + 4;
                    }
                }
                default -> throw new IllegalArgumentException(type);
            }
            out.add(new int[] {b.length - TRACE, 1, 1});
            return out;
        }

        private static int strings(byte[] b, int p, int n, List<int[]> out) {
            for (int i = 0; i < n; i++) {
                out.add(new int[] {p, 2, 1});
                int len = (int) get(b, p, 2);
                p += 2 + (len == 0xFFFF ? 0 : len);
            }
            return p;
        }

        static long get(byte[] b, int at, int width) {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = (v << 8) | (b[at + i] & 0xff);
            }
            return v;
        }

        static void put(byte[] b, int at, int width, long v) {
            for (int i = 0; i < width; i++) {
                b[at + i] = (byte) (v >>> (8 * i));
            }
        }
    }
}
