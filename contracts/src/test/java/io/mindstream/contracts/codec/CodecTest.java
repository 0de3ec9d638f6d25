package io.mindstream.contracts.codec;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Specific malformed inputs and their messages; the random ones are in {@link CodecPropertiesTest}. */
class CodecTest {

    private final SampleChunkCodec chunks = new SampleChunkCodec();
    private final MarkerCodec markers = new MarkerCodec();
    private final EpochCodec epochs = new EpochCodec();
    private final DecodeResultCodec results = new DecodeResultCodec();

    private static RecordFormatException rejected(RecordCodec<?> codec, byte[] bytes, long offset, String problem) {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> codec.decode(bytes));
        assertEquals(codec.recordType() + " record, byte " + offset + ": " + e.problem(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.problem().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
        return e;
    }

    private static byte[] with(byte[] b, int at, int... bytes) {
        byte[] c = b.clone();
        for (int i = 0; i < bytes.length; i++) {
            c[at + i] = (byte) bytes[i];
        }
        return c;
    }

    @Test
    void magicErrorsSayWhatTheBytesAre() {
        byte[] chunk = chunks.encode(TestVectors.sampleChunk());
        rejected(chunks, new byte[0], 0, "truncated: 0 bytes, shorter than the 4-byte magic");
        rejected(chunks, with(chunk, 0, 'X'), 0, "bad magic 58 53 43 32: not a mindstream record");
        rejected(chunks, markers.encode(TestVectors.marker()), 2, "this is a Marker record, not a SampleChunk");
        rejected(epochs, results.encode(TestVectors.decodeResult()), 2, "this is a DecodeResult record, not a Epoch");
        rejected(chunks, with(chunk, 2, 'Z'), 2, "unknown record type byte 5a");
        rejected(chunks, with(chunk, 3, '3'), 3, "format version byte 33 is not supported (this build reads versions '1' to '2')");
        rejected(markers, with(markers.encode(TestVectors.marker()), 3, '2'), 3,
                "format version byte 32 is not supported (this build reads version '1')");
        // a negative lost-before count (i64 at 38) is corrupt
        rejected(chunks, with(chunk, 45, 0x80), 38, "lost before is");
    }

    @Test
    void enumCodesAndRangesAreValidated() {
        byte[] chunk = chunks.encode(TestVectors.sampleChunk());
        rejected(chunks, with(chunk, 4, 5), 4, "unknown stream kind code 5");
        rejected(chunks, with(chunk, 5, 9), 5, "unknown channel format code 9");
        rejected(chunks, with(chunk, 5, 3), 5, "channel format STRING cannot be carried");
        rejected(chunks, with(chunk, 6, 0, 0, 0, 0), 6, "total channel count 0 out of range [1, 2147483647]");
        rejected(chunks, with(chunk, 10, 1), 14, "channels 1 + 4 exceed the stream's 4");
        rejected(chunks, with(chunk, 10, 0xff, 0xff, 0xff, 0x7f), 14, "channels 2147483647 + 4 exceed the stream's 4");
        rejected(chunks, with(chunk, 14, 0), 14, "channel count 0 out of range");
        rejected(chunks, with(chunk, 18, 0xff, 0xff, 0xff, 0xff), 18, "sample count 4294967295 out of range");
        rejected(chunks, with(chunk, 18, 0, 0, 0, 0x7f), 69, "timestamps needs 2130706432 × 8 bytes");
        byte[] epoch = epochs.encode(TestVectors.epoch());
        rejected(epochs, with(epoch, 5, 4), 5, "unknown trigger kind code 4");
        rejected(epochs, with(epoch, 6, 2), 6, "trigger flags 0x02 has unknown bits set");
        rejected(epochs, with(epoch, 51, 1), 51, "trigger code is 1 but the flags say there is none");
        rejected(epochs, with(epoch, 55, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f), 195,
                "data (2147483647 × 2147483647 float32) needs 4611686014132420609 × 4 bytes");
    }

    @Test
    void stringsAreStrictUtf8AndRequiredOnesNonNull() {
        byte[] chunk = chunks.encode(TestVectors.sampleChunk());
        // session is at 46: u16 length 12 then "sub-01/run-1"
        rejected(chunks, with(chunk, 48, 0xC3, 0x28), 48, "session is not valid UTF-8");
        rejected(chunks, with(chunk, 48, 0xED, 0xA0, 0x80), 48, "session is not valid UTF-8"); // encoded surrogate
        rejected(chunks, with(chunk, 48, 0xC0, 0xAF), 48, "session is not valid UTF-8");      // overlong '/'
        rejected(chunks, with(chunk, 46, 0xff, 0xff), 46, "session is null but is required");
        byte[] marker = markers.encode(TestVectors.marker());
        rejected(markers, with(marker, 20, 0), 21, "code is 42 but the flags say there is none");
        Marker noCode = new Marker("s", "m", 1, 2.0, null, 5, null, TraceStamps.empty());
        byte[] m = markers.encode(noCode);
        assertEquals(noCode, markers.decode(m));
        rejected(markers, with(m, 20, 0, 0, 0, 0, 0), 31, "marker has neither a label nor a code");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] r = results.encode(TestVectors.decodeResult());
        byte[] longer = Arrays.copyOf(r, r.length + 3);
        rejected(results, longer, r.length, "3 unexpected trailing bytes");
    }

    @Test
    void traceFromANewerWriterKeepsKnownStagesAndSkipsTheRest() {
        // a writer that knows two more stages appends their stamps; we keep ours and skip theirs
        Marker m = TestVectors.marker();
        byte[] ours = markers.encode(m);
        int traceAt = ours.length - (1 + 8 * Stage.values().length);
        ByteBuffer newer = ByteBuffer.allocate(ours.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        newer.put(ours, 0, traceAt).put((byte) (Stage.values().length + 2)).put(ours, traceAt + 1, ours.length - traceAt - 1)
                .putLong(111).putLong(222);
        assertEquals(m, markers.decode(newer.array()));
        // a writer that knew only three stages: the rest read as "not reached"
        ByteBuffer older = ByteBuffer.allocate(traceAt + 1 + 24).order(ByteOrder.LITTLE_ENDIAN);
        older.put(ours, 0, traceAt).put((byte) 3).putLong(1).putLong(2).putLong(3);
        Marker back = markers.decode(older.array());
        assertEquals(3, back.trace().get(Stage.JOURNALED));
        assertEquals(0, back.trace().get(Stage.PRODUCED));
        assertEquals(m.label(), back.label());
    }

    @Test
    void unencodableRecordsAreReportedNotTruncated() {
        String tooLong = "x".repeat(0xFFFF);
        Marker m = new Marker("s", "m", 1, 0, tooLong, null, null, TraceStamps.empty());
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> markers.encode(m));
        assertEquals("Marker record cannot be encoded: label is 65535 UTF-8 bytes, at most 65534 fit", e.getMessage());
        assertEquals(-1, e.offset());
        Marker fits = new Marker("s", "m", 1, 0, "é".repeat(0x7FFF), null, null, TraceStamps.empty());
        assertEquals(fits, markers.decode(markers.encode(fits)));
        Marker surrogate = new Marker("s", "m", 1, 0, "a\uD800b", null, null, TraceStamps.empty());
        e = assertThrows(RecordFormatException.class, () -> markers.encode(surrogate));
        assertTrue(e.getMessage().contains("label holds an unpaired UTF-16 surrogate at char 1"), e.getMessage());
    }

    @Test
    void encodeIntoATooSmallBufferWritesNothing() {
        byte[] dst = new byte[50];
        ByteBuffer b = ByteBuffer.wrap(dst);
        var e = assertThrows(IllegalArgumentException.class, () -> chunks.encode(TestVectors.sampleChunk(), b));
        assertEquals("SampleChunk needs 214 bytes, buffer has 50 remaining", e.getMessage());
        assertEquals(0, b.position());
        assertArrayEquals(new byte[50], dst);
    }

    @Test
    void failedDecodeLeavesTheBufferPosition() {
        byte[] bad = with(chunks.encode(TestVectors.sampleChunk()), 4, 9);
        ByteBuffer b = ByteBuffer.wrap(bad);
        assertThrows(RecordFormatException.class, () -> chunks.decode(b));
        assertEquals(0, b.position());
    }

    @Test
    void everyNumericFormatRoundTripsAndConvertsToFloat() {
        for (ChannelFormat f : ChannelFormat.values()) {
            if (!f.isNumeric()) {
                continue;
            }
            ByteBuffer v = ByteBuffer.allocate(2 * 3 * f.bytesPerValue()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 6; i++) {
                switch (f) {
                    case FLOAT32 -> v.putFloat(i - 2.5f);
                    case DOUBLE64 -> v.putDouble(i - 2.5);
                    case INT32 -> v.putInt(i - 2);
                    case INT16 -> v.putShort((short) (i - 2));
                    case INT8 -> v.put((byte) (i - 2));
                    case INT64 -> v.putLong(i - 2);
                    default -> throw new IllegalStateException();
                }
            }
            SampleChunk c = new SampleChunk("s", "eeg", StreamKind.EEG, f, 5, 1, 3, 500, 9, 0, new double[] {1, 2},
                    v.array(), TraceStamps.empty().withNow(Stage.INGESTED));
            SampleChunk back = chunks.decode(chunks.encode(c));
            assertEquals(c, back);
            assertEquals(c.value(1, 2), back.value(1, 2));
        }
    }

    @Test
    void epochAndResultWithNullOptionalsRoundTrip() {
        Epoch e = TestVectors.epoch();
        Epoch window = new Epoch(e.session(), "w/1", e.streamId(), StreamKind.FMRI,
                new io.mindstream.contracts.Trigger(io.mindstream.contracts.TriggerKind.FMRI_TR, 5, 1, null, null, null),
                0, 1, 0.5, 1, 1, new float[] {Float.NaN}, "", -1, TraceStamps.empty());
        assertEquals(window, epochs.decode(epochs.encode(window)));
        DecodeResult d = new DecodeResult("s", "w/1", window.trigger(), new float[0], List.of(), "m", 0,
                TraceStamps.empty());
        assertEquals(d, results.decode(results.encode(d)));
    }

    @Test
    void serdesMapNullToNullAndDecodeFromByteBuffers() {
        var serde = ContractSerdes.epoch();
        assertNull(serde.serializer().serialize("epochs", null));
        assertNull(serde.deserializer().deserialize("epochs", null));
        byte[] bytes = serde.serializer().serialize("epochs", TestVectors.epoch());
        assertArrayEquals(new EpochCodec().encode(TestVectors.epoch()), bytes);
        ByteBuffer inFetchBuffer = ByteBuffer.allocate(bytes.length + 20).position(10);
        inFetchBuffer.put(bytes).flip().position(10);
        assertEquals(TestVectors.epoch(), serde.deserializer().deserialize("epochs", null, inFetchBuffer));
        assertEquals(TestVectors.sampleChunk(),
                ContractSerdes.sampleChunk().deserializer().deserialize("raw.meg",
                        ContractSerdes.sampleChunk().serializer().serialize("raw.meg", TestVectors.sampleChunk())));
        assertEquals(TestVectors.marker(), ContractSerdes.marker().deserializer().deserialize("raw.markers",
                ContractSerdes.marker().serializer().serialize("raw.markers", TestVectors.marker())));
        assertEquals(TestVectors.decodeResult(), ContractSerdes.decodeResult().deserializer().deserialize("results",
                ContractSerdes.decodeResult().serializer().serialize("results", TestVectors.decodeResult())));
        var e = assertThrows(org.apache.kafka.common.errors.SerializationException.class,
                () -> ContractSerdes.marker().deserializer().deserialize("raw.markers", bytes));
        assertTrue(e.getMessage().contains("this is a Epoch record, not a Marker"), e.getMessage());
    }

    @Test
    void everyTopicHasItsSerdeAndKeysAreUtf8Sessions() {
        for (var spec : io.mindstream.contracts.Topics.defaults()) {
            var serde = ContractSerdes.forTopic(spec.name());
            assertTrue(serde instanceof RecordSerde<?>, spec.name());
        }
        assertEquals("SampleChunk", ((RecordSerde<?>) ContractSerdes.forTopic("raw.fmri")).codec().recordType());
        assertEquals("Epoch", ((RecordSerde<?>) ContractSerdes.forTopic("windows")).codec().recordType());
        assertThrows(IllegalArgumentException.class, () -> ContractSerdes.forTopic("nope"));
        byte[] key = ContractSerdes.sessionKey().serializer().serialize("epochs", "sub-01/ü");
        assertArrayEquals("sub-01/ü".getBytes(java.nio.charset.StandardCharsets.UTF_8), key);
    }

    @Test
    void streamDescriptionsRoundTripPastTheU16StringLimitAndDamageIsNamed() {
        StreamDescriptionCodec codec = new StreamDescriptionCodec();
        // a 306-channel MEG description with locations is far beyond a u16 string's 65,534 bytes
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<info><desc><channels>");
        for (int c = 0; c < 306; c++) {
            xml.append("<channel><label>MEG ").append(c).append("</label><type>grad</type><unit>T/m</unit>")
                    .append("<coil_type>3012</coil_type><cal>3.1e-13</cal><range>1.0</range>")
                    .append("<loc>-0.0105867 0.0785129 0.0496284 -0.9998 0.0132 0.0107 0.0126 0.2338 -0.9722 ")
                    .append("-0.0104 0.9721 0.2339</loc><note>µ ü</note></channel>");
        }
        xml.append("</channels></desc></info>\n");
        StreamDescription d = new StreamDescription("sub-01", "meg-amp", StreamKind.MEG, 4096, xml.toString(),
                TraceStamps.empty().withNow(Stage.JOURNALED));
        byte[] bytes = codec.encode(d);
        assertTrue(bytes.length > 0xFFFF, bytes.length + " bytes");
        assertEquals(d, codec.decode(bytes));
        assertEquals("MSD1", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("StreamDescription", ((RecordSerde<?>) ContractSerdes.forTopic("raw.streams")).codec()
                .recordType());

        byte[] small = codec.encode(new StreamDescription("s", "x", StreamKind.EEG, 0, "<info/>",
                TraceStamps.empty()));
        rejected(codec, with(small, 4, 9), 4, "unknown stream kind code 9");
        // magic 4, kind 1, fromSequence 8, "s" 3, "x" 3, xml length 4 at 19: the xml's 7 bytes start at 23
        rejected(codec, java.util.Arrays.copyOf(small, 26), 23, "xml needs 7 bytes, 3 left");
        rejected(markers, small, 2, "this is a StreamDescription record, not a Marker");
    }
}
