package io.mindstream.decoder;

import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.decoder.engine.EngineOptions;
import io.mindstream.decoder.output.LslOutletFormat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the live decoder is configured with, in one typed place; {@link #defaults} holds the defaults the
 * {@code decode} command shows.
 *
 * @param model          brain module (.onnx), ridge model (.ridge) or {@code demo}
 * @param engine         where and how the model runs
 * @param bank           embedding bank directory
 * @param candidates     retrieve among: {@code all}, {@code test} (the bank's test split) or a file of image ids
 * @param topK           matches per result
 * @param topics         topics decoded (epochs, windows)
 * @param session        the only session decoded, or null for all
 * @param groupId        Kafka consumer group
 * @param instanceId     stable identity in the group (static membership); null = the host name
 * @param fromBeginning  start from the oldest epochs when the group has no offsets
 * @param lsl            the results outlet for closed-loop experiments, or null for none
 * @param maxEpochs      stop after this many epochs (0 = run until stopped)
 * @param idleExit       stop when no epoch arrived for this long after the first (zero = never)
 * @param rollingWindow  labelled epochs in the rolling retrieval metrics
 * @param streamKinds    the stream kinds decoded (empty = every kind): an fMRI decoder and a MEG decoder share the
 *                       epochs topic, and each takes only the epochs its model was fitted on
 * @param windowModel    the model for sliding windows ({@link io.mindstream.contracts.TriggerKind#WINDOW} records:
 *                       e.g. 250 ms, channels × 30), {@code window-demo} for the bundled one, or null: then windows
 *                       go to {@code model} like every other record (and one of another shape is rejected)
 */
public record DecoderConfig(Path model, EngineOptions engine, Path bank, String candidates, int topK,
                            List<String> topics, String session, String groupId, String instanceId,
                            boolean fromBeginning, Lsl lsl, long maxEpochs, Duration idleExit, int rollingWindow,
                            Set<StreamKind> streamKinds, Path windowModel) {

    public static final String DEFAULT_GROUP_ID = "mindstream-decoder";

    /** The results outlet: its name (also the source id's prefix) and what a sample carries. */
    public record Lsl(String name, LslOutletFormat format) {
        /** The outlet's default name, a constant for the help texts that name it. */
        public static final String DEFAULT_NAME = "mindstream-decoder";
        public static final Lsl DEFAULT = new Lsl(DEFAULT_NAME, LslOutletFormat.JSON);

        public Lsl {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(format, "format");
        }
    }

    public DecoderConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(idleExit, "idleExit");
        topics = List.copyOf(topics);
        streamKinds = Set.copyOf(streamKinds);
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + topK);
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("no topic to decode");
        }
        if (maxEpochs < 0) {
            throw new IllegalArgumentException("max epochs must be >= 0, got " + maxEpochs);
        }
        if (rollingWindow < 1) {
            throw new IllegalArgumentException("rolling window must be >= 1, got " + rollingWindow);
        }
    }

    /**
     * The whole bank, top 5, the epochs topic, every session, group {@value #DEFAULT_GROUP_ID}, new epochs only, the
     * default LSL outlet, run until stopped, a rolling window of 50, every stream kind, on the CPU.
     */
    public static DecoderConfig defaults(Path model, Path bank) {
        return new DecoderConfig(model, EngineOptions.cpu(), bank, "all", 5, List.of(Topics.EPOCHS), null,
                DEFAULT_GROUP_ID, null, false, Lsl.DEFAULT, 0, Duration.ZERO, 50, Set.of(), null);
    }

    public DecoderConfig withCandidates(String c) {
        return new DecoderConfig(model, engine, bank, c, topK, topics, session, groupId, instanceId, fromBeginning, lsl,
                maxEpochs, idleExit, rollingWindow, streamKinds, windowModel);
    }

    public DecoderConfig withSession(String s, String group, boolean fromStart) {
        return new DecoderConfig(model, engine, bank, candidates, topK, topics, s, group, instanceId, fromStart, lsl,
                maxEpochs, idleExit, rollingWindow, streamKinds, windowModel);
    }

    /** Decodes only epochs of these stream kinds, from these topics (e.g. fMRI: epochs and windows). */
    public DecoderConfig withStreams(Set<StreamKind> kinds, List<String> fromTopics) {
        return new DecoderConfig(model, engine, bank, candidates, topK, fromTopics, session, groupId, instanceId,
                fromBeginning, lsl, maxEpochs, idleExit, rollingWindow, kinds, windowModel);
    }

    /** The same decoder with sliding windows decoded by {@code model} (null: by the epoch model). */
    public DecoderConfig withWindowModel(Path model) {
        return new DecoderConfig(this.model, engine, bank, candidates, topK, topics, session, groupId, instanceId,
                fromBeginning, lsl, maxEpochs, idleExit, rollingWindow, streamKinds, model);
    }

    /** True when this decoder takes epochs of {@code kind}. */
    public boolean decodes(StreamKind kind) {
        return streamKinds.isEmpty() || streamKinds.contains(kind);
    }

    public DecoderConfig withTopK(int k) {
        return new DecoderConfig(model, engine, bank, candidates, k, topics, session, groupId, instanceId,
                fromBeginning, lsl, maxEpochs, idleExit, rollingWindow, streamKinds, windowModel);
    }

    public DecoderConfig withEngine(EngineOptions e) {
        return new DecoderConfig(model, e, bank, candidates, topK, topics, session, groupId, instanceId,
                fromBeginning, lsl, maxEpochs, idleExit, rollingWindow, streamKinds, windowModel);
    }

    public DecoderConfig withLsl(Lsl l) {
        return new DecoderConfig(model, engine, bank, candidates, topK, topics, session, groupId, instanceId,
                fromBeginning, l, maxEpochs, idleExit, rollingWindow, streamKinds, windowModel);
    }
}
