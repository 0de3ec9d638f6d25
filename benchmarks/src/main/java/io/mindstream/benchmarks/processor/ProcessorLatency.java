package io.mindstream.benchmarks.processor;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.display.state.Percentiles;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.topology.ProcessorTopology;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import io.mindstream.simulator.MarkerEvent;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of the stream processor on a real (embedded KRaft) broker, at-least-once and exactly_once_v2 in one run on
 * the same broker: the simulated subject's 272-channel MEG is produced in real time (10 ms chunks, stamped PRODUCED
 * when sent) with its onset markers; the epochs topic is read and, per epoch, the time from producing the chunk that
 * completed it to receiving the epoch is recorded, split into PRODUCED→CONSUMED (into the processor), CONSUMED→EPOCHED
 * (cutting and preprocessing) and EPOCHED→received (out through the epochs topic).
 *
 * <pre>java -cp … io.mindstream.benchmarks.processor.ProcessorLatency [seconds per run, default 60]</pre>
 */
public final class ProcessorLatency {

    private static final Pattern IMAGE = Pattern.compile("\\bimage=(\\S+)");
    private static final String[] SPANS = {"PRODUCED → epoch received", "PRODUCED → CONSUMED", "CONSUMED → EPOCHED",
            "EPOCHED → received"};

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
        Path dir = Files.createTempDirectory("processor-latency");
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")))) {
            broker.createTopics(Topics.defaults());
            for (boolean eos : new boolean[]{false, true}) {
                run(broker, dir, eos, seconds);
            }
        }
    }

    static void run(EmbeddedKafka broker, Path dir, boolean eos, double seconds) throws Exception {
        String session = "latency-" + (eos ? "eos-" : "alos-") + UUID.randomUUID();
        ProcessorConfig cfg = ProcessorConfig.defaults().withCalibrationEpochs(5);
        Properties props = io.mindstream.runtime.kafka.KafkaClients.streams(broker.bootstrapServers(),
                "latency-" + UUID.randomUUID(), null, dir.resolve("state-" + eos), eos, 1);
        // written by the reader thread only, read here after joining it
        Histogram[] spans = new Histogram[SPANS.length];
        for (int k = 0; k < spans.length; k++) {
            spans[k] = Percentiles.microsHistogram();
        }
        long[] clamped = new long[1];
        AtomicBoolean done = new AtomicBoolean();
        try (KafkaStreams streams = new KafkaStreams(ProcessorTopology.build(cfg, new ProcessorStats(),
                io.mindstream.processor.topology.RawReplay.kafka(broker.bootstrapServers())), props)) {
            streams.start();
            Thread reader = new Thread(() -> {
                try (KafkaConsumer<String, Epoch> c = new KafkaConsumer<>(KafkaClients.committedReader(
                        broker.bootstrapServers(), "latency-reader"), Serdes.String().deserializer(),
                        ContractSerdes.epoch().deserializer())) {
                    // from the end: assign every partition of epochs and start at its end
                    var tps = TopicReader.partitions(c, List.of(Topics.EPOCHS));
                    c.assign(tps);
                    c.seekToEnd(tps);
                    while (!done.get()) {
                        c.poll(Duration.ofMillis(20)).forEach(r -> {
                            long now = TraceStamps.nowMicros();
                            Epoch e = r.value();
                            if (!e.session().equals(session)) {
                                return;
                            }
                            TraceStamps t = e.trace();
                            long[] us = {now - t.get(Stage.PRODUCED), t.get(Stage.CONSUMED) - t.get(Stage.PRODUCED),
                                    t.get(Stage.EPOCHED) - t.get(Stage.CONSUMED), now - t.get(Stage.EPOCHED)};
                            for (int k = 0; k < us.length; k++) {
                                if (!Percentiles.recordMicros(spans[k], us[k])) {
                                    clamped[0]++;
                                }
                            }
                        });
                    }
                }
            }, "latency-reader");
            reader.start();
            Thread.sleep(8000); // group joins and the processor's assignment
            produceRealTime(broker.bootstrapServers(), session, seconds);
            Thread.sleep(3000);
            done.set(true);
            reader.join();
        }
        report(eos ? "exactly_once_v2" : "at_least_once", spans, clamped[0]);
    }

    static void produceRealTime(String bootstrap, String session, double seconds) throws InterruptedException {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(3));
        int ch = subject.channelCount();
        double fs = subject.sampleRate();
        var p = KafkaClients.producer(bootstrap, "latency-feed");
        List<MarkerEvent> markers = subject.markers();
        long startNanos = System.nanoTime();
        long wallStart = System.currentTimeMillis();
        try (KafkaProducer<String, SampleChunk> chunks = new KafkaProducer<>(p, Serdes.String().serializer(),
                ContractSerdes.sampleChunk().serializer());
             KafkaProducer<String, Marker> mk = new KafkaProducer<>(p, Serdes.String().serializer(),
                     ContractSerdes.marker().serializer())) {
            float[] buf = new float[12 * ch];
            int m = 0;
            for (long seq = 0; seq < seconds * fs; seq += 12) {
                long due = startNanos + (long) ((seq + 12) / fs * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                subject.generateMeg(seq, 12, buf);
                double[] ts = new double[12];
                for (int i = 0; i < 12; i++) {
                    ts[i] = 100 + (seq + i) / fs;
                }
                while (m < markers.size() && markers.get(m).seconds() <= (seq + 12) / fs) {
                    MarkerEvent e = markers.get(m);
                    Matcher im = IMAGE.matcher(e.label());
                    mk.send(new ProducerRecord<>(Topics.MARKERS, null, wallStart + (long) (e.seconds() * 1000),
                            session, new Marker(session, "stim", m, 100 + e.seconds(), e.label(), null,
                            im.find() ? im.group(1) : null, TraceStamps.empty())));
                    m++;
                }
                chunks.send(new ProducerRecord<>(Topics.rawTopic(StreamKind.MEG), session,
                        SampleChunk.ofFloats(session, "meg", StreamKind.MEG, ch, fs, seq, ts, buf,
                                TraceStamps.empty().withNow(Stage.PRODUCED))));
            }
        }
    }

    static void report(String name, Histogram[] spans, long clamped) {
        io.mindstream.benchmarks.LatencyTable.print(name, "epochs", SPANS, spans, clamped);
    }
}
