package io.mindstream.runtime.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaClientsTest {

    /** A 10-ms MEG chunk of the simulated 272-channel system at 1,200 Hz (float32) with the record's overhead. */
    private static final int MEG_CHUNK_BYTES = 272 * 12 * 4 + 1024;

    /**
     * One produce request takes at most one batch per partition. With Kafka's default 16 KiB batch a request carries a
     * single MEG chunk, 5 requests in flight, so on a loaded machine the MEG piles up in the forwarder's producer while
     * the markers, on their own partition, leave in the next request: issue 16's markers 7-10 s ahead of their data at
     * the processor (measured in docs/stream-processor.md). A batch must hold many chunks.
     */
    @Test
    void aForwarderRequestCarriesManyMegChunksSoMarkersDoNotOvertakeThem() {
        Map<String, Object> p = KafkaClients.journalForwarder("127.0.0.1:9092", "test", Map.of());
        int batch = ((Number) p.get(ProducerConfig.BATCH_SIZE_CONFIG)).intValue();
        assertTrue(batch / MEG_CHUNK_BYTES >= 64, "batch.size " + batch + " holds only " + batch / MEG_CHUNK_BYTES
                + " MEG chunks of " + MEG_CHUNK_BYTES + " bytes");
        int request = ((Number) p.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)).intValue();
        assertTrue(request >= batch, "a full batch must fit in one request: max.request.size " + request);
    }
}
