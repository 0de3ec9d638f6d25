package io.mindstream.contracts.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.bank.PythonInterop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docs/examples/read_chunk.py (the snippet in docs/contracts.md) really decodes our chunks. */
class PythonReaderTest {

    static final Path SCRIPT = Path.of("../docs/examples/read_chunk.py");

    @TempDir
    Path tmp;

    @BeforeEach
    void needsNumpy() {
        assumeTrue(PythonInterop.numpyAvailable(),
                "skipped: /usr/bin/python3 with numpy is not installed (apt-get install python3-numpy)");
    }

    private JsonNode read(Path file) throws IOException {
        PythonInterop.Result r = PythonInterop.run(List.of(SCRIPT.toString(), file.toString()));
        assertEquals(0, r.exitCode(), r.output());
        return new ObjectMapper().readTree(r.output());
    }

    private static void assertMatches(SampleChunk c, JsonNode n) {
        assertEquals(c.session(), n.get("session").textValue());
        assertEquals(c.streamId(), n.get("streamId").textValue());
        assertEquals(c.kind().name(), n.get("kind").textValue());
        assertEquals(c.totalChannels(), n.get("totalChannels").intValue());
        assertEquals(c.channelOffset(), n.get("channelOffset").intValue());
        assertEquals(c.nominalRate(), n.get("nominalRate").doubleValue());
        assertEquals(c.firstSequence(), n.get("firstSequence").longValue());
        assertEquals(List.of(c.sampleCount(), c.channelCount()),
                List.of(n.get("shape").get(0).intValue(), n.get("shape").get(1).intValue()));
        for (int s = 0; s < c.sampleCount(); s++) {
            assertEquals(c.timestamps()[s], n.get("timestamps").get(s).doubleValue());
            for (int ch = 0; ch < c.channelCount(); ch++) {
                assertEquals(c.value(s, ch), n.get("values").get(s * c.channelCount() + ch).floatValue());
            }
        }
        for (Stage st : Stage.values()) {
            assertEquals(c.trace().get(st), n.get("trace").get(st.name()).longValue());
        }
    }

    @Test
    void decodesTheCommittedVector() throws IOException {
        assertMatches(TestVectors.sampleChunk(), read(TestVectors.DIR.resolve("sample-chunk.bin")));
    }

    @Test
    void theSnippetInTheDocsWorksAsPrinted() throws IOException {
        String doc = Files.readString(Path.of("../docs/contracts.md"));
        int start = doc.indexOf("```python\n") + "```python\n".length();
        String snippet = doc.substring(start, doc.indexOf("```", start));
        String check = snippet + String.join("\n",
                "import sys",
                "s, sid, ts, v, tr = read_chunk(open(sys.argv[1], 'rb').read())",
                "print(s, sid, ts.tolist(), v.shape, v[2, 3], tr[3])", "");
        Path script = tmp.resolve("snippet.py");
        Files.writeString(script, check);
        PythonInterop.Result r = PythonInterop.run(List.of(script.toString(),
                TestVectors.DIR.resolve("sample-chunk.bin").toString()));
        assertEquals(0, r.exitCode(), r.output());
        SampleChunk c = TestVectors.sampleChunk();
        assertEquals(c.session() + " " + c.streamId() + " [100.0, 100.001, 100.002] (3, 4) " + c.value(2, 3) + " "
                + c.trace().get(Stage.PRODUCED), r.output().strip());
    }

    @Test
    void decodesAnInt16ChunkWithUnicodeSessionAndChannelSlice() throws IOException {
        byte[] v = new byte[2 * 3 * 2];
        for (int i = 0; i < v.length; i += 2) {
            v[i] = (byte) (i * 37);
            v[i + 1] = (byte) (-i);
        }
        SampleChunk c = new SampleChunk("sujet-é/漢字/𝄞", "eeg-amp", StreamKind.EEG,
                io.mindstream.contracts.ChannelFormat.INT16, 64, 8, 3, 512.0, -5, 17, new double[] {1e9, 1e9 + 1},
                v, TraceStamps.empty().with(Stage.INGESTED, 77));
        Path f = tmp.resolve("c.bin");
        Files.write(f, new SampleChunkCodec().encode(c));
        assertMatches(c, read(f));
    }
}
