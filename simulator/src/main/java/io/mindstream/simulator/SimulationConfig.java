package io.mindstream.simulator;

/**
 * Every parameter of the simulated subject, in one typed place. Start from {@link #defaults(long)} and change what
 * you need through {@link #toBuilder()}; the constructor validates every field and names the bad one.
 *
 * <p>Amplitudes are in femtotesla (fT), times in seconds. The single knob that sets how decodable the data are is
 * {@link #snr()}: the RMS (over channels and the 0–1 s after onset) of one trial's noise-free evoked field divided by
 * the RMS of the ongoing background (1/f brain noise plus sensor noise) on a channel. Alpha bursts, line noise and
 * artefacts come on top and are not part of that ratio (they are removable by filtering or rejection).
 *
 * @param seed                 everything random derives from it: same seed, same subject, same samples
 * @param channelCount         272 (CTF-275 minus the dead MLF25, MRF43, MRO13) or 271 (MRO11 also dropped)
 * @param sampleRate           MEG sampling rate, Hz
 * @param snr                  single-trial amplitude SNR of the evoked response, see above (0 = no evoked response)
 * @param lineFrequency        mains frequency, Hz (60 for the THINGS-MEG site, 50 in Europe)
 * @param lineAmplitude        RMS of the mains component at the fundamental, fT; harmonics 2 and 3 at 1/2 and 1/4
 * @param triggerLagSeconds    markers are stamped this much after the true onset (THINGS: ~0.15 s); 0 = exact
 * @param concepts             number of concepts (THINGS: 1,854)
 * @param exemplarsPerConcept  training images per concept (THINGS: 12)
 * @param trainRepeats         how often each training image is shown (THINGS: 1)
 * @param testImages           held-out test images, one per concept cycling over the concepts (THINGS: 200)
 * @param testRepeats          how often each test image is shown (THINGS: 12)
 * @param catchFraction        fraction of trials that are catch (oddball) trials (THINGS: ~0.09)
 * @param trialsPerBlock       trials per run; a {@code block start=<k>} marker and a pause separate runs
 * @param imageSeconds         image duration (THINGS: 0.5)
 * @param isiMeanSeconds       mean fixation interval after the image (THINGS: 1.0)
 * @param isiJitterSeconds     half-width of the uniform jitter on the fixation interval (THINGS: 0.2)
 * @param latentDim            dimension of the per-image generative latents (clustered by concept)
 * @param embeddingDim         dimension of the bank's image embeddings (DINOv2-like targets) derived from the latents
 * @param conceptWeight        share of latent variance carried by the concept (0..1); the rest is exemplar-specific
 * @param evokedSources        number K of evoked sources (early, category, sustained and offset groups)
 * @param nonlinear            latents reach the sources through a fixed random tanh network (true) or linearly
 * @param backgroundSources    number of 1/f background dipoles
 * @param backgroundAmplitude  RMS of the 1/f brain background per channel, fT
 * @param backgroundBeta       spectral exponent β of the background (power ∝ 1/f^β), between 0.5 and 2
 * @param sensorNoise          RMS of independent white sensor noise per channel, fT
 * @param alphaAmplitude       peak amplitude of occipito-parietal alpha bursts per channel (RMS-normalised), fT
 * @param dropoutsPerHour      rate of full-signal dropouts (all channels flat, 30–190 ms)
 * @param transientsPerHour    rate of large localised transients (SQUID jumps, muscle)
 * @param transientAmplitude   peak of a transient at its centre channel, fT
 * @param fmriVoxels           voxels per fMRI volume
 * @param fmriTr               fMRI repetition time, s
 * @param fmriSnr              fMRI signal amplitude relative to the per-voxel noise (1 = equal standard deviations)
 */
public record SimulationConfig(
        long seed,
        int channelCount,
        double sampleRate,
        double snr,
        double lineFrequency,
        double lineAmplitude,
        double triggerLagSeconds,
        int concepts,
        int exemplarsPerConcept,
        int trainRepeats,
        int testImages,
        int testRepeats,
        double catchFraction,
        int trialsPerBlock,
        double imageSeconds,
        double isiMeanSeconds,
        double isiJitterSeconds,
        int latentDim,
        int embeddingDim,
        double conceptWeight,
        int evokedSources,
        boolean nonlinear,
        int backgroundSources,
        double backgroundAmplitude,
        double backgroundBeta,
        double sensorNoise,
        double alphaAmplitude,
        double dropoutsPerHour,
        double transientsPerHour,
        double transientAmplitude,
        int fmriVoxels,
        double fmriTr,
        double fmriSnr) {

    /** Default single-trial SNR: a ridge decoder is clearly above chance on single trials, and 12-trial averages
     *  are far better (see docs/simulator.md). */
    public static final double DEFAULT_SNR = 0.5;

    public SimulationConfig {
        require(channelCount == 272 || channelCount == 271, "channelCount", channelCount,
                "must be 272 (MLF25, MRF43, MRO13 dropped) or 271 (MRO11 also dropped)");
        require(sampleRate >= 200 && sampleRate <= 20_000, "sampleRate", sampleRate, "must be within 200..20000 Hz");
        require(snr >= 0 && Double.isFinite(snr), "snr", snr, "must be finite and >= 0");
        require(lineFrequency >= 0 && lineFrequency * 3 < sampleRate / 2, "lineFrequency", lineFrequency,
                "must be >= 0 with its third harmonic below Nyquist");
        require(lineAmplitude >= 0, "lineAmplitude", lineAmplitude, "must be >= 0");
        require(triggerLagSeconds >= -1 && triggerLagSeconds <= 1, "triggerLagSeconds", triggerLagSeconds,
                "must be within -1..1 s");
        require(concepts >= 1, "concepts", concepts, "must be >= 1");
        require(exemplarsPerConcept >= 0, "exemplarsPerConcept", exemplarsPerConcept, "must be >= 0");
        require(trainRepeats >= 0, "trainRepeats", trainRepeats, "must be >= 0");
        require(testImages >= 0, "testImages", testImages, "must be >= 0");
        require(testRepeats >= 0, "testRepeats", testRepeats, "must be >= 0");
        require(concepts * exemplarsPerConcept + testImages >= 1, "concepts*exemplarsPerConcept+testImages",
                concepts * exemplarsPerConcept + testImages, "there must be at least one image");
        require(catchFraction >= 0 && catchFraction < 0.5, "catchFraction", catchFraction, "must be within 0..0.5");
        require(trialsPerBlock >= 1, "trialsPerBlock", trialsPerBlock, "must be >= 1");
        require(imageSeconds > 0 && imageSeconds <= 5, "imageSeconds", imageSeconds, "must be within (0, 5] s");
        require(isiMeanSeconds > 0, "isiMeanSeconds", isiMeanSeconds, "must be > 0");
        require(isiJitterSeconds >= 0 && isiJitterSeconds < isiMeanSeconds, "isiJitterSeconds", isiJitterSeconds,
                "must be >= 0 and below isiMeanSeconds");
        require(latentDim >= 2, "latentDim", latentDim, "must be >= 2");
        require(embeddingDim >= 2, "embeddingDim", embeddingDim, "must be >= 2");
        require(conceptWeight >= 0 && conceptWeight <= 1, "conceptWeight", conceptWeight, "must be within 0..1");
        require(evokedSources >= 4 && evokedSources <= 256, "evokedSources", evokedSources, "must be within 4..256");
        require(backgroundSources >= 1 && backgroundSources <= 512, "backgroundSources", backgroundSources,
                "must be within 1..512");
        require(backgroundAmplitude >= 0, "backgroundAmplitude", backgroundAmplitude, "must be >= 0");
        require(backgroundBeta >= 0.5 && backgroundBeta <= 2, "backgroundBeta", backgroundBeta,
                "must be within 0.5..2");
        require(sensorNoise >= 0, "sensorNoise", sensorNoise, "must be >= 0");
        require(backgroundAmplitude + sensorNoise > 0, "backgroundAmplitude+sensorNoise",
                backgroundAmplitude + sensorNoise, "must be > 0 (the SNR is defined relative to it)");
        require(alphaAmplitude >= 0, "alphaAmplitude", alphaAmplitude, "must be >= 0");
        require(dropoutsPerHour >= 0 && dropoutsPerHour <= 360, "dropoutsPerHour", dropoutsPerHour,
                "must be within 0..360");
        require(transientsPerHour >= 0 && transientsPerHour <= 360, "transientsPerHour", transientsPerHour,
                "must be within 0..360");
        require(transientAmplitude >= 0, "transientAmplitude", transientAmplitude, "must be >= 0");
        require(fmriVoxels >= 1, "fmriVoxels", fmriVoxels, "must be >= 1");
        require(fmriTr >= 0.1 && fmriTr <= 10, "fmriTr", fmriTr, "must be within 0.1..10 s");
        require(fmriSnr >= 0 && Double.isFinite(fmriSnr), "fmriSnr", fmriSnr, "must be finite and >= 0");
    }

    /**
     * Small defaults for a demo (≈ 6 minutes of real time): 32 concepts × 4 exemplars shown once, 16 test images × 6
     * repeats, 9 % catch trials, THINGS-MEG timing, 272 channels at 1,200 Hz, 60 Hz mains, no trigger lag,
     * 15,000 voxels at TR 1.5 s.
     */
    public static SimulationConfig defaults(long seed) {
        return new SimulationConfig(seed, 272, 1200.0, DEFAULT_SNR, 60.0, 150.0, 0.0,
                32, 4, 1, 16, 6, 0.09, 75,
                0.5, 1.0, 0.2,
                64, 768, 0.6, 24, true,
                32, 250.0, 1.5, 60.0, 300.0,
                6.0, 30.0, 20_000.0,
                15_000, 1.5, 1.0);
    }

    /** Number of distinct bank images: training images plus test images. */
    public int imageCount() {
        return concepts * exemplarsPerConcept + testImages;
    }

    /** The fixed response window each evoked source covers after onset, seconds. */
    public double responseSeconds() {
        return Math.max(1.2, imageSeconds + 0.7);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void require(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("simulation parameter " + name + " = " + value + ": " + rule);
        }
    }

    /** Mutable copy of a config; {@link #build()} validates. */
    public static final class Builder {
        private long seed;
        private int channelCount;
        private double sampleRate, snr, lineFrequency, lineAmplitude, triggerLagSeconds;
        private int concepts, exemplarsPerConcept, trainRepeats, testImages, testRepeats;
        private double catchFraction;
        private int trialsPerBlock;
        private double imageSeconds, isiMeanSeconds, isiJitterSeconds;
        private int latentDim, embeddingDim;
        private double conceptWeight;
        private int evokedSources;
        private boolean nonlinear;
        private int backgroundSources;
        private double backgroundAmplitude, backgroundBeta, sensorNoise, alphaAmplitude;
        private double dropoutsPerHour, transientsPerHour, transientAmplitude;
        private int fmriVoxels;
        private double fmriTr, fmriSnr;

        private Builder(SimulationConfig c) {
            seed = c.seed; channelCount = c.channelCount; sampleRate = c.sampleRate; snr = c.snr;
            lineFrequency = c.lineFrequency; lineAmplitude = c.lineAmplitude; triggerLagSeconds = c.triggerLagSeconds;
            concepts = c.concepts; exemplarsPerConcept = c.exemplarsPerConcept; trainRepeats = c.trainRepeats;
            testImages = c.testImages; testRepeats = c.testRepeats; catchFraction = c.catchFraction;
            trialsPerBlock = c.trialsPerBlock; imageSeconds = c.imageSeconds; isiMeanSeconds = c.isiMeanSeconds;
            isiJitterSeconds = c.isiJitterSeconds; latentDim = c.latentDim; embeddingDim = c.embeddingDim;
            conceptWeight = c.conceptWeight; evokedSources = c.evokedSources; nonlinear = c.nonlinear;
            backgroundSources = c.backgroundSources; backgroundAmplitude = c.backgroundAmplitude;
            backgroundBeta = c.backgroundBeta; sensorNoise = c.sensorNoise; alphaAmplitude = c.alphaAmplitude;
            dropoutsPerHour = c.dropoutsPerHour; transientsPerHour = c.transientsPerHour;
            transientAmplitude = c.transientAmplitude; fmriVoxels = c.fmriVoxels; fmriTr = c.fmriTr;
            fmriSnr = c.fmriSnr;
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder channelCount(int v) { channelCount = v; return this; }
        public Builder sampleRate(double v) { sampleRate = v; return this; }
        public Builder snr(double v) { snr = v; return this; }
        public Builder lineFrequency(double v) { lineFrequency = v; return this; }
        public Builder lineAmplitude(double v) { lineAmplitude = v; return this; }
        public Builder triggerLagSeconds(double v) { triggerLagSeconds = v; return this; }
        public Builder concepts(int v) { concepts = v; return this; }
        public Builder exemplarsPerConcept(int v) { exemplarsPerConcept = v; return this; }
        public Builder trainRepeats(int v) { trainRepeats = v; return this; }
        public Builder testImages(int v) { testImages = v; return this; }
        public Builder testRepeats(int v) { testRepeats = v; return this; }
        public Builder catchFraction(double v) { catchFraction = v; return this; }
        public Builder trialsPerBlock(int v) { trialsPerBlock = v; return this; }
        public Builder imageSeconds(double v) { imageSeconds = v; return this; }
        public Builder isiMeanSeconds(double v) { isiMeanSeconds = v; return this; }
        public Builder isiJitterSeconds(double v) { isiJitterSeconds = v; return this; }
        public Builder latentDim(int v) { latentDim = v; return this; }
        public Builder embeddingDim(int v) { embeddingDim = v; return this; }
        public Builder conceptWeight(double v) { conceptWeight = v; return this; }
        public Builder evokedSources(int v) { evokedSources = v; return this; }
        public Builder nonlinear(boolean v) { nonlinear = v; return this; }
        public Builder backgroundSources(int v) { backgroundSources = v; return this; }
        public Builder backgroundAmplitude(double v) { backgroundAmplitude = v; return this; }
        public Builder backgroundBeta(double v) { backgroundBeta = v; return this; }
        public Builder sensorNoise(double v) { sensorNoise = v; return this; }
        public Builder alphaAmplitude(double v) { alphaAmplitude = v; return this; }
        public Builder dropoutsPerHour(double v) { dropoutsPerHour = v; return this; }
        public Builder transientsPerHour(double v) { transientsPerHour = v; return this; }
        public Builder transientAmplitude(double v) { transientAmplitude = v; return this; }
        public Builder fmriVoxels(int v) { fmriVoxels = v; return this; }
        public Builder fmriTr(double v) { fmriTr = v; return this; }
        public Builder fmriSnr(double v) { fmriSnr = v; return this; }

        /** No artefacts, no line noise, no alpha: only evoked responses on the 1/f and sensor background. */
        public Builder clean() {
            lineAmplitude = 0; alphaAmplitude = 0; dropoutsPerHour = 0; transientsPerHour = 0;
            return this;
        }

        public SimulationConfig build() {
            return new SimulationConfig(seed, channelCount, sampleRate, snr, lineFrequency, lineAmplitude,
                    triggerLagSeconds, concepts, exemplarsPerConcept, trainRepeats, testImages, testRepeats,
                    catchFraction, trialsPerBlock, imageSeconds, isiMeanSeconds, isiJitterSeconds, latentDim,
                    embeddingDim, conceptWeight, evokedSources, nonlinear, backgroundSources, backgroundAmplitude,
                    backgroundBeta, sensorNoise, alphaAmplitude, dropoutsPerHour, transientsPerHour,
                    transientAmplitude, fmriVoxels, fmriTr, fmriSnr);
        }
    }
}
