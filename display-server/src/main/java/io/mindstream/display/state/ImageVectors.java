package io.mindstream.display.state;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bank's image embeddings, unit length, by image id: what a sliding window's result is scored against. A window
 * names no image (it is cut every 50 ms, not at a marker), so the display asks how close its embedding is to the image
 * on screen ({@link #cosine}) and where that image ranks among the candidates ({@link #rank}), as the decoder's
 * retrieval would rank it.
 */
public final class ImageVectors {

    private final int dim;
    private final Map<String, float[]> unit;

    /**
     * @param ids     image ids, one per row
     * @param vectors ids.size() × dim row-major embeddings
     */
    public ImageVectors(List<String> ids, float[] vectors, int dim) {
        if (dim < 1 || (long) ids.size() * dim != vectors.length) {
            throw new IllegalArgumentException(ids.size() + " ids × " + dim + " ≠ " + vectors.length + " values");
        }
        this.dim = dim;
        this.unit = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            float[] v = new float[dim];
            System.arraycopy(vectors, i * dim, v, 0, dim);
            normalise(v);
            unit.put(ids.get(i), v);
        }
    }

    private static double normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double n = Math.sqrt(s);
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / n);
            }
        }
        return n;
    }

    public int dim() {
        return dim;
    }

    /** Cosine similarity of {@code embedding} with image {@code imageId}; NaN for an unknown image or dimension. */
    public double cosine(float[] embedding, String imageId) {
        float[] v = imageId == null ? null : unit.get(imageId);
        if (v == null || embedding.length != dim) {
            return Double.NaN;
        }
        return dot(embedding, v) / norm(embedding);
    }

    /**
     * The 0-based rank of {@code imageId} among {@code candidates} (null = every image) by cosine similarity with
     * {@code embedding}, ties counted in its favour as the decoder's retrieval does; -1 when the image is not among
     * them or unknown.
     */
    public int rank(float[] embedding, String imageId, Collection<String> candidates) {
        float[] target = imageId == null ? null : unit.get(imageId);
        if (target == null || embedding.length != dim || (candidates != null && !candidates.contains(imageId))) {
            return -1;
        }
        double own = dot(embedding, target);
        int above = 0;
        for (String id : candidates == null ? unit.keySet() : candidates) {
            float[] v = unit.get(id);
            if (v != null && v != target && dot(embedding, v) > own) {
                above++;
            }
        }
        return above;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        double n = Math.sqrt(dot(a, a));
        return n > 0 ? n : 1;
    }
}
