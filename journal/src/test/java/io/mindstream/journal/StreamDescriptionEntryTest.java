package io.mindstream.journal;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.contracts.codec.StreamDescriptionCodec;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream descriptions in the journal: a recording reads them beside the data, restart positions pass over them, and
 * one that cannot be read (damaged, or an entry type a newer build wrote) is named once, with the journal and the
 * entry, while every other entry is still read.
 */
class StreamDescriptionEntryTest {

    private static final String XML = "<?xml version=\"1.0\"?>\n<info><name>meg</name><desc><channels><channel>"
            + "<label>MEG 0113</label><type>grad</type><unit>T/m</unit></channel></channels></desc></info>\n";

    @TempDir
    Path dir;

    private static SampleChunk chunk(long seq) {
        double[] ts = new double[10];
        for (int s = 0; s < 10; s++) {
            ts[s] = 100 + (seq + s) / 100.0;
        }
        return new SampleChunk("s1", "meg", StreamKind.MEG, ChannelFormat.FLOAT32, 1, 0, 1, 100, seq, 0, ts,
                new byte[40], TraceStamps.empty());
    }

    @Test
    void descriptionsAreReadBesideTheDataAndDamagedOnesAreNamedOnce() {
        SampleChunkCodec chunks = new SampleChunkCodec();
        StreamDescriptionCodec descriptions = new StreamDescriptionCodec();
        StreamDescription described = new StreamDescription("s1", "meg", StreamKind.MEG, 0, XML, TraceStamps.empty());
        long damaged;
        JournalConfig config = JournalConfig.defaults(dir);
        try (Journal j = Journal.open(config)) {
            JournalEntry good = JournalEntry.ofDescription(described, descriptions.encode(described));
            assertEquals("raw.streams", good.topic());
            j.append(good);
            for (int k = 0; k < 5; k++) {
                SampleChunk c = chunk(k * 10L);
                j.append(JournalEntry.ofChunk(c, 10, 0, 0.0, chunks.encode(c)));
            }
            byte[] broken = descriptions.encode(described);
            broken[broken.length / 2] = (byte) 0xFF;        // inside the XML: no longer UTF-8
            damaged = j.append(JournalEntry.ofDescription(described.withTrace(TraceStamps.empty()), broken));
        }
        long unknown = appendUnknownType(config);
        try (Journal j = Journal.open(config)) {
            for (int k = 5; k < 8; k++) {
                SampleChunk c = chunk(k * 10L);
                j.append(JournalEntry.ofChunk(c, 10, 0, 0.0, chunks.encode(c)));
            }

            Map<String, StreamPositions.Position> positions = StreamPositions.recover(j);
            assertEquals(Set.of("s1/meg"), positions.keySet(), "a description is no record of the stream");
            assertEquals(80, positions.get("s1/meg").nextSequence());

            try (JournalRecording rec = new JournalRecording(j, "s1", Set.of())) {
                int n = 0;
                for (ReplayItem it = rec.next(); it != null; it = rec.next()) {
                    assertEquals(n * 10L, it.chunk().firstSequence(), "every chunk, in order");
                    n++;
                }
                assertEquals(8, n);
                assertEquals(List.of(described), rec.descriptions());
                assertEquals(XML, rec.description("meg").orElseThrow().xml());
                List<String> problems = rec.problems();
                assertEquals(2, problems.size(), problems.toString());
                assertTrue(problems.get(0).startsWith("journal " + dir + ", entry " + Long.toHexString(damaged)
                        + ": the description of stream meg cannot be read"), problems.get(0));
                assertTrue(problems.get(0).contains("not valid UTF-8"), problems.get(0));
                assertEquals("journal " + dir + ", entry " + Long.toHexString(unknown)
                        + ": unknown entry type 9 (written by a newer build?); passed over", problems.get(1));
            }
        }
    }

    /** An entry as a newer build might write it: the same header with a type code this build does not know. */
    private static long appendUnknownType(JournalConfig config) {
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(config.queueDirectory())
                .rollCycle(config.rollCycle()).build();
             ExcerptAppender a = q.createAppender()) {
            try (DocumentContext dc = a.writingDocument()) {
                Bytes<?> b = dc.wire().bytes();
                b.writeByte(Journal.FORMAT_VERSION);
                b.writeByte((byte) 9);
                b.writeByte((byte) StreamKind.MEG.code());
                b.writeInt(0);
                b.writeLong(0);
                b.writeInt(0);
                b.writeDouble(Double.NaN);
                b.writeDouble(0);
                b.writeUtf8("meg");
                b.writeUtf8("s1");
                b.writeInt(0);
            }
            return a.lastIndexAppended();
        }
    }
}
