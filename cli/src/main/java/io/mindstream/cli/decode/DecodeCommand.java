package io.mindstream.cli.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.cli.options.EndpointOptions;
import io.mindstream.decoder.DecodeLoop;
import io.mindstream.contracts.Topics;
import io.mindstream.decoder.DecoderConfig;
import io.mindstream.decoder.DecoderService;
import io.mindstream.decoder.engine.EngineUnavailableException;
import io.mindstream.decoder.metrics.RetrievalTracker;
import io.mindstream.decoder.model.InvalidModelException;
import io.mindstream.kafka.KafkaTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code mindstream decode}: the live decoder ({@link DecoderService}). Consumes {@code epochs} (and optionally
 * {@code windows}), decodes each with the model (ONNX brain module on DJL/ONNX Runtime, or the ridge), retrieves the
 * top-k bank images, writes a {@code DecodeResult} per epoch to {@code results} and publishes the same result on an
 * LSL outlet for closed-loop experiments. Labelled epochs (marker names an image among the candidates) feed running
 * top-1/top-5/median-rank metrics per session.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Decode epochs from Kafka into image embeddings, retrieve the nearest bank images, publish "
                + "results to the results topic and an LSL outlet.")
public final class DecodeCommand implements Callable<Integer> {

    /** The defaults shown and used ({@link DecoderConfig#defaults}; model and bank are required). */
    private static final DecoderConfig DEFAULTS = DecoderConfig.defaults(Path.of("model"), Path.of("bank"));

    @Option(names = "--model", required = true, description = "brain module (.onnx), ridge model (.ridge), 'demo' "
            + "(the bundled demo brain module) or 'fmri-demo' (the bundled fMRI voxel model)")
    Path model;

    @Mixin
    WindowModelMixin windowModel;

    @Option(names = "--bank", required = true, description = "embedding bank directory")
    Path bankDir;

    @Option(names = "--topic", split = ",", description = "topics to decode (epochs, windows)")
    List<String> topics = DEFAULTS.topics();

    @Option(names = "--session", description = "decode only this session (default: all)")
    String session;

    @Option(names = "--group-id", description = "Kafka consumer group")
    String groupId = DEFAULTS.groupId();

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "This decoder's stable identity in its group: restarted with the same id it takes its "
                    + "partitions back at once (static membership); give each concurrently running decoder its own "
                    + "(default: the host name).")
    String instanceId;

    @Option(names = "--from-beginning", description = "start from the oldest epochs when the group has no offsets "
            + "(default: only new ones)")
    boolean fromBeginning;

    @Option(names = "--max-epochs", description = "stop after this many epochs (0 = run until stopped)")
    long maxEpochs = DEFAULTS.maxEpochs();

    @Option(names = "--idle-exit-seconds", description = "stop when no epoch arrived for this long (0 = never)")
    double idleExitSeconds = DEFAULTS.idleExit().toMillis() / 1000.0;

    @Option(names = "--rolling-window", description = "labelled epochs in the rolling metrics")
    int rollingWindow = DEFAULTS.rollingWindow();

    @Option(names = "--metrics-out", description = "on exit, write each session's retrieval metrics as JSON here")
    Path metricsOut;

    @Mixin
    RetrievalMixin retrieval;

    @Mixin
    EngineMixin engine;

    @Mixin
    BrokerOptions kafka;

    @Mixin
    EndpointOptions endpoint;

    /** The configuration these options describe, for the cluster at {@code bootstrap}. */
    DecoderConfig config() {
        return new DecoderConfig(model, engine.options(), bankDir, retrieval.candidates(), retrieval.topK(), topics,
                session, groupId, instanceId, fromBeginning, retrieval.lsl(), maxEpochs,
                Duration.ofMillis((long) (idleExitSeconds * 1000)), rollingWindow, retrieval.streamKinds(),
                windowModel.resolve(topics.contains(Topics.WINDOWS)
                        && WindowModelMixin.takesSensorData(retrieval.streamKinds())));
    }

    @Override
    public Integer call() throws IOException {
        DecoderConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        AtomicBoolean stop = new AtomicBoolean();
        // Ctrl-C before Kafka is open (model loading) only asks the loop not to start; once it is open, the target's
        // shutdown hook stops the decoder and waits for it (flushed results, the metrics file) before it stops an
        // in-process broker — a separate hook would race it, and the JVM would not wait for the main thread
        Thread hook = new Thread(() -> stop.set(true), "decode-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CountDownLatch finished = new CountDownLatch(1);
        try (KafkaTarget target = kafka.open();
             DecoderService decoder = new DecoderService(config, target.bootstrapServers())) {
            AtomicBoolean running = new AtomicBoolean();
            target.closeFirst(() -> {
                stop.set(true);
                decoder.close();
                if (running.get() && !finished.await(15, TimeUnit.SECONDS)) {
                    System.err.println("decode: the summary was not written within 15 s; stopping anyway");
                }
            });
            if (stop.get()) {
                return 0;
            }
            decoder.start();
            endpoint.open("decode", decoder);
            running.set(true);
            try {
                System.out.printf("decoding with %s (%d × %d → %d) among %d of %d bank images, top-%d, on %s%n",
                        decoder.model().signature().modelId(), decoder.model().signature().channels(),
                        decoder.model().signature().times(), decoder.model().signature().outDim(),
                        decoder.candidateCount(), decoder.bank().count(), retrieval.topK(), target.describe());
                while (!decoder.awaitFinished(Duration.ofMillis(200)) && !stop.get()) {
                    // until --max-epochs, the idle exit, a failure or Ctrl-C
                }
                decoder.close(); // results flushed while the broker is certainly still there
                DecodeLoop.Stats st = decoder.stats();
                System.out.printf("consumed %d epochs: %d decoded, %d rejected, %d undecodable records%n",
                        st.consumed.sum(), st.decoded.sum(), st.rejected.sum(), st.undecodableRecords.sum());
                decoder.tracker().snapshots().forEach((k, s) -> System.out.println("session " + k + ": cumulative "
                        + s.cumulative() + "; last " + s.window() + ": " + s.rolling()));
                if (metricsOut != null) {
                    writeMetrics(decoder.tracker().snapshots(), decoder.model().signature().modelId(),
                            decoder.candidateCount());
                }
                return decoder.failure() == null ? 0 : 1;
            } finally {
                finished.countDown();
            }
        } catch (InvalidModelException | EngineUnavailableException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) { // bank, candidates, bank/model mismatch and similar start-up checks
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
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
