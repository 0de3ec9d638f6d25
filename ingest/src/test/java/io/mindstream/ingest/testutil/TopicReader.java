package io.mindstream.ingest.testutil;

import io.mindstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Every record currently in the topics ingest writes (the raw topics and raw.streams), start to end (tests), read
 * with the runtime's reader.
 */
public final class TopicReader {

    private TopicReader() {
    }

    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        new io.mindstream.runtime.kafka.TopicReader(bootstrap, "ingest-test").readAll(Topics.forwardedTopics(), null,
                out::add);
        return out;
    }
}
