package io.mindstream.decoder;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.TopicReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads a topic of epochs from its beginning to the end offsets it had when reading started (no consumer group). */
public final class KafkaEpochReader {

    private static final Logger log = LoggerFactory.getLogger(KafkaEpochReader.class);

    private KafkaEpochReader() {
    }

    /** Reads the whole topic and keeps the epochs of one session, in topic order. */
    public static List<Epoch> readSession(String bootstrapServers, String topic, String session) {
        List<Epoch> epochs = new ArrayList<>();
        readToEnd(bootstrapServers, topic, e -> {
            if (e.session().equals(session)) {
                epochs.add(e);
            }
        });
        return epochs;
    }

    /** @return how many undecodable records were skipped (each logged with its offset) */
    public static long readToEnd(String bootstrapServers, String topic, Consumer<Epoch> sink) {
        long[] skipped = {0};
        var epochs = ContractSerdes.epoch().deserializer();
        new TopicReader(bootstrapServers, "mindstream-epoch-reader").readAll(List.of(topic), null, r -> {
            Epoch e;
            try {
                e = epochs.deserialize(r.topic(), r.value());
            } catch (RuntimeException ex) {
                skipped[0]++;
                log.error("{}-{}: skipping undecodable record at offset {}: {}", r.topic(), r.partition(), r.offset(),
                        ex.getMessage());
                return;
            }
            if (e != null) {
                sink.accept(e);
            }
        });
        return skipped[0];
    }
}
