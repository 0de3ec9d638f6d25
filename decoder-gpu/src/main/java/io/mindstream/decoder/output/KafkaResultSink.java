package io.mindstream.decoder.output;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/** Produces each result to the {@code results} topic, keyed by session (so results stay in the session's order). */
public final class KafkaResultSink implements ResultSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaResultSink.class);

    private final KafkaProducer<String, DecodeResult> producer;
    private final String topic;
    private final AtomicLong failed = new AtomicLong();

    public KafkaResultSink(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, "mindstream-decoder"),
                ContractSerdes.sessionKey().serializer(), ContractSerdes.decodeResult().serializer());
    }

    public KafkaResultSink(String bootstrapServers) {
        this(bootstrapServers, Topics.RESULTS);
    }

    @Override
    public void accept(DecodeResult r) {
        producer.send(new ProducerRecord<>(topic, r.session(), r), (md, e) -> {
            if (e != null && failed.getAndIncrement() % 100 == 0) {
                log.error("results: could not produce {} to {}: {}", r.epochId(), topic, e.toString());
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
