package io.mindstream.contracts;

import java.util.Objects;

/** One retrieved image: its id in the embedding bank and its cosine similarity to the decoded embedding. */
public record Match(String imageId, float score) {
    public Match {
        Objects.requireNonNull(imageId, "imageId");
    }
}
