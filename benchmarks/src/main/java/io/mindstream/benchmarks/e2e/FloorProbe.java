package io.mindstream.benchmarks.e2e;

import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import io.mindstream.lsl4j.StreamOutlet;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The floors the pipeline's hops are built on, measured in the same run beside it, so each stage's excess over its
 * floor is a ratio within one run on one machine: an LSL sample pushed by an lsl4j outlet → pulled by an lsl4j
 * inlet (as ingest pulls the simulator's outlet), and a small record produced → consumed on the pipeline's own broker
 * with the pipeline's client settings ({@link KafkaClients#producer}, {@link KafkaClients#liveReader}). One probe of
 * each every 100 ms (a few bytes: the probes do not load the machine); only probes sent while {@link #measuring} is
 * on count.
 */
final class FloorProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FloorProbe.class);
    static final String TOPIC = "harness.floor";
    private static final long PERIOD_MS = 100;

    private final StreamOutlet outlet;
    private final StreamInlet inlet;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<long[]> lsl = new ArrayList<>();
    private final List<long[]> kafka = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean measuring;
    private volatile boolean closed;

    private FloorProbe(StreamOutlet outlet, StreamInlet inlet, KafkaProducer<byte[], byte[]> producer,
                       KafkaConsumer<byte[], byte[]> consumer) {
        this.outlet = outlet;
        this.inlet = inlet;
        this.producer = producer;
        this.consumer = consumer;
    }

    /** Opens the LSL pair and the Kafka probe topic's producer and consumer, and starts probing (not yet counting). */
    static FloorProbe start(String bootstrap, String name) throws Exception {
        try (Admin admin = TopicAdmin.connect(bootstrap)) {
            new TopicAdmin(admin).ensure(List.of(new Topics.Spec(TOPIC, 1, Duration.ofHours(1))));
        }
        // one channel of double64: the sample carries its own send time in µs (exact in a double's 53 bits)
        StreamOutlet outlet = new StreamOutlet(new StreamInfo(name, "HarnessFloor", 1, 10.0, ChannelFormat.DOUBLE64,
                name));
        List<StreamInfo> found = Resolver.resolveByProperty("name", name, 1, 30);
        if (found.isEmpty()) {
            outlet.close();
            throw new IllegalStateException("floor probe: own LSL outlet " + name + " not resolved within 30 s");
        }
        StreamInlet inlet = new StreamInlet(found.get(0));
        inlet.open(10);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, "harness-floor"),
                new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.liveReader(bootstrap,
                "harness-floor-reader"));
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp);
        FloorProbe probe = new FloorProbe(outlet, inlet, producer, consumer);
        probe.thread("floor-probe-send", probe::send);
        probe.thread("floor-probe-lsl", probe::pullLsl);
        probe.thread("floor-probe-kafka", probe::pollKafka);
        log.info("floor probe: LSL outlet {} and Kafka topic {} probed every {} ms", name, TOPIC, PERIOD_MS);
        return probe;
    }

    private void thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** From now on, probes count. */
    void measure() {
        measuring = true;
    }

    private void send() {
        double[] sample = new double[1];
        while (!closed) {
            long now = TraceStamps.nowMicros();
            sample[0] = now;
            outlet.pushSample(sample);
            producer.send(new ProducerRecord<>(TOPIC, 0, null, null,
                    ByteBuffer.allocate(8).putLong(now).array()));
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pullLsl() {
        double[] sample = new double[1];
        while (!closed) {
            if (inlet.pullSample(sample, 0.2) == 0) {
                continue;
            }
            long now = TraceStamps.nowMicros();
            if (measuring) {
                synchronized (lsl) {
                    lsl.add(new long[]{(long) sample[0], now});
                }
            }
        }
    }

    private void pollKafka() {
        while (!closed) {
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = TraceStamps.nowMicros();
                    if (measuring && r.value() != null && r.value().length == 8) {
                        synchronized (kafka) {
                            kafka.add(new long[]{ByteBuffer.wrap(r.value()).getLong(), now});
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("floor probe: {}", e.toString());
                }
            }
        }
    }

    /** The two floors' rows, over the probes counted so far. */
    List<LatencyReport.Row> rows() {
        List<long[]> l;
        List<long[]> k;
        synchronized (lsl) {
            l = List.copyOf(lsl);
        }
        synchronized (kafka) {
            k = List.copyOf(kafka);
        }
        return List.of(LatencyReport.span("floor: LSL push → pull (lsl4j outlet → lsl4j inlet, 1 channel)", l),
                LatencyReport.span("floor: Kafka produce → consume (this broker, the pipeline's client settings)",
                        k));
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
            t.join(2000);
        }
        producer.close(Duration.ofSeconds(2));
        consumer.close(Duration.ofSeconds(2));
        inlet.close();
        outlet.close();
    }
}
