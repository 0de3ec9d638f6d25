package io.mindstream.benchmarks.fmri;

import io.mindstream.benchmarks.LatencyTable;
import io.mindstream.benchmarks.scanner.ScannerIngestLatency;
import io.mindstream.cli.demo.SimulatedFmriRidge;
import io.mindstream.cli.process.FastPathDecoder;
import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.display.state.Percentiles;
import io.mindstream.formats.Geometry;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.scanner.ScannerConfig;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import io.mindstream.simulator.SimulationConfig;
import io.mindstream.simulator.export.ScannerExport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole fMRI path in one measured span, on a real (embedded KRaft) broker: a volume's file complete on disk →
 * its decoded result. Volumes are written into a watched folder one per TR, as a scanner's export does (4 pieces,
 * 2 ms apart: {@link ScannerIngestLatency#write}); ingest's folder source journals and forwards each to
 * {@code raw.fmri}; the stream processor cuts the volume's TR window and decodes it in its task (the fast path,
 * {@code process --decode}) with a ridge fitted on the simulated subject's training trials (the demo's
 * {@link SimulatedFmriRidge}), retrieving among the bank's test images; a consumer of {@code results} takes the
 * result. The clock starts when the harness closes the file and stops at the result's {@code DECODED} stamp
 * (written to {@code results} next) and when the consumer has it; the segments between come from the result's trace
 * stamps. All of it runs in one JVM, so every stamp is on one clock.
 *
 * <p>A result belongs to the last volume completed before its {@code JOURNALED} stamp (volumes are a TR apart, the
 * folder source takes a few ms to notice one). The volumes written in the first seconds (the folder source's reorder
 * window, {@link ScannerIngestLatency#warmup}) and the first {@code --warmup} results (JIT, z-score calibration) are
 * not counted.
 *
 * <pre>java -Xmx4g … io.mindstream.benchmarks.fmri.FileToResultLatency [--voxels 147456,100000] [--volumes 120]
 *     [--tr 1.0] [--warmup 10] [--format dicom|nifti]</pre>
 */
public final class FileToResultLatency {

    private static final String[] SPANS = {"file complete → DECODED", "file complete → result received",
            "complete → JOURNALED (folder source)", "JOURNALED → PRODUCED (forwarder)",
            "PRODUCED → CONSUMED (Kafka, into the processor)", "CONSUMED → EPOCHED (TR window cut, z-scored)",
            "EPOCHED → DECODED (ridge, retrieval, in the task)"};

    private FileToResultLatency() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(64 * 64 * 36, 100_000);
        int volumes = 120;
        double tr = 1.0;
        int warmup = 10;
        ScannerExport.Format format = ScannerExport.Format.DICOM;
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --voxels, --volumes, --tr, --warmup, --format");
        }
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--voxels" -> sizes = java.util.Arrays.stream(args[i + 1].split(","))
                        .map(s -> Integer.parseInt(s.trim())).toList();
                case "--volumes" -> volumes = Integer.parseInt(args[i + 1]);
                case "--tr" -> tr = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--format" -> format = ScannerExport.Format.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--voxels N[,N…], --volumes N, --tr SECONDS, --warmup N, --format dicom|nifti)");
            }
        }
        Path dir = Files.createTempDirectory("file-to-result");
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")))) {
            broker.createTopics(Topics.defaults());
            for (int voxels : sizes) {
                Geometry g = voxels == 64 * 64 * 36 ? ScannerExport.grid(64, 64, 36) : ScannerExport.gridFor(voxels);
                run(broker.bootstrapServers(), dir.resolve("v" + voxels), g, format, volumes, tr, warmup);
            }
        }
    }

    static void run(String bootstrap, Path dir, Geometry g, ScannerExport.Format format, int volumes, double tr,
                    int warmup) throws Exception {
        SimulatedSubject subject = new SimulatedSubject(SimulationConfig.defaults(1).toBuilder()
                .fmriVoxels(g.voxels()).fmriTr(tr).build());
        Path bankDir = dir.resolve("bank");
        SimulatedRecording.writeBank(subject, bankDir, false);
        Path model = dir.resolve("fmri.ridge");
        System.out.printf(Locale.ROOT, "%s (%d voxels): fitting the ridge on the subject's training trials…%n",
                g.describe(), g.voxels());
        SimulatedFmriRidge.fit(subject, ProcessorConfig.defaults(), model, 0);

        String id = format.name().toLowerCase(Locale.ROOT) + "-" + g.nx() + "x" + g.ny() + "x" + g.nz();
        String session = "file-to-result-" + id + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path folder = Files.createDirectories(dir.resolve("export"));
        Histogram[] spans = new Histogram[SPANS.length];
        for (int k = 0; k < spans.length; k++) {
            spans[k] = Percentiles.microsHistogram();
        }
        Map<Long, Long> completedMicros = new ConcurrentHashMap<>();
        AtomicLong results = new AtomicLong();
        AtomicLong clamped = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        int skipVolumes = Math.max(ScannerIngestLatency.warmup(tr), warmup);

        DecoderConfig decoderConfig = DecoderConfig.defaults(model, bankDir).withCandidates("test")
                .withSession(session, "file-to-result-decoder-" + session, true)
                .withStreams(Set.of(StreamKind.FMRI), List.of(Topics.EPOCHS, Topics.WINDOWS)).withLsl(null);
        IngestConfig ingestConfig = IngestConfig.defaults(session, JournalConfig.defaults(dir.resolve("journal")),
                        ForwarderConfig.defaults(bootstrap))
                .withSelector(StreamSelector.of(List.of(), List.of("none-" + UUID.randomUUID()), List.of()))
                .withStatsInterval(Duration.ZERO)
                .withScanner(ScannerConfig.defaults(folder).withStreamId(id).withTr(tr));
        Thread reader = new Thread(() -> read(bootstrap, session, completedMicros, skipVolumes, spans, results,
                clamped, stop), "file-to-result-reader");
        try (ProcessorService processor = new ProcessorService(bootstrap, ProcessorConfig.defaults(),
                ProcessorService.Settings.defaults().withApplicationId("file-to-result-" + session)
                        .withStateDir(dir.resolve("processor-state")), c -> { },
                List.of(FastPathDecoder.open(decoderConfig))).start();
             IngestService ingest = new IngestService(ingestConfig).start()) {
            reader.start();
            Thread.sleep(3000); // the reader's and the processor's assignments, the forwarder's connection
            System.out.printf(Locale.ROOT, "%s: writing %d volumes, one per %.2f s…%n", id, volumes, tr);
            ScannerIngestLatency.write(folder, g, format, volumes, tr, completedMicros);
            long expected = volumes - skipVolumes;
            long deadline = System.nanoTime() + 60_000_000_000L; // every counted volume's result, or a minute
            while (spans[0].getTotalCount() < expected && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            stop.set(true);
            reader.join(10_000);
        }
        LatencyTable.print(id + " (" + g.voxels() + " voxels, " + volumes + " volumes, TR " + tr + " s, first "
                + skipVolumes + " not counted, " + results.get() + " TR-window results in all)", "volumes counted",
                SPANS, spans, clamped.get());
    }

    private static void read(String bootstrap, String session, Map<Long, Long> completedMicros, int skipVolumes,
                             Histogram[] spans, AtomicLong results, AtomicLong clamped, AtomicBoolean stop) {
        var codec = ContractSerdes.decodeResult().deserializer();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                KafkaClients.liveReader(bootstrap, "file-to-result-reader"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var tps = TopicReader.partitions(c, List.of(Topics.RESULTS));
            c.assign(tps);
            c.seekToEnd(tps);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(20))) {
                    long received = TraceStamps.nowMicros();
                    DecodeResult r = codec.deserialize(Topics.RESULTS, rec.value());
                    if (!r.session().equals(session) || r.trigger().kind() != TriggerKind.FMRI_TR) {
                        continue;
                    }
                    results.incrementAndGet();
                    TraceStamps t = r.trace();
                    long journaled = t.get(Stage.JOURNALED);
                    long volume = -1;
                    long complete = Long.MIN_VALUE;
                    for (Map.Entry<Long, Long> e : completedMicros.entrySet()) {
                        if (e.getValue() <= journaled && e.getValue() > complete) {
                            volume = e.getKey();
                            complete = e.getValue();
                        }
                    }
                    if (volume < skipVolumes) {
                        continue;
                    }
                    long[] us = {t.get(Stage.DECODED) - complete, received - complete, journaled - complete,
                            t.get(Stage.PRODUCED) - journaled, t.get(Stage.CONSUMED) - t.get(Stage.PRODUCED),
                            t.get(Stage.EPOCHED) - t.get(Stage.CONSUMED), t.get(Stage.DECODED) - t.get(Stage.EPOCHED)};
                    for (int k = 0; k < us.length; k++) {
                        if (!Percentiles.recordMicros(spans[k], us[k])) {
                            clamped.incrementAndGet();
                        }
                    }
                }
            }
        }
    }
}
