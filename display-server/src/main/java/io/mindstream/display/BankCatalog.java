package io.mindstream.display;

import io.mindstream.contracts.bank.EmbeddingBank;
import io.mindstream.display.state.ImageVectors;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the display needs from an embedding bank (bank format: docs/decoding.md): its size (for chance levels), the model that made
 * it, each image's thumbnail and concept (when the bank groups its images), and which of its images the decoder
 * retrieves among ({@code candidates}, null = all of them: only trials of candidate images can be scored), and its
 * vectors, unit length ({@code vectors}: sliding-window results name no image and are scored against the image on
 * screen; null when the catalog was made without them).
 */
public record BankCatalog(Path dir, int count, int dim, String model, Map<String, String> thumbnails,
                          Map<String, String> concepts, Set<String> candidates, ImageVectors vectors) {

    public BankCatalog {
        thumbnails = Map.copyOf(thumbnails);
        concepts = Map.copyOf(concepts);
        candidates = candidates == null ? null : Set.copyOf(candidates);
    }

    /** This catalog with the decoder retrieving among {@code ids} only (e.g. the bank's test split). */
    public BankCatalog withCandidates(Collection<String> ids) {
        for (String id : ids) {
            if (!thumbnails.containsKey(id)) {
                throw new IllegalArgumentException("candidate image '" + id + "' is not in the bank at " + dir);
            }
        }
        return new BankCatalog(dir, count, dim, model, thumbnails, concepts, Set.copyOf(ids), vectors);
    }

    /** Reads and checks a bank directory (through {@link EmbeddingBank}, the format's one reader). */
    public static BankCatalog read(Path dir) throws IOException {
        return of(dir, EmbeddingBank.read(dir));
    }

    /** The catalog of a bank already in memory (the demo shares the simulator's). */
    public static BankCatalog of(Path dir, EmbeddingBank bank) {
        Map<String, String> map = new HashMap<>();
        Map<String, String> concepts = new HashMap<>();
        for (int i = 0; i < bank.count(); i++) {
            map.put(bank.id(i), bank.thumbnails().get(i).replace('\\', '/'));
            if (!bank.concepts().isEmpty()) {
                concepts.put(bank.id(i), bank.concepts().get(i));
            }
        }
        return new BankCatalog(dir, bank.count(), bank.dim(), bank.model(), map, concepts, null,
                new ImageVectors(bank.ids(), bank.vectors(), bank.dim()));
    }

    /** The concept of an image, or null (an unknown image, or a bank that does not group its images). */
    public String conceptOf(String imageId) {
        return imageId == null ? null : concepts.get(imageId);
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
