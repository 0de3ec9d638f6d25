package io.mindstream.contracts.bank;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A bank of image embeddings: one D-dimensional float32 vector per image id, the image's thumbnail and which ids
 * are held out for testing. The decoder retrieves nearest neighbours from it, the simulator generates stimuli from
 * it and the display shows its thumbnails.
 *
 * <p>On disk a bank is a directory with
 * <ul>
 *   <li>{@code embeddings.npy}: float32, C order, N × D, numpy .npy v1.0 (see {@link Npy});</li>
 *   <li>{@code bank.json}: {@code {"format":"mindstream-bank","version":1,"count":N,"dim":D,"ids":[...],
 *       "thumbnails":["thumbs/<id>.png",...],"model":"<what produced the vectors>","split":{"test":[ids...]},
 *       "concepts":["<concept of each id>",...]}}, {@code split} and {@code concepts} optional; thumbnail paths are
 *       relative to the directory.</li>
 * </ul>
 *
 * <p>Immutable in spirit, like a record: the accessors are named as record components would be. It is a class and
 * not a record only because it keeps a precomputed id → row index for {@link #indexOf}. {@link #vectors()} returns
 * the backing array without copying (banks can be tens of MB): do not modify it.
 */
public final class EmbeddingBank {

    /** The value of bank.json's {@code format} field. */
    public static final String FORMAT = "mindstream-bank";
    /** The bank.json version this code writes and the newest it reads. */
    public static final int VERSION = 1;
    public static final String EMBEDDINGS_FILE = "embeddings.npy";
    public static final String METADATA_FILE = "bank.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> ids;
    private final int dim;
    private final float[] vectors;
    private final List<String> thumbnails;
    private final String model;
    private final List<String> testIds;
    private final List<String> concepts;
    private final Map<String, Integer> index;

    /**
     * @param ids        unique image ids, one per row
     * @param dim        embedding dimension D (&gt; 0)
     * @param vectors    N × D values, row-major ({@code vectors[i * dim + d]}); kept, not copied
     * @param thumbnails one thumbnail path per id, relative to the bank directory
     * @param model      what produced the vectors (e.g. {@code "dinov2-vits14"})
     * @param testIds    ids held out for testing (a subset of {@code ids}); empty when the bank has no split
     * @throws IllegalArgumentException on count mismatches, duplicate or unknown ids, absolute thumbnail paths
     */
    public EmbeddingBank(List<String> ids, int dim, float[] vectors, List<String> thumbnails, String model,
                         List<String> testIds) {
        this(ids, dim, vectors, thumbnails, model, testIds, List.of());
    }

    /**
     * A bank whose images are grouped into concepts (THINGS: "aardvark", with several exemplar images each): a
     * retrieved image of the stimulus's concept is a near miss worth telling apart from a wrong one.
     *
     * @param concepts one concept name per id, or empty when the bank does not group its images
     */
    public EmbeddingBank(List<String> ids, int dim, float[] vectors, List<String> thumbnails, String model,
                         List<String> testIds, List<String> concepts) {
        this.concepts = List.copyOf(Objects.requireNonNull(concepts, "concepts"));
        this.ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
        this.vectors = Objects.requireNonNull(vectors, "vectors");
        this.thumbnails = List.copyOf(Objects.requireNonNull(thumbnails, "thumbnails"));
        this.model = Objects.requireNonNull(model, "model");
        this.testIds = List.copyOf(Objects.requireNonNull(testIds, "testIds"));
        if (dim <= 0) {
            throw new IllegalArgumentException("dim must be positive, got " + dim);
        }
        this.dim = dim;
        if ((long) this.ids.size() * dim != vectors.length) {
            throw new IllegalArgumentException("vectors hold " + vectors.length + " values, expected "
                    + this.ids.size() + " ids × " + dim);
        }
        if (this.thumbnails.size() != this.ids.size()) {
            throw new IllegalArgumentException(this.thumbnails.size() + " thumbnails for " + this.ids.size() + " ids");
        }
        if (!this.concepts.isEmpty() && this.concepts.size() != this.ids.size()) {
            throw new IllegalArgumentException(this.concepts.size() + " concepts for " + this.ids.size() + " ids");
        }
        Map<String, Integer> idx = new HashMap<>(this.ids.size() * 2);
        for (int i = 0; i < this.ids.size(); i++) {
            Integer prev = idx.putIfAbsent(this.ids.get(i), i);
            if (prev != null) {
                throw new IllegalArgumentException("duplicate id '" + this.ids.get(i) + "' at rows " + prev + " and "
                        + i);
            }
        }
        this.index = idx;
        for (String t : this.thumbnails) {
            if (Path.of(t).isAbsolute()) {
                throw new IllegalArgumentException("thumbnail path '" + t + "' must be relative to the bank directory");
            }
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String t : this.testIds) {
            if (!idx.containsKey(t)) {
                throw new IllegalArgumentException("test id '" + t + "' is not in the bank");
            }
            if (!seen.add(t)) {
                throw new IllegalArgumentException("test id '" + t + "' listed twice");
            }
        }
    }

    /** Reads a bank directory ({@code embeddings.npy} + {@code bank.json}), checking that the two agree. */
    public static EmbeddingBank read(Path dir) throws IOException {
        Path jsonFile = dir.resolve(METADATA_FILE);
        Path npyFile = dir.resolve(EMBEDDINGS_FILE);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "embedding bank directory does not exist");
        }
        if (!Files.exists(jsonFile)) {
            throw new NoSuchFileException(jsonFile.toString(), null, "embedding bank has no " + METADATA_FILE);
        }
        if (!Files.exists(npyFile)) {
            throw new NoSuchFileException(npyFile.toString(), null, "embedding bank has no " + EMBEDDINGS_FILE);
        }
        JsonNode root;
        try {
            root = JSON.readTree(jsonFile.toFile());
        } catch (JacksonException e) {
            throw new BankFormatException(jsonFile, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BankFormatException(jsonFile, "expected a JSON object");
        }
        String format = text(root, "format", jsonFile);
        if (!FORMAT.equals(format)) {
            throw new BankFormatException(jsonFile, "format is '" + format + "', expected '" + FORMAT + "'");
        }
        int version = integer(root, "version", jsonFile);
        if (version < 1 || version > VERSION) {
            throw new BankFormatException(jsonFile, "bank version " + version + " is not supported (this build reads"
                    + " up to version " + VERSION + ")");
        }
        int count = integer(root, "count", jsonFile);
        int dim = integer(root, "dim", jsonFile);
        List<String> ids = strings(root, "ids", jsonFile);
        List<String> thumbs = strings(root, "thumbnails", jsonFile);
        String model = text(root, "model", jsonFile);
        List<String> testIds = List.of();
        JsonNode split = root.get("split");
        if (split != null && !split.isNull()) {
            if (!split.isObject()) {
                throw new BankFormatException(jsonFile, "'split' must be an object like {\"test\": [ids...]}");
            }
            if (split.has("test")) {
                testIds = strings(split, "test", jsonFile);
            }
        }
        List<String> concepts = List.of();
        JsonNode conceptNode = root.get("concepts");
        if (conceptNode != null && !conceptNode.isNull()) {
            concepts = strings(root, "concepts", jsonFile);
            if (concepts.size() != count) {
                throw new BankFormatException(jsonFile, "count is " + count + " but 'concepts' has " + concepts.size()
                        + " entries");
            }
        }
        if (ids.size() != count) {
            throw new BankFormatException(jsonFile, "count is " + count + " but 'ids' has " + ids.size() + " entries");
        }
        if (thumbs.size() != count) {
            throw new BankFormatException(jsonFile, "count is " + count + " but 'thumbnails' has " + thumbs.size()
                    + " entries");
        }
        Npy.FloatArray arr = Npy.read(npyFile);
        if (arr.ndim() != 2) {
            throw new BankFormatException(npyFile, "expected a 2-D N × D array, got shape "
                    + Arrays.toString(arr.shape()));
        }
        if (arr.rows() != count) {
            throw new BankFormatException(npyFile, "holds " + arr.rows() + " vectors but " + METADATA_FILE
                    + " says count " + count);
        }
        if (arr.cols() != dim) {
            throw new BankFormatException(npyFile, "vectors have dimension " + arr.cols() + " but " + METADATA_FILE
                    + " says dim " + dim);
        }
        try {
            return new EmbeddingBank(ids, dim, arr.data(), thumbs, model, testIds, concepts);
        } catch (IllegalArgumentException e) {
            throw new BankFormatException(jsonFile, e.getMessage(), e);
        }
    }

    /**
     * Writes this bank into {@code dir} (created if missing), replacing {@code embeddings.npy} and
     * {@code bank.json}. Each file is written to a temporary name and moved into place, so a reader never sees a
     * half-written file. Thumbnail images themselves are the caller's to write.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path npyTmp = Files.createTempFile(dir, ".embeddings", ".npy.tmp");
        Path jsonTmp = Files.createTempFile(dir, ".bank", ".json.tmp");
        try {
            Npy.writeMatrix(npyTmp, ids.size(), dim, vectors);
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("version", VERSION);
            root.put("count", ids.size());
            root.put("dim", dim);
            ArrayNode idArr = root.putArray("ids");
            ids.forEach(idArr::add);
            ArrayNode thumbArr = root.putArray("thumbnails");
            thumbnails.forEach(thumbArr::add);
            root.put("model", model);
            if (!testIds.isEmpty()) {
                ArrayNode test = root.putObject("split").putArray("test");
                testIds.forEach(test::add);
            }
            if (!concepts.isEmpty()) {
                ArrayNode conceptArr = root.putArray("concepts");
                concepts.forEach(conceptArr::add);
            }
            JSON.writeValue(jsonTmp.toFile(), root);
            move(npyTmp, dir.resolve(EMBEDDINGS_FILE));
            move(jsonTmp, dir.resolve(METADATA_FILE));
        } finally {
            Files.deleteIfExists(npyTmp);
            Files.deleteIfExists(jsonTmp);
        }
    }

    /** Number of vectors N. */
    public int count() {
        return ids.size();
    }

    public List<String> ids() {
        return ids;
    }

    public int dim() {
        return dim;
    }

    /** N × D row-major values; the backing array, not a copy: do not modify. */
    public float[] vectors() {
        return vectors;
    }

    /** Thumbnail paths relative to the bank directory, one per id. */
    public List<String> thumbnails() {
        return thumbnails;
    }

    public String model() {
        return model;
    }

    /** One concept name per id (row order); empty when the bank does not group its images into concepts. */
    public List<String> concepts() {
        return concepts;
    }

    /** Ids held out for testing; empty when the bank has no split. */
    public List<String> testIds() {
        return testIds;
    }

    /**
     * The retrieval candidates a command-line value names, as the decoder and the display both take it:
     * {@code all} (null: the whole bank), {@code test} (the bank's test split) or the path of a file of image ids,
     * one a line.
     *
     * @throws IllegalArgumentException when the bank has no test split, the value is neither keyword nor a readable
     *                                  file, or the file names no image or one the bank lacks
     */
    public List<String> candidateIds(String spec) throws IOException {
        if (spec.equals("all")) {
            return null;
        }
        if (spec.equals("test")) {
            if (testIds.isEmpty()) {
                throw new IllegalArgumentException("the bank has no test split");
            }
            return testIds;
        }
        Path f = Path.of(spec);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("not 'all', 'test' or a readable file of image ids");
        }
        List<String> listed = Files.readAllLines(f).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (listed.isEmpty()) {
            throw new IllegalArgumentException(f + " lists no image ids");
        }
        for (String id : listed) {
            if (!index.containsKey(id)) {
                throw new IllegalArgumentException(f + " names image '" + id + "', which is not in the bank");
            }
        }
        return listed;
    }

    public String id(int i) {
        return ids.get(i);
    }

    /** Copies row {@code i} into {@code dst[0 .. dim)}; returns {@code dst}. */
    public float[] vector(int i, float[] dst) {
        Objects.checkIndex(i, ids.size());
        if (dst.length < dim) {
            throw new IllegalArgumentException("destination holds " + dst.length + " values, need " + dim);
        }
        System.arraycopy(vectors, i * dim, dst, 0, dim);
        return dst;
    }

    /** Row of {@code id}, or -1 if the bank has no such id. */
    public int indexOf(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    /** The thumbnail of row {@code i} resolved against the bank directory {@code dir}. */
    public Path thumbnail(Path dir, int i) {
        return dir.resolve(thumbnails.get(i));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingBank b && dim == b.dim && ids.equals(b.ids) && Arrays.equals(vectors, b.vectors)
                && thumbnails.equals(b.thumbnails) && model.equals(b.model) && testIds.equals(b.testIds)
                && concepts.equals(b.concepts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ids, dim, Arrays.hashCode(vectors), thumbnails, model, testIds, concepts);
    }

    @Override
    public String toString() {
        return "EmbeddingBank[" + ids.size() + " × " + dim + " model " + model + ", " + testIds.size() + " test ids]";
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static JsonNode field(JsonNode obj, String name, Path file) throws BankFormatException {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) {
            throw new BankFormatException(file, "missing field '" + name + "'");
        }
        return n;
    }

    private static String text(JsonNode obj, String name, Path file) throws BankFormatException {
        JsonNode n = field(obj, name, file);
        if (!n.isTextual()) {
            throw new BankFormatException(file, "field '" + name + "' must be a string, got " + n.getNodeType());
        }
        return n.textValue();
    }

    private static int integer(JsonNode obj, String name, Path file) throws BankFormatException {
        JsonNode n = field(obj, name, file);
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
            throw new BankFormatException(file, "field '" + name + "' must be a non-negative integer, got " + n);
        }
        return n.intValue();
    }

    private static List<String> strings(JsonNode obj, String name, Path file) throws BankFormatException {
        JsonNode n = field(obj, name, file);
        if (!n.isArray()) {
            throw new BankFormatException(file, "field '" + name + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                throw new BankFormatException(file, "field '" + name + "'[" + i + "] must be a string, got " + e);
            }
            out.add(e.textValue());
        }
        return out;
    }
}
