package io.mindstream.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.output.KafkaResultSink;
import io.mindstream.decoder.output.LslOutletFormat;
import io.mindstream.decoder.output.LslResultOutlet;
import io.mindstream.decoder.retrieval.CosineIndex;
import io.mindstream.decoder.ridge.RidgeModel;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Epoch → decode → result, for real: epochs produced to an embedded KRaft broker, the decode loop consuming them
 * with a ridge model, results read back from the results topic and from the LSL outlet through an lsl4j inlet.
 * Bad input (an undecodable record, a NaN epoch, an epoch of the wrong shape) is skipped while every good epoch of
 * both sessions is decoded, in order.
 */
class DecodeLoopTest {

    static final int CH = LinearBrain.CH, T = LinearBrain.T, DIM = LinearBrain.DIM;

    @Test
    void epochsOnKafkaBecomeResultsOnKafkaAndLsl(@TempDir Path dir) throws Exception {
        Random r = new Random(11);
        LinearBrain brain = new LinearBrain(r);
        RidgeModel model = brain.fit(r);
        CosineIndex index = brain.index();
        RetrievalTracker tracker = new RetrievalTracker(10);
        String lslName = "decoder-test-" + UUID.randomUUID();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")))) {
            kafka.createTopics(Topics.defaults());
            List<String> expectedIds = new ArrayList<>();
            try (KafkaProducer<String, Epoch> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), ContractSerdes.epoch().serializer());
                 KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                         new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(Topics.EPOCHS, "sA", new byte[]{1, 2, 3})).get();
                for (int k = 0; k < 8; k++) {
                    String session = k % 2 == 0 ? "sA" : "sB";
                    float[] data = brain.data(k, r, 0.05f);
                    int ch = CH;
                    if (k == 3) {
                        data[2] = Float.NaN;
                    } else if (k == 5) {
                        data = java.util.Arrays.copyOf(data, (CH - 1) * T);
                        ch = CH - 1;
                    } else {
                        expectedIds.add(session + "/e" + k);
                    }
                    p.send(new ProducerRecord<>(Topics.EPOCHS, session, LinearBrain.epoch(session, k, ch, data))).get();
                }
            }
            try (EpochDecoder decoder = new EpochDecoder(model, index, null, 3, tracker, 4, 1000);
                 KafkaResultSink results = new KafkaResultSink(kafka.bootstrapServers());
                 LslResultOutlet lsl = new LslResultOutlet(lslName, lslName, LslOutletFormat.JSON, DIM,
                         model.signature().modelId())) {
                List<StreamInfo> found = Resolver.resolveByProperty("name", lslName, 1, 10);
                assertFalse(found.isEmpty(), "LSL outlet not found");
                try (StreamInlet inlet = new StreamInlet(found.get(0))) {
                    inlet.open(10);
                    DecodeLoop service = new DecodeLoop(kafka.bootstrapServers(), List.of(Topics.EPOCHS),
                            "decoder-test", null, true, s -> true, decoder, List.of(results, lsl));
                    service.run(new AtomicBoolean(), 8, 5000);
                    assertEquals(1, service.stats().undecodableRecords.sum());
                    assertEquals(2, service.stats().rejected.sum());
                    assertEquals(6, service.stats().decoded.sum());

                    List<String> lslIds = new ArrayList<>();
                    String[] sample = new String[1];
                    ObjectMapper json = new ObjectMapper();
                    while (lslIds.size() < 6 && inlet.pullSample(sample, 5.0) != 0) {
                        JsonNode n = json.readTree(sample[0]);
                        lslIds.add(n.get("epochId").asText());
                        assertEquals(n.get("trueImage").asText(), n.get("top").get(0).get("id").asText(),
                                "clean linear data must decode to the right image");
                    }
                    assertEquals(expectedIds.stream().sorted().toList(), lslIds.stream().sorted().toList());
                }
            }
            List<DecodeResult> out = new ArrayList<>();
            try (KafkaConsumer<String, DecodeResult> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    ContractSerdes.sessionKey().deserializer(), ContractSerdes.decodeResult().deserializer())) {
                c.subscribe(List.of(Topics.RESULTS));
                long until = System.currentTimeMillis() + 15_000;
                while (out.size() < 6 && System.currentTimeMillis() < until) {
                    for (ConsumerRecord<String, DecodeResult> rec : c.poll(Duration.ofMillis(200))) {
                        assertEquals(rec.key(), rec.value().session());
                        out.add(rec.value());
                    }
                }
            }
            assertEquals(6, out.size());
            for (String s : List.of("sA", "sB")) { // per session, results keep the epochs' order
                List<String> got = out.stream().filter(x -> x.session().equals(s)).map(DecodeResult::epochId).toList();
                assertEquals(expectedIds.stream().filter(x -> x.startsWith(s)).toList(), got);
            }
            for (DecodeResult d : out) {
                assertEquals(3, d.topK().size());
                assertEquals(d.trigger().imageId(), d.topK().get(0).imageId());
                assertTrue(d.trace().has(Stage.DECODED));
                assertEquals(model.signature().modelId(), d.modelId());
            }
            assertEquals(4, tracker.snapshot("sA").cumulative().count()); // k = 0, 2, 4, 6
            assertEquals(1.0, tracker.snapshot("sA").cumulative().top1(), 1e-9);
        }
    }
}
