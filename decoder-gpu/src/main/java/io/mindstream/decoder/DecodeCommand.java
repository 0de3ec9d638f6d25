package io.mindstream.decoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.EmbeddingModel;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.decoder.model.Models;
import io.mindstream.decoder.output.KafkaResultSink;
import io.mindstream.decoder.output.LslOutletFormat;
import io.mindstream.decoder.output.LslResultOutlet;
import io.mindstream.decoder.output.ResultSink;
import io.mindstream.decoder.retrieval.CosineIndex;
import io.mindstream.kafka.BrokerOptions;
import io.mindstream.kafka.KafkaTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code mindstream decode}: the live decoder. Consumes {@code epochs} (and optionally {@code windows}), decodes each
 * with the model (ONNX brain module on DJL/ONNX Runtime, or the ridge), retrieves the top-k bank images, writes a
 * {@code DecodeResult} per epoch to {@code results} and publishes the same result on an LSL outlet for closed-loop
 * experiments. Labelled epochs (marker names an image among the candidates) feed running top-1/top-5/median-rank
 * metrics per session.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Decode epochs from Kafka into image embeddings, retrieve the nearest bank images, publish "
                + "results to the results topic and an LSL outlet.")
public final class DecodeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "brain module (.onnx), ridge model (.ridge), or 'demo' (the bundled demo brain module)")
    Path model;

    @Option(names = "--bank", required = true, description = "embedding bank directory")
    Path bankDir;

    @Option(names = "--candidates", defaultValue = "all", description = "retrieve among: all (the whole bank), test "
            + "(the bank's test split), or a file of image ids (one a line)")
    String candidates;

    @Option(names = "--top-k", defaultValue = "5", description = "matches per result")
    int topK;

    @Option(names = "--topic", defaultValue = Topics.EPOCHS, split = ",",
            description = "topics to decode (epochs, windows)")
    List<String> topics;

    @Option(names = "--session", description = "decode only this session (default: all)")
    String session;

    @Option(names = "--group-id", defaultValue = "mindstream-decoder", description = "Kafka consumer group")
    String groupId;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "This decoder's stable identity in its group: restarted with the same id it takes its "
                    + "partitions back at once (static membership); give each concurrently running decoder its own "
                    + "(default: the host name).")
    String instanceId;

    @Option(names = "--from-beginning", description = "start from the oldest epochs when the group has no offsets "
            + "(default: only new ones)")
    boolean fromBeginning;

    @Option(names = "--lsl-name", defaultValue = "mindstream-decoder", description = "LSL outlet name")
    String lslName;

    @Option(names = "--lsl-format", defaultValue = "json", description = "json (top-k ids and scores as one string) "
            + "or embedding (float32 channels)")
    LslOutletFormat lslFormat;

    @Option(names = "--no-lsl", description = "do not open the LSL outlet")
    boolean noLsl;

    @Option(names = "--max-epochs", defaultValue = "0", description = "stop after this many epochs (0 = run until "
            + "stopped)")
    long maxEpochs;

    @Option(names = "--idle-exit-seconds", defaultValue = "0", description = "stop when no epoch arrived for this "
            + "long (0 = never)")
    double idleExitSeconds;

    @Option(names = "--rolling-window", defaultValue = "50", description = "labelled epochs in the rolling metrics")
    int rollingWindow;

    @Option(names = "--metrics-out", description = "on exit, write each session's retrieval metrics as JSON here")
    Path metricsOut;

    @Mixin
    EngineMixin engine;

    @Mixin
    BrokerOptions kafka;

    @Override
    public Integer call() throws IOException {
        EmbeddingBank bank = EmbeddingBank.read(bankDir);
        CosineIndex index = new CosineIndex(bank.ids(), bank.vectors(), bank.dim());
        int[] cand;
        try {
            cand = candidateRows(bank, index);
        } catch (IllegalArgumentException e) {
            System.err.println("error: --candidates " + candidates + ": " + e.getMessage());
            return 2;
        }
        RetrievalTracker tracker = new RetrievalTracker(rollingWindow);
        AtomicBoolean stop = new AtomicBoolean();
        // Ctrl-C before Kafka is open (model loading) only asks the loop not to start; once it is open, the target's
        // shutdown hook asks the loop to stop and waits for it (flushed results, the metrics file) before it stops
        // an in-process broker — a separate hook would race it, and the JVM would not wait for the main thread
        Thread hook = new Thread(() -> stop.set(true), "decode-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicBoolean running = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        List<ResultSink> sinks = new ArrayList<>();
        try (EmbeddingModel m = Models.load(model, engine.options());
             EpochDecoder decoder = new EpochDecoder(m, index, cand, topK, tracker, engine.maxBatch,
                     engine.maxWaitMicros);
             KafkaTarget target = kafka.open()) {
            target.closeFirst(() -> {
                stop.set(true);
                if (running.get() && !finished.await(15, TimeUnit.SECONDS)) {
                    System.err.println("decode: the loop did not stop within 15 s; stopping anyway");
                }
            });
            sinks.add(new KafkaResultSink(target.bootstrapServers()));
            if (!noLsl) {
                sinks.add(new LslResultOutlet(lslName, lslName + "-" + m.signature().modelId(), lslFormat,
                        m.signature().outDim(), m.signature().modelId()));
            }
            System.out.printf("decoding with %s (%d × %d → %d) among %d of %d bank images, top-%d, on %s%n",
                    m.signature().modelId(), m.signature().channels(), m.signature().times(), m.signature().outDim(),
                    decoder.candidateCount(), bank.count(), topK, target.describe());
            DecodeService service = new DecodeService(target.bootstrapServers(), topics, groupId,
                    io.mindstream.runtime.InstanceIds.of(groupId, instanceId),
                    fromBeginning,
                    s -> session == null || session.equals(s), decoder, sinks);
            running.set(true);
            try {
                service.run(stop, maxEpochs, (long) (idleExitSeconds * 1000));
                DecodeService.Stats st = service.stats();
                System.out.printf("consumed %d epochs: %d decoded, %d rejected, %d undecodable records%n",
                        st.consumed.sum(), st.decoded.sum(), st.rejected.sum(), st.undecodableRecords.sum());
                tracker.snapshots().forEach((k, s) -> System.out.println("session " + k + ": cumulative "
                        + s.cumulative() + "; last " + s.window() + ": " + s.rolling()));
                if (metricsOut != null) {
                    writeMetrics(tracker.snapshots(), m.signature().modelId(), decoder.candidateCount());
                }
                for (ResultSink s : sinks) { // flushed while the broker is certainly still there
                    s.close();
                }
                sinks.clear();
                return 0;
            } finally {
                finished.countDown();
            }
        } catch (InvalidModelException | EngineUnavailableException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) { // bank/model mismatch and similar start-up checks
            System.err.println("error: " + e.getMessage());
            return 1;
        } finally {
            for (ResultSink s : sinks) {
                s.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    /** Bank rows to retrieve among; null = the whole bank. */
    private int[] candidateRows(EmbeddingBank bank, CosineIndex index) throws IOException {
        List<String> ids = bank.candidateIds(candidates);
        return ids == null ? null : index.rows(ids);
    }

    private void writeMetrics(Map<String, RetrievalTracker.Snapshot> snaps, String modelId, int cands)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = json.createObjectNode();
        o.put("model", modelId);
        o.put("candidates", cands);
        ObjectNode sessions = o.putObject("sessions");
        snaps.forEach((k, s) -> {
            ObjectNode n = sessions.putObject(k);
            n.set("cumulative", json.valueToTree(s.cumulative()));
            n.set("rolling", json.valueToTree(s.rolling()));
            n.put("window", s.window());
        });
        json.writeValue(metricsOut.toFile(), o);
        System.out.println("wrote " + metricsOut);
    }
}
