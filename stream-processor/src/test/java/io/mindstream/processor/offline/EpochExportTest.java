package io.mindstream.processor.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.StreamKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochExportTest {

    @TempDir
    Path tmp;

    @Test
    void writesNpyNxCxTAndOneJsonRowPerEpoch() throws Exception {
        List<Object> rec = new ArrayList<>(Recording.continuous("s", "meg", StreamKind.MEG, 4, 1200, 10.0, 0, 9000,
                12, Recording::meg));
        rec.add(300, Recording.onset("s", 0, 11.0, "c0001_e00"));
        rec.add(500, new Marker("s", "markers", 1, 13.0, "onset image=c0002_t00 trial=7 split=test", null,
                "c0002_t00", io.mindstream.contracts.TraceStamps.empty()));
        List<Epoch> epochs = OfflineEpocher.epochs(ProcessorConfig.defaults(), rec);
        assertEquals(2, epochs.size());
        EpochExport.write(tmp, epochs);

        byte[] npy = Files.readAllBytes(tmp.resolve("X.npy"));
        int headerLen = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(npy, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4, 181), }"), header);
        assertEquals(0, (10 + headerLen) % 64, "data aligned to 64 bytes as numpy writes it");
        assertEquals(10 + headerLen + 2 * 4 * 181 * 4, npy.length);
        ByteBuffer data = ByteBuffer.wrap(npy, 10 + headerLen, npy.length - 10 - headerLen)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Epoch e : epochs) {
            for (float v : e.data()) {
                assertEquals(v, data.getFloat());
            }
        }
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("epochs.json").toFile());
        assertEquals("mindstream-epochs", j.get("format").asText());
        assertEquals(2, j.get("count").asInt());
        assertEquals(-0.5, j.get("tmin").asDouble(), 1e-9);
        assertEquals(120.0, j.get("sampleRate").asDouble());
        JsonNode row = j.get("epochs").get(1);
        assertEquals("s/meg/marker/1", row.get("epochId").asText());
        assertEquals("c0002_t00", row.get("imageId").asText());
        assertEquals(7, row.get("trial").asInt());
        assertEquals("test", row.get("split").asText());
        assertTrue(row.get("quality").asText().contains("UNCALIBRATED"));
    }

}
