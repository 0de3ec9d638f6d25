package io.mindstream.cli;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;

/** Simulated records put on a real broker as ingest publishes them, for the tests that run the live stages. */
public final class RawRecords {

    private RawRecords() {
    }

    /**
     * Chunks to their kind's raw topic, markers to {@code raw.markers}, keyed by session, in list order; each record's
     * timestamp is now plus its session time (a chunk's first sample, an end mark's position), as ingest stamps them.
     */
    public static void produce(String bootstrap, List<Object> records) {
        long wall0 = System.currentTimeMillis();
        try (KafkaProducer<String, SampleChunk> chunks = new KafkaProducer<>(
                KafkaClients.producer(bootstrap, "test-raw-chunks"), ContractSerdes.sessionKey().serializer(),
                ContractSerdes.sampleChunk().serializer());
             KafkaProducer<String, Marker> markers = new KafkaProducer<>(
                     KafkaClients.producer(bootstrap, "test-raw-markers"), ContractSerdes.sessionKey().serializer(),
                     ContractSerdes.marker().serializer())) {
            for (Object r : records) {
                if (r instanceof Marker m) {
                    markers.send(new ProducerRecord<>(Topics.MARKERS, null, wall0 + (long) (m.timestamp() * 1000),
                            m.session(), m));
                } else {
                    SampleChunk c = (SampleChunk) r;
                    double t = c.isEnd() ? c.firstSequence() / c.nominalRate() : c.timestamps()[0];
                    chunks.send(new ProducerRecord<>(Topics.rawTopic(c.kind()), null, wall0 + (long) (t * 1000),
                            c.session(), c));
                }
            }
            chunks.flush();
            markers.flush();
        }
    }
}
