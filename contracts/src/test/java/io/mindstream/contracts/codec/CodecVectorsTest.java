package io.mindstream.contracts.codec;

import io.mindstream.contracts.SampleChunk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The committed vectors pin the wire format: any change to the bytes fails here (see {@link TestVectors}). */
class CodecVectorsTest {

    @BeforeAll
    static void regenerateIfAsked() throws IOException {
        if (Boolean.getBoolean("vectors.regenerate")) {
            TestVectors.write(TestVectors.DIR);
        }
    }

    static byte[] vector(String name) throws IOException {
        return Files.readAllBytes(TestVectors.DIR.resolve(name + ".bin"));
    }

    @Test
    void sampleChunk() throws IOException {
        SampleChunkCodec codec = new SampleChunkCodec();
        byte[] v = vector("sample-chunk");
        assertArrayEquals(v, codec.encode(TestVectors.sampleChunk()));
        assertEquals(TestVectors.sampleChunk(), codec.decode(v));
        assertEquals(v.length, codec.encodedSize(TestVectors.sampleChunk()));
    }

    /** MSC1 records (written before lost-before existed) still read, as chunks with nothing lost before them. */
    @Test
    void sampleChunkVersion1() throws IOException {
        SampleChunkCodec codec = new SampleChunkCodec();
        SampleChunk expected = TestVectors.sampleChunk();
        expected = new SampleChunk(expected.session(), expected.streamId(), expected.kind(), expected.format(),
                expected.totalChannels(), expected.channelOffset(), expected.channelCount(), expected.nominalRate(),
                expected.firstSequence(), 0, expected.timestamps(), expected.values(), expected.trace());
        assertEquals(expected, codec.decode(vector("sample-chunk-v1")));
    }

    @Test
    void marker() throws IOException {
        MarkerCodec codec = new MarkerCodec();
        byte[] v = vector("marker");
        assertArrayEquals(v, codec.encode(TestVectors.marker()));
        assertEquals(TestVectors.marker(), codec.decode(v));
    }

    @Test
    void epoch() throws IOException {
        EpochCodec codec = new EpochCodec();
        byte[] v = vector("epoch");
        assertArrayEquals(v, codec.encode(TestVectors.epoch()));
        assertEquals(TestVectors.epoch(), codec.decode(v));
    }

    @Test
    void decodeResult() throws IOException {
        DecodeResultCodec codec = new DecodeResultCodec();
        byte[] v = vector("decode-result");
        assertArrayEquals(v, codec.encode(TestVectors.decodeResult()));
        assertEquals(TestVectors.decodeResult(), codec.decode(v));
    }
}
