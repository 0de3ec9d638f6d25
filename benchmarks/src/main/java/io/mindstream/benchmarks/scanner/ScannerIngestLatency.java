package io.mindstream.benchmarks.scanner;

import io.mindstream.benchmarks.LatencyTable;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.contracts.codec.SampleChunkCodec;
import io.mindstream.display.state.Percentiles;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.dicom.DicomWriter;
import io.mindstream.formats.nifti.NiftiWriter;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.scanner.ScannerConfig;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;
import io.mindstream.simulator.export.ScannerExport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of the scanner-folder path on a real (embedded KRaft) broker: file complete on disk → volume on raw.fmri.
 * Volumes are written one per TR into the watched folder as a scanner's export does (in 4 pieces, 2 ms apart); the
 * clock starts when the last piece is written and the file closed, and stops when a live reader of raw.fmri holds
 * the whole volume (split volumes reassembled). Segments from the records' trace stamps: complete → JOURNALED (the
 * folder source: listing, stability, parse, chunk, journal), JOURNALED → PRODUCED (the forwarder), PRODUCED →
 * received (Kafka). Two grids, 64×64×36 (147,456 voxels, split into 3 records) and 100,000 voxels (50×50×40), each as
 * Siemens mosaic DICOM and as NIfTI-1; the volumes written in the first 2.5 s of a run (at least 5) are not
 * counted: the first waits the reorder window and those behind it wait for it.
 *
 * <pre>java -cp … io.mindstream.benchmarks.scanner.ScannerIngestLatency [volumes per run, default 100] [TR s, default 0.5]</pre>
 */
public final class ScannerIngestLatency {

    private static final String[] SPANS = {"file complete → volume received", "complete → JOURNALED",
            "JOURNALED → PRODUCED", "PRODUCED → received"};
    /** Volumes not counted at the start: the first one waits the reorder window (1.5 s), and those behind it. */
    public static int warmup(double tr) {
        return (int) Math.max(5, Math.ceil((ScannerConfig.DEFAULT_REORDER_WAIT.toMillis() / 1000.0 + 1.0) / tr));
    }

    public static void main(String[] args) throws Exception {
        int volumes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        double tr = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        Path dir = Files.createTempDirectory("scanner-latency");
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(dir.resolve("kafka")))) {
            broker.createTopics(Topics.defaults());
            for (Geometry g : List.of(ScannerExport.grid(64, 64, 36), ScannerExport.gridFor(100_000))) {
                for (ScannerExport.Format f : ScannerExport.Format.values()) {
                    run(broker, dir, g, f, volumes, tr);
                }
            }
        }
    }

    static void run(EmbeddedKafka broker, Path dir, Geometry g, ScannerExport.Format format, int volumes, double tr)
            throws Exception {
        String id = format.name().toLowerCase(Locale.ROOT) + "-" + g.nx() + "x" + g.ny() + "x" + g.nz();
        String session = "scanner-latency-" + id + "-" + UUID.randomUUID();
        Path folder = Files.createDirectories(dir.resolve(id + "-export"));
        Histogram[] spans = new Histogram[SPANS.length];
        for (int k = 0; k < spans.length; k++) {
            spans[k] = Percentiles.microsHistogram();
        }
        Map<Long, Long> completedMicros = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong clamped = new java.util.concurrent.atomic.AtomicLong();
        IngestConfig cfg = IngestConfig.defaults(session, JournalConfig.defaults(dir.resolve(id + "-journal")),
                        ForwarderConfig.defaults(broker.bootstrapServers()))
                .withSelector(StreamSelector.of(List.of(), List.of("none-" + UUID.randomUUID()), List.of()))
                .withStatsInterval(Duration.ZERO)
                .withScanner(ScannerConfig.defaults(folder).withStreamId(id).withTr(tr));
        Thread reader = new Thread(() -> {
            SampleChunkCodec codec = new SampleChunkCodec();
            VolumeAssembler asm = new VolumeAssembler();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaClients.liveReader(
                    broker.bootstrapServers(), "scanner-latency-reader"))) {
                var tps = TopicReader.partitions(c, List.of(Topics.rawTopic(StreamKind.FMRI)));
                c.assign(tps);
                c.seekToEnd(tps);
                while (!done.get()) {
                    c.poll(Duration.ofMillis(20)).forEach(r -> {
                        long now = TraceStamps.nowMicros();
                        if (!session.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                            return;
                        }
                        SampleChunk whole = asm.accept(codec.decode(r.value())).orElse(null);
                        if (whole == null || whole.isEnd()) {
                            return;
                        }
                        received.incrementAndGet();
                        Long complete = completedMicros.get(whole.firstSequence());
                        if (complete == null || whole.firstSequence() < warmup(tr)) {
                            return;
                        }
                        TraceStamps t = whole.trace();
                        long[] us = {now - complete, t.get(Stage.JOURNALED) - complete,
                                t.get(Stage.PRODUCED) - t.get(Stage.JOURNALED), now - t.get(Stage.PRODUCED)};
                        for (int k = 0; k < us.length; k++) {
                            if (!Percentiles.recordMicros(spans[k], us[k])) {
                                clamped.incrementAndGet();
                            }
                        }
                    });
                }
            }
        }, "scanner-latency-reader");
        reader.start();
        try (IngestService ingest = new IngestService(cfg).start()) {
            Thread.sleep(3000); // the reader's assignment and the forwarder's connection
            write(folder, g, format, volumes, tr, completedMicros);
            long deadline = System.nanoTime() + 60_000_000_000L; // every volume, or a minute
            while (received.get() < volumes && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            done.set(true);
            reader.join();
        }
        report(id + " (" + g.voxels() + " voxels, " + volumes + " volumes, TR " + tr + " s, " + received.get()
                + " received)", spans, clamped.get());
    }

    /** One file per TR, in 4 pieces 2 ms apart; the volume's completion is stamped after the file is closed. */
    public static void write(Path folder, Geometry g, ScannerExport.Format format, int volumes, double tr,
                      Map<Long, Long> completedMicros) throws Exception {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] v = new float[g.voxels()];
        DicomWriter dicom = new DicomWriter("2.25.7", "2.25.7.1", 1, tr, g, ScannerExport.DICOM_SLOPE, 0);
        long start = System.nanoTime();
        for (int j = 0; j < volumes; j++) {
            long due = start + (long) (j * tr * 1e9);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (100 + 10 * rnd.nextGaussian());
            }
            byte[] bytes = format == ScannerExport.Format.DICOM ? dicom.mosaic(j + 1, 36_000 + j * tr, v).bytes()
                    : NiftiWriter.float32(g, v, tr, 36_000 + j * tr);
            Path f = folder.resolve(String.format(Locale.ROOT, "vol_%06d.%s", j + 1,
                    format == ScannerExport.Format.DICOM ? "dcm" : "nii"));
            try (OutputStream out = Files.newOutputStream(f)) {
                int step = (bytes.length + 3) / 4;
                for (int off = 0; off < bytes.length; off += step) {
                    out.write(bytes, off, Math.min(step, bytes.length - off));
                    if (off + step < bytes.length) {
                        LockSupport.parkNanos(2_000_000L);
                    }
                }
            }
            // sequence j: the stream starts with this run (ingest sees volume 0 first)
            completedMicros.put((long) j, TraceStamps.nowMicros());
        }
    }

    static void report(String name, Histogram[] spans, long clamped) {
        LatencyTable.print(name, "volumes counted", SPANS, spans, clamped);
    }
}
