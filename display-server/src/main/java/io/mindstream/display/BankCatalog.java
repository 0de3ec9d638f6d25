package io.mindstream.display;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the display needs from an embedding bank (TEAM.md format): its size (for chance levels), the model that made
 * it, and each image's thumbnail. Only {@code bank.json} is read — the page never needs the N × D vectors, so the
 * display does not load {@code embeddings.npy}.
 */
public record BankCatalog(Path dir, int count, int dim, String model, Map<String, String> thumbnails) {

    public BankCatalog {
        thumbnails = Map.copyOf(thumbnails);
    }

    public static BankCatalog read(Path dir) throws IOException {
        Path json = dir.resolve("bank.json");
        if (!Files.isRegularFile(json)) {
            throw new IOException(dir + " is not an embedding bank: it has no bank.json");
        }
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (!"mindstream-bank".equals(root.path("format").asText())) {
            throw new IOException(json + ": format is '" + root.path("format").asText()
                    + "', expected 'mindstream-bank'");
        }
        if (root.path("version").asInt(-1) != 1) {
            throw new IOException(json + ": unsupported bank version " + root.path("version"));
        }
        JsonNode ids = root.path("ids");
        JsonNode thumbs = root.path("thumbnails");
        int count = root.path("count").asInt(-1);
        if (!ids.isArray() || ids.size() != count) {
            throw new IOException(json + ": count is " + count + " but ids holds " + ids.size() + " entries");
        }
        Map<String, String> map = new HashMap<>();
        if (thumbs.isArray()) {
            if (thumbs.size() != count) {
                throw new IOException(json + ": " + thumbs.size() + " thumbnails for " + count + " ids");
            }
            for (int i = 0; i < count; i++) {
                map.put(ids.get(i).asText(), thumbs.get(i).asText());
            }
        }
        return new BankCatalog(dir, count, root.path("dim").asInt(0), root.path("model").asText(""), map);
    }

    /** The page's URL of an image's thumbnail ({@code /bank/<relative path>}, each segment encoded), or null. */
    public String thumbnailUrl(String imageId) {
        String rel = imageId == null ? null : thumbnails.get(imageId);
        if (rel == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder("/bank");
        for (String seg : rel.split("/")) {
            sb.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }
}
