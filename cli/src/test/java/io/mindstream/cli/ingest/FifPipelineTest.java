package io.mindstream.cli.ingest;

import io.mindstream.cli.Mindstream;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.EpochCodec;
import io.mindstream.formats.testing.FieldTools;
import io.mindstream.ingest.IngestConfig;
import io.mindstream.ingest.IngestService;
import io.mindstream.ingest.forward.ForwarderConfig;
import io.mindstream.ingest.source.StreamSelector;
import io.mindstream.journal.JournalConfig;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.ProcessorService;
import io.mindstream.processor.epoch.EpochRule;
import io.mindstream.runtime.kafka.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The "done when": a FIF recording made by MNE runs through the live pipeline. {@code ./mindstream replay
 * --from fif} publishes it on LSL; ingest (unchanged) journals it into Kafka; the processor (unchanged) cuts epochs on
 * the replayed stim events with {@code code:N} rules.
 */
class FifPipelineTest {

    @TempDir
    Path tmp;

    @Test
    void anMneRecordingRunsThroughIngestAndTheProcessor() throws Exception {
        assumeTrue(FieldTools.mneAvailable(), "skipped: /usr/bin/python3 with python3-mne is not installed");
        Path fif = FieldTools.replayFixture(tmp);
        String id = "pipe-" + UUID.randomUUID().toString().substring(0, 8);
        String session = "fif_" + id;
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafka.Settings.ephemeral(tmp.resolve("kafka")))) {
            broker.createTopics(Topics.defaults());
            String bs = broker.bootstrapServers();
            ProcessorConfig pc = ProcessorConfig.defaults().withEpochRules(List.of(
                    EpochRule.parse("code:1:-0.1:0.3"), EpochRule.parse("code:3:-0.1:0.3")));
            try (ProcessorService processor = new ProcessorService(bs, pc, ProcessorService.Settings.defaults()
                    .withApplicationId("fif-pipeline-" + id).withStateDir(tmp.resolve("state")), c -> { }).start()) {
                IngestConfig ic = IngestConfig.defaults(session, JournalConfig.defaults(tmp.resolve("journal")),
                                ForwarderConfig.defaults(bs))
                        .withSelector(StreamSelector.of(List.of(id, id + "-events"), List.of(), List.of()));
                IngestService ingest = new IngestService(ic).start();
                try {
                    StringWriter err = new StringWriter();
                    picocli.CommandLine cl = Mindstream.newCommandLine();
                    cl.setErr(new PrintWriter(err, true));
                    int rc = cl.execute("replay", "--from", "fif", fif.toString(), "--stream-id", id,
                            "--speed", "4", "--wait", "30", "--linger", "1", "--no-annotations");
                    assertEquals(0, rc, err.toString());
                } finally {
                    ingest.close(Duration.ofSeconds(20));
                }
                List<Epoch> epochs = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                EpochCodec codec = new EpochCodec();
                while (epochs.size() < 2 && System.nanoTime() < deadline) {
                    epochs.clear();
                    new TopicReader(bs, "fif-pipeline-check").readAll(List.of(Topics.EPOCHS),
                            session.getBytes(StandardCharsets.UTF_8),
                            r -> epochs.add(codec.decode(ByteBuffer.wrap(r.value()))));
                    Thread.sleep(500);
                }
                assertEquals(2, epochs.size(), "one epoch per code:1 and code:3 event");
                epochs.sort((a, b) -> Double.compare(a.trigger().eventTime(), b.trigger().eventTime()));
                assertEquals(1, epochs.get(0).trigger().code());
                assertEquals(3, epochs.get(1).trigger().code());
                assertEquals(6, epochs.get(0).channels(), "every FIF channel, stim included");
                // events 1 and 3 are 1.2 s apart in the recording: 0.3 s at ×4
                assertEquals(0.3, epochs.get(1).trigger().eventTime() - epochs.get(0).trigger().eventTime(), 0.005);
            }
        }
    }
}
