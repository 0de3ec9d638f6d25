package io.mindstream.benchmarks.fmri;

import io.mindstream.cli.process.FastPathDecoder;
import io.mindstream.processor.decode.InlineDecoder;
import io.mindstream.cli.demo.SimulatedFmriRidge;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.DecoderService;
import io.mindstream.display.state.Percentiles;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Volume → result latency of live fMRI decoding on a real (embedded KRaft) broker, per volume size. The simulated
 * subject's fMRI volumes (and its markers) are produced to {@code raw.fmri} paced at one volume per TR, each stamped
 * ACQUIRED and PRODUCED as it is sent; the stream processor (Kafka Streams, default configuration) cuts a per-TR
 * window for every volume and a stimulus epoch per onset; the decoder service decodes both with a ridge fitted first
 * on the subject's training trials (the demo's {@link SimulatedFmriRidge}) and retrieves among the bank's test
 * images. For every result read back from {@code results}: volume → decoded ({@code DECODED − ACQUIRED}) and volume
 * → result received by a consumer, with the segments between (into the processor, epoching, decoding), as
 * HdrHistogram percentiles. LSL and ingest are not in the path (their latency is ingest's own benchmark); the first
 * {@code --warmup} volumes' results are left out (JIT, z-score calibration). {@code --decoding fast} decodes in the
 * processor's task instead (the fast path, {@code process --decode}): no Kafka hop between cutting and decoding.
 *
 * <pre>java -cp … io.mindstream.benchmarks.fmri.FmriLatency [--voxels 147456,100000] [--volumes 120] [--tr 1.5]
 *     [--warmup 15] [--decoding standalone|fast]</pre>
 * 147 456 voxels = a 64 × 64 × 36 volume.
 */
public final class FmriLatency {

    private static final String[] SPANS = {"volume → decoded (ACQUIRED → DECODED)",
            "volume → result received", "PRODUCED → CONSUMED (into the processor)",
            "CONSUMED → EPOCHED (window cut, z-scored)", "EPOCHED → DECODED (to the decoder, ridge, retrieval)"};

    /** Where a run decodes: a standalone decoder behind the epochs topic, or the processor's task (fast path). */
    enum Decoding { STANDALONE, FAST }

    private FmriLatency() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(64 * 64 * 36, 100_000);
        int volumes = 120;
        double tr = 1.5;
        int warmup = 15;
        Decoding decoding = Decoding.STANDALONE;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--voxels" -> sizes = java.util.Arrays.stream(args[i + 1].split(","))
                        .map(s -> Integer.parseInt(s.trim())).toList();
                case "--volumes" -> volumes = Integer.parseInt(args[i + 1]);
                case "--tr" -> tr = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--decoding" -> decoding = switch (args[i + 1]) {
                    case "standalone" -> Decoding.STANDALONE;
                    case "fast" -> Decoding.FAST;
                    default -> throw new IllegalArgumentException("--decoding takes standalone or fast, not "
                            + args[i + 1]);
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--voxels N[,N…], --volumes N, --tr SECONDS, --warmup N, --decoding standalone|fast)");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --voxels, --volumes, --tr, --warmup, "
                    + "--decoding");
        }
        Path dir = Files.createTempDirectory("fmri-latency");
        StringBuilder report = new StringBuilder();
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")))) {
            broker.createTopics(Topics.defaults());
            for (int voxels : sizes) {
                report.append(run(broker.bootstrapServers(), dir.resolve("v" + voxels), voxels, volumes, tr, warmup,
                        decoding));
            }
        }
        System.out.println();
        System.out.println(report);
    }

    static String run(String bootstrap, Path dir, int voxels, int volumes, double tr, int warmup, Decoding decoding)
            throws Exception {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(1).toBuilder().fmriVoxels(voxels)
                .fmriTr(tr).build());
        Path bankDir = dir.resolve("bank");
        SimulatedRecording.writeBank(subject, bankDir, false);
        Path model = dir.resolve("fmri.ridge");
        System.out.printf(Locale.ROOT, "%d voxels: fitting the ridge on the subject's training trials…%n", voxels);
        SimulatedFmriRidge.fit(subject, ProcessorConfig.defaults(), model, 0);

        String session = "fmri-latency-" + voxels + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<Object> records = new ArrayList<>();
        new SimulatedRecording(subject, session, 1).replayFmri(records::add, (volumes - 1) * tr);

        Histogram[] spans = new Histogram[SPANS.length];
        for (int k = 0; k < spans.length; k++) {
            spans[k] = Percentiles.microsHistogram();
        }
        AtomicLongArray counts = new AtomicLongArray(3); // TR windows, stimulus epochs, clamped
        AtomicBoolean stop = new AtomicBoolean();
        DecoderConfig decoderConfig = DecoderConfig.defaults(model, bankDir).withCandidates("test")
                .withSession(session, "fmri-latency-decoder-" + session, true)
                .withStreams(Set.of(StreamKind.FMRI), List.of(Topics.EPOCHS, Topics.WINDOWS)).withLsl(null);
        boolean fast = decoding == Decoding.FAST;
        List<InlineDecoder> inline = fast ? List.of(FastPathDecoder.open(decoderConfig)) : List.of();
        try (DecoderService decoder = fast ? null : new DecoderService(decoderConfig, bootstrap).start();
             ProcessorService processor = new ProcessorService(bootstrap, ProcessorConfig.defaults(),
                     ProcessorService.Settings.defaults().withApplicationId("fmri-latency-" + session)
                             .withStateDir(dir.resolve("processor-state")), c -> { }, inline).start()) {
            Thread reader = new Thread(() -> read(bootstrap, session, warmup * tr, spans, counts, stop),
                    "fmri-results");
            reader.start();
            produce(bootstrap, records, tr);
            long until = System.currentTimeMillis() + 60_000;
            while (counts.get(0) < volumes - 2 - warmup && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
            stop.set(true);
            reader.join(10_000);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### %,d voxels (%s), TR %.2f s, %d volumes, first %d left out, %s "
                + "decoding%n%n", voxels, voxels == 64 * 64 * 36 ? "64 × 64 × 36" : "flat", tr, volumes, warmup,
                fast ? "fast-path" : "standalone"));
        sb.append(String.format(Locale.ROOT, "%d TR-window results, %d stimulus-epoch results%s%n%n", counts.get(0),
                counts.get(1), counts.get(2) > 0 ? ", " + counts.get(2) + " values out of range (clamped)" : ""));
        sb.append("| span | n | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
        for (int k = 0; k < SPANS.length; k++) {
            Percentiles p = Percentiles.ofMicros(spans[k]);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", SPANS[k], p.n(),
                    p.p50(), p.p95(), p.p99(), p.max()));
        }
        return sb.append('\n').toString();
    }

    /** Volumes to raw.fmri one per TR (stamped as they are sent), markers to raw.markers as their time comes. */
    private static void produce(String bootstrap, List<Object> records, double tr) {
        long wall0 = System.nanoTime();
        long epochMs = System.currentTimeMillis();
        try (KafkaProducer<String, SampleChunk> chunks = new KafkaProducer<>(
                KafkaClients.producer(bootstrap, "fmri-latency-volumes"), ContractSerdes.sessionKey().serializer(),
                ContractSerdes.sampleChunk().serializer());
             KafkaProducer<String, Marker> markers = new KafkaProducer<>(
                     KafkaClients.producer(bootstrap, "fmri-latency-markers"), ContractSerdes.sessionKey().serializer(),
                     ContractSerdes.marker().serializer())) {
            for (Object r : records) {
                double t = r instanceof Marker m ? m.timestamp() : ((SampleChunk) r).timestamps()[0];
                long due = wall0 + (long) (t * 1e9);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long ts = epochMs + (long) (t * 1000);
                if (r instanceof Marker m) {
                    markers.send(new ProducerRecord<>(Topics.MARKERS, null, ts, m.session(), m));
                } else {
                    long now = TraceStamps.nowMicros();
                    SampleChunk c = ((SampleChunk) r).withTrace(TraceStamps.empty().with(Stage.ACQUIRED, now)
                            .with(Stage.PRODUCED, now));
                    chunks.send(new ProducerRecord<>(Topics.rawTopic(StreamKind.FMRI), null, ts, c.session(), c));
                }
            }
        }
    }

    private static void read(String bootstrap, String session, double warmupSeconds, Histogram[] spans,
                             AtomicLongArray counts, AtomicBoolean stop) {
        var results = ContractSerdes.decodeResult().deserializer();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                KafkaClients.reader(bootstrap, "fmri-latency-results"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(TopicReader.partitions(c, List.of(Topics.RESULTS)));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(100))) {
                    long received = TraceStamps.nowMicros();
                    DecodeResult r = results.deserialize(Topics.RESULTS, rec.value());
                    if (!r.session().equals(session)) {
                        continue;
                    }
                    boolean window = r.trigger().kind() == TriggerKind.FMRI_TR;
                    if (r.trigger().eventTime() < warmupSeconds) {
                        continue;
                    }
                    counts.incrementAndGet(window ? 0 : 1);
                    TraceStamps t = r.trace();
                    long acquired = t.get(Stage.ACQUIRED);
                    record(spans[0], t.get(Stage.DECODED) - acquired, counts);
                    record(spans[1], received - acquired, counts);
                    record(spans[2], t.get(Stage.CONSUMED) - t.get(Stage.PRODUCED), counts);
                    record(spans[3], t.get(Stage.EPOCHED) - t.get(Stage.CONSUMED), counts);
                    record(spans[4], t.get(Stage.DECODED) - t.get(Stage.EPOCHED), counts);
                }
            }
        }
    }

    private static void record(Histogram h, long micros, AtomicLongArray counts) {
        if (!Percentiles.recordMicros(h, micros)) {
            counts.incrementAndGet(2);
        }
    }
}
