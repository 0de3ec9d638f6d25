package io.mindstream.decoder.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.bank.EmbeddingBank;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoding dataset on disk — what {@code ./mindstream dataset export} writes and the training script, the
 * {@code calibrate} and {@code evaluate} commands read:
 * <pre>
 *   DIR/X.npy          float32 N × channels × times, the epochs exactly as the pipeline emitted them
 *   DIR/dataset.json   {"format":"mindstream-dataset","version":1,"channels","times","sampleRate","tmin",
 *                       "preprocessingId","sensorPositions":[[x,y],…],"source":…,
 *                       "trials":[{"epochId","session","subject","imageId","split","trial","qualityFlags"},…]}
 *   DIR/bank/          the embedding bank (bank format: docs/decoding.md): targets and retrieval candidates
 * </pre>
 * A window export ({@code dataset export --windows}) is the same format with {@code "kind":"windows"} and an
 * {@code "offsets"} object at the top, and per row also {@code "onset"} (the trial's marker time) and {@code "offset"}
 * (the window's end time − onset, seconds); {@code tmin} is then the first sample's time relative to the window's end.
 * Epoch exports have {@code "kind":"epochs"} (older ones none).
 */
public final class DatasetFormat {

    public static final String FORMAT = "mindstream-dataset";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DatasetFormat() {
    }

    /** Writes epochs one by one; {@link #close()} writes dataset.json. */
    public static final class Writer implements AutoCloseable {
        private final Path dir;
        private final EpochArrayFile.Writer x;
        private final ObjectNode meta;
        private final ArrayNode trials;
        private final int channels;
        private final int times;
        private String preprocessingId;

        public Writer(Path dir, int channels, int times, double sampleRate, double tmin, double[][] sensorPositions,
                      JsonNode source) throws IOException {
            Files.createDirectories(dir);
            this.dir = dir;
            this.channels = channels;
            this.times = times;
            this.x = EpochArrayFile.create(dir.resolve("X.npy"), channels, times);
            this.meta = JSON.createObjectNode();
            meta.put("format", FORMAT);
            meta.put("version", VERSION);
            meta.put("channels", channels);
            meta.put("times", times);
            meta.put("sampleRate", sampleRate);
            meta.put("tmin", tmin);
            ArrayNode pos = meta.putArray("sensorPositions");
            for (double[] p : sensorPositions) {
                pos.addArray().add(p[0]).add(p[1]);
            }
            meta.set("source", source);
            this.trials = JSON.createArrayNode();
        }

        /** A top-level field of dataset.json beside the standard ones (e.g. {@code kind}, {@code offsets}). */
        public void describe(String key, JsonNode value) {
            meta.set(key, value);
        }

        public void add(Epoch e, String subject, String split, int trial) throws IOException {
            row(e, subject, e.trigger().imageId(), split, trial);
        }

        /**
         * A sliding window labelled with the trial it falls in: that trial's image, split and number, its onset
         * (marker time, seconds on the stream's clock) and the window's offset (end time − onset).
         */
        public void addWindow(Epoch w, String subject, String imageId, String split, int trial, double onset,
                              double offset) throws IOException {
            ObjectNode t = row(w, subject, imageId, split, trial);
            t.put("onset", onset);
            t.put("offset", offset);
        }

        private ObjectNode row(Epoch e, String subject, String imageId, String split, int trial) throws IOException {
            if (e.channels() != channels || e.times() != times) {
                throw new IllegalArgumentException("epoch " + e.epochId() + " is " + e.channels() + " × " + e.times()
                        + ", the dataset " + channels + " × " + times);
            }
            if (preprocessingId == null) {
                preprocessingId = e.preprocessingId();
            } else if (!preprocessingId.equals(e.preprocessingId())) {
                throw new IllegalArgumentException("epoch " + e.epochId() + " was preprocessed as " + e.preprocessingId()
                        + ", earlier ones as " + preprocessingId);
            }
            x.append(e.data());
            ObjectNode t = trials.addObject();
            t.put("epochId", e.epochId());
            t.put("session", e.session());
            t.put("subject", subject);
            t.put("imageId", imageId);
            t.put("split", split);
            t.put("trial", trial);
            t.put("qualityFlags", e.qualityFlags());
            return t;
        }

        public long count() {
            return x.rows();
        }

        @Override
        public void close() throws IOException {
            x.close();
            meta.put("preprocessingId", preprocessingId == null ? "" : preprocessingId);
            meta.set("trials", trials);
            JSON.writeValue(dir.resolve("dataset.json").toFile(), meta);
        }
    }

    /** A dataset opened for reading: metadata, trials and the bank in memory, epochs read from X.npy on demand. */
    public record Dataset(Path dir, String kind, int channels, int times, double sampleRate, String preprocessingId,
                          List<DatasetTrial> trials, EpochArrayFile epochs, EmbeddingBank bank) implements AutoCloseable {

        public float[] epoch(int i, float[] dst) throws IOException {
            return epochs.row(i, dst);
        }

        @Override
        public void close() throws IOException {
            epochs.close();
        }
    }

    public static Dataset open(Path dir) throws IOException {
        Path json = dir.resolve("dataset.json");
        if (!Files.isRegularFile(json)) {
            throw new IOException(dir + " is not a dataset: " + json.getFileName() + " is missing (write one with "
                    + "./mindstream dataset export)");
        }
        JsonNode m = JSON.readTree(json.toFile());
        if (!FORMAT.equals(m.path("format").asText())) {
            throw new IOException(json + ": format is '" + m.path("format").asText() + "', expected " + FORMAT);
        }
        if (m.path("version").asInt() > VERSION) {
            throw new IOException(json + ": version " + m.path("version").asInt() + " is newer than this build reads");
        }
        List<DatasetTrial> trials = new ArrayList<>();
        for (JsonNode t : m.path("trials")) {
            trials.add(new DatasetTrial(t.path("epochId").asText(""), t.path("session").asText(""),
                    t.path("subject").asText("sub-01"), t.path("imageId").asText(), t.path("split").asText(),
                    t.path("trial").asInt(-1), t.path("qualityFlags").asInt(0),
                    t.has("offset") ? t.path("offset").asDouble() : Double.NaN));
        }
        int channels = m.path("channels").asInt();
        int times = m.path("times").asInt();
        EpochArrayFile x = EpochArrayFile.open(dir.resolve("X.npy"));
        long[] shape = x.shape();
        if (shape.length != 3 || shape[0] != trials.size() || shape[1] != channels || shape[2] != times) {
            x.close();
            throw new IOException(dir.resolve("X.npy") + " has shape " + java.util.Arrays.toString(shape)
                    + " but dataset.json lists " + trials.size() + " trials of " + channels + " × " + times);
        }
        EmbeddingBank bank;
        try {
            bank = EmbeddingBank.read(dir.resolve("bank"));
        } catch (IOException e) {
            x.close();
            throw e;
        }
        return new Dataset(dir, m.path("kind").asText("epochs"), channels, times, m.path("sampleRate").asDouble(),
                m.path("preprocessingId").asText(""), List.copyOf(trials), x, bank);
    }
}
