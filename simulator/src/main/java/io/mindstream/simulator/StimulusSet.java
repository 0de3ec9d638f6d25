package io.mindstream.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The images of the experiment and their generative latents: each concept has a random centroid, each image is its
 * concept's centroid plus an exemplar-specific part (weights √ρ and √(1−ρ), ρ = conceptWeight), normalised. Image
 * embeddings (the "DINOv2-like" bank vectors a decoder must predict) are a fixed random linear map of the latent
 * plus a weak tanh term, L2-normalised, so they inherit the concept clustering.
 *
 * <p>Bank images come first (training images concept-major, then test images, one per concept cycling over the
 * concepts); catch images follow them and are not in the bank.
 */
final class StimulusSet {

    final List<String> ids = new ArrayList<>();
    final List<String> splits = new ArrayList<>();
    final int[] concept;      // per image (bank + catch), -1 for catch images
    final int[] exemplar;     // exemplar number within the concept (test images: exemplarsPerConcept + k)
    final int bankCount;
    final int catchCount;
    final int latentDim;
    final float[] latents;    // (bank + catch) × latentDim
    final float[] conceptCentroids; // concepts × latentDim
    final int embeddingDim;
    final float[] embeddings; // bank × embeddingDim
    private final Map<String, Integer> index = new HashMap<>();

    StimulusSet(SimulationConfig cfg, int catchCount) {
        SplittableRandom rnd = new SplittableRandom(CounterRandom.streamKey(cfg.seed(), 1001));
        int train = cfg.concepts() * cfg.exemplarsPerConcept();
        bankCount = train + cfg.testImages();
        this.catchCount = catchCount;
        int total = bankCount + catchCount;
        latentDim = cfg.latentDim();
        concept = new int[total];
        exemplar = new int[total];
        int n = 0;
        for (int c = 0; c < cfg.concepts(); c++) {
            for (int e = 0; e < cfg.exemplarsPerConcept(); e++) {
                ids.add(String.format("c%04d_e%02d", c, e));
                splits.add(StimulusEvent.TRAIN);
                concept[n] = c;
                exemplar[n++] = e;
            }
        }
        for (int t = 0; t < cfg.testImages(); t++) {
            int c = t % cfg.concepts();
            int k = t / cfg.concepts();
            ids.add(String.format("c%04d_t%02d", c, k));
            splits.add(StimulusEvent.TEST);
            concept[n] = c;
            exemplar[n++] = cfg.exemplarsPerConcept() + k;
        }
        for (int k = 0; k < catchCount; k++) {
            ids.add(String.format("catch-%04d", k));
            splits.add(StimulusEvent.CATCH);
            concept[n] = -1;
            exemplar[n++] = k;
        }
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        conceptCentroids = new float[cfg.concepts() * latentDim];
        for (int c = 0; c < cfg.concepts(); c++) {
            fillUnitGaussian(rnd, conceptCentroids, c * latentDim, latentDim);
        }
        latents = new float[total * latentDim];
        double wc = Math.sqrt(cfg.conceptWeight());
        double we = Math.sqrt(1 - cfg.conceptWeight());
        float[] tmp = new float[latentDim];
        for (int i = 0; i < total; i++) {
            fillUnitGaussian(rnd, tmp, 0, latentDim);
            int off = i * latentDim;
            if (concept[i] >= 0) {
                int co = concept[i] * latentDim;
                for (int d = 0; d < latentDim; d++) {
                    latents[off + d] = (float) (wc * conceptCentroids[co + d] + we * tmp[d]);
                }
            } else {
                // catch images: an unrelated "BigGAN oddball" latent of their own
                System.arraycopy(tmp, 0, latents, off, latentDim);
            }
            normalise(latents, off, latentDim);
        }
        embeddingDim = cfg.embeddingDim();
        double[] proj = new double[embeddingDim * latentDim];
        double[] proj2 = new double[embeddingDim * latentDim];
        double s = 1.0 / Math.sqrt(latentDim);
        for (int i = 0; i < proj.length; i++) {
            proj[i] = rnd.nextGaussian() * s;
            proj2[i] = rnd.nextGaussian() * s * 3;
        }
        embeddings = new float[bankCount * embeddingDim];
        for (int i = 0; i < bankCount; i++) {
            int lo = i * latentDim;
            for (int e = 0; e < embeddingDim; e++) {
                double lin = 0;
                double non = 0;
                int po = e * latentDim;
                for (int d = 0; d < latentDim; d++) {
                    lin += proj[po + d] * latents[lo + d];
                    non += proj2[po + d] * latents[lo + d];
                }
                embeddings[i * embeddingDim + e] = (float) (lin + 0.25 * Math.tanh(non));
            }
            normalise(embeddings, i * embeddingDim, embeddingDim);
        }
    }

    int indexOf(String id) {
        return index.getOrDefault(id, -1);
    }

    List<String> bankIds() {
        return ids.subList(0, bankCount);
    }

    List<String> testIds() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < bankCount; i++) {
            if (StimulusEvent.TEST.equals(splits.get(i))) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    static void fillUnitGaussian(SplittableRandom rnd, float[] dst, int off, int n) {
        for (int i = 0; i < n; i++) {
            dst[off + i] = (float) rnd.nextGaussian();
        }
        normalise(dst, off, n);
    }

    static void normalise(float[] v, int off, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += (double) v[off + i] * v[off + i];
        }
        double inv = ss > 0 ? 1.0 / Math.sqrt(ss) : 0;
        for (int i = 0; i < n; i++) {
            v[off + i] = (float) (v[off + i] * inv);
        }
    }
}
