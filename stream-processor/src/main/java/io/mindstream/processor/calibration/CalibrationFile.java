package io.mindstream.processor.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mindstream.contracts.StreamKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The persisted, versioned form of a {@link Calibration}: a small JSON file
 * <pre>{"format":"mindstream-calibration","version":1,"id":"cal-…","kind":"MEG","method":"robust",
 *  "channels":272,"fittedOn":"…","center":[…],"scale":[…]}</pre>
 * The {@code id} is a content hash, so it names the statistics and appears in every epoch's
 * {@code preprocessingId}; a file whose id does not match its numbers is rejected.
 */
public final class CalibrationFile {

    public static final String FORMAT = "mindstream-calibration";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CalibrationFile() {
    }

    public static byte[] toJson(Calibration c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT).put("version", VERSION).put("id", c.id()).put("kind", c.kind().name())
                .put("method", c.method()).put("channels", c.channels()).put("fittedOn", c.fittedOn());
        ArrayNode center = n.putArray("center");
        for (float v : c.center()) {
            center.add(v);
        }
        ArrayNode scale = n.putArray("scale");
        for (float v : c.scale()) {
            scale.add(v);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Calibration fromJson(byte[] json, String source) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getMessage());
        }
        if (n == null || !FORMAT.equals(n.path("format").asText())) {
            throw new IllegalArgumentException(source + ": not a " + FORMAT + " file");
        }
        if (n.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException(source + ": unsupported calibration version " + n.path("version"));
        }
        float[] center = floats(n.path("center"), source, "center");
        float[] scale = floats(n.path("scale"), source, "scale");
        if (center.length != n.path("channels").asInt() || scale.length != center.length) {
            throw new IllegalArgumentException(source + ": channels " + n.path("channels") + " but center has "
                    + center.length + " and scale " + scale.length + " values");
        }
        StreamKind kind;
        try {
            kind = StreamKind.valueOf(n.path("kind").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": unknown kind " + n.path("kind"));
        }
        Calibration c = Calibration.of(kind, n.path("method").asText(), center, scale, n.path("fittedOn").asText());
        if (!c.id().equals(n.path("id").asText())) {
            throw new IllegalArgumentException(source + ": id " + n.path("id").asText()
                    + " does not match its statistics (" + c.id() + "): edited or corrupt");
        }
        return c;
    }

    public static Calibration read(Path file) throws IOException {
        return fromJson(Files.readAllBytes(file), file.toString());
    }

    /** Writes atomically (temp file + move) so a crash never leaves half a calibration behind. */
    public static void write(Calibration c, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        Files.write(tmp, toJson(c));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }


    private static float[] floats(JsonNode arr, String source, String field) {
        if (!arr.isArray()) {
            throw new IllegalArgumentException(source + ": '" + field + "' is not an array");
        }
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = arr.get(i);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(source + ": " + field + "[" + i + "] is not a number");
            }
            out[i] = (float) v.asDouble();
        }
        return out;
    }
}
