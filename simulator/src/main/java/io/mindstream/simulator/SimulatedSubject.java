package io.mindstream.simulator;

import io.mindstream.contracts.bank.EmbeddingBank;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic MEG + fMRI subject watching THINGS-style image sequences (decoding.md §8). Build it once from a
 * {@link SimulationConfig}; everything — images, latents, embeddings, schedule, sensor layout, source model and every
 * sample — is a deterministic function of the config (its seed included).
 *
 * <p>Generative chain: per-image latents clustered by concept → (bank) image embeddings derived from the latents →
 * a fixed random nonlinearity → K evoked sources with distinct latencies (early image-specific ≈100 ms, category
 * 150–250 ms, sustained to ≈1 s, offset ≈100 ms after image offset) → radial-field forward model on a CTF-275-like
 * helmet, on top of 1/f^β spatially correlated background, alpha bursts, mains with harmonics, sensor noise,
 * dropouts and transients. The fMRI volumes are HRF-convolved responses to the same trials.
 *
 * <p>{@link #generateMeg} is deterministic per sample index (any chunking, any order, same values) and synchronised:
 * one subject serves one thread at a time; build a second subject from the same config for parallel generation.
 */
public final class SimulatedSubject {

    /** Silence after the last trial so its responses (and the HRF) can finish. */
    public static final double TAIL_SECONDS = 2.0;

    private final SimulationConfig config;
    private final SensorLayout layout;
    private final StimulusSet images;
    private final Paradigm paradigm;
    private final EvokedModel evoked;
    private final MegGenerator meg;
    private final FmriGenerator fmri;

    public SimulatedSubject(SimulationConfig config) {
        this.config = config;
        this.layout = SensorLayout.ctf275(config.channelCount());
        this.images = new StimulusSet(config, Paradigm.catchCount(config));
        this.paradigm = new Paradigm(config, images);
        this.evoked = new EvokedModel(config, images);
        this.meg = new MegGenerator(config, layout, evoked, paradigm);
        this.fmri = new FmriGenerator(config, images, paradigm);
    }

    public SimulationConfig config() {
        return config;
    }

    public SensorLayout sensorLayout() {
        return layout;
    }

    public int channelCount() {
        return layout.channelCount();
    }

    public double sampleRate() {
        return config.sampleRate();
    }

    /** Every trial in presentation order (catch trials included). */
    public List<StimulusEvent> schedule() {
        return paradigm.events;
    }

    /** Every marker the stimulus PC sends, in time order, trigger lag applied. */
    public List<MarkerEvent> markers() {
        return paradigm.markers;
    }

    /** Length of the session: the end of the last trial plus {@link #TAIL_SECONDS}. */
    public double durationSeconds() {
        return paradigm.endSeconds + TAIL_SECONDS;
    }

    /** MEG samples in {@link #durationSeconds()}. */
    public long sampleCount() {
        return (long) Math.ceil(durationSeconds() * config.sampleRate());
    }

    /**
     * Fills {@code dst[i * channelCount() + c]} (sample-major) with {@code samples} samples starting at sample index
     * {@code firstSample} (sample 0 is at time 0 of the schedule), in femtotesla. Generation may continue past
     * {@link #sampleCount()}: there is then only ongoing activity.
     *
     * @throws IllegalArgumentException if firstSample is negative or dst is too small
     */
    public synchronized void generateMeg(long firstSample, int samples, float[] dst) {
        meg.generate(firstSample, samples, dst);
    }

    /** Voxels per fMRI volume. */
    public int fmriVoxels() {
        return fmri.voxels();
    }

    /** fMRI repetition time, seconds; volume j is acquired at {@code j × TR}. */
    public double fmriTr() {
        return config.fmriTr();
    }

    /** Volumes in {@link #durationSeconds()}. */
    public long fmriVolumeCount() {
        return (long) Math.floor(durationSeconds() / config.fmriTr()) + 1;
    }

    /** Fills {@code dst[0 .. fmriVoxels() − 1]} with volume {@code volume} (arbitrary scanner units ≈ 100). */
    public void generateFmri(long volume, float[] dst) {
        fmri.generate(volume, dst);
    }

    /**
     * The ground-truth embedding bank: every train and test image with its embedding (the decoder's target),
     * thumbnail path {@code thumbs/<id>.png} and the test split. {@link GroundTruthWriter} writes it with the
     * thumbnails.
     */
    public EmbeddingBank bank() {
        List<String> ids = images.bankIds();
        List<String> thumbs = new ArrayList<>(ids.size());
        for (String id : ids) {
            thumbs.add("thumbs/" + id + ".png");
        }
        return new EmbeddingBank(ids, images.embeddingDim, images.embeddings.clone(), thumbs, bankModel(),
                images.testIds(), concepts(ids));
    }

    /** The concept name of each image ({@code c0102} for {@code c0102_e09}), as the bank records them. */
    public List<String> concepts(List<String> imageIds) {
        List<String> out = new ArrayList<>(imageIds.size());
        for (String id : imageIds) {
            out.add(String.format(java.util.Locale.ROOT, "c%04d", conceptOf(id)));
        }
        return out;
    }

    /** The bank's {@code model} string: what produced the vectors. */
    public String bankModel() {
        return "mindstream-simulator (seed " + config.seed() + ", latent " + config.latentDim() + "-d -> embedding "
                + config.embeddingDim() + "-d)";
    }

    /** Bank image ids (training images, then test images). */
    public List<String> imageIds() {
        return images.bankIds();
    }

    /** Ids of the held-out test images. */
    public List<String> testImageIds() {
        return images.testIds();
    }

    /** Dimension of the image embeddings. */
    public int embeddingDim() {
        return images.embeddingDim;
    }

    /** The image embeddings, row-major (imageIds().size() × embeddingDim()), L2-normalised. A copy. */
    public float[] embeddings() {
        return images.embeddings.clone();
    }

    /** Dimension of the generative latents. */
    public int latentDim() {
        return images.latentDim;
    }

    /** The generative latent of an image (bank or catch id), unit norm. */
    public float[] latent(String imageId) {
        int i = images.indexOf(imageId);
        if (i < 0) {
            throw new IllegalArgumentException("unknown image id '" + imageId + "'");
        }
        float[] out = new float[images.latentDim];
        System.arraycopy(images.latents, i * images.latentDim, out, 0, out.length);
        return out;
    }

    /** The concept index of an image (bank or catch id; -1 for catch images). */
    public int conceptOf(String imageId) {
        int i = images.indexOf(imageId);
        if (i < 0) {
            throw new IllegalArgumentException("unknown image id '" + imageId + "'");
        }
        return images.concept[i];
    }

    /** The procedurally drawn picture of an image (bank or catch id), {@value Thumbnails#SIZE}² RGB. */
    public BufferedImage thumbnail(String imageId) {
        int i = images.indexOf(imageId);
        if (i < 0) {
            throw new IllegalArgumentException("unknown image id '" + imageId + "'");
        }
        return Thumbnails.draw(config.seed(), images.concept[i], images.exemplar[i]);
    }

    /** Evoked-field gain the SNR dial produced (fT per unit source amplitude). */
    public double evokedGain() {
        return meg.evokedGain();
    }

    /** RMS of the ongoing background (1/f + sensor noise) per channel, fT: the SNR's denominator. */
    public double backgroundRms() {
        return meg.noiseRms();
    }

    EvokedModel evokedModel() {
        return evoked;
    }

    MegGenerator megGenerator() {
        return meg;
    }
}
