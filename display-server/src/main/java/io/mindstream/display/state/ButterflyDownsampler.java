package io.mindstream.display.state;

import io.mindstream.contracts.SampleChunk;

/**
 * Turns one MEG stream's chunks into short snippets for the butterfly plot: block-averages to about the plot rate
 * (averaging, not picking every n-th sample, so line noise and high frequencies do not alias into the picture),
 * removes each channel's slow offset (an exponential mean with a ~2 s time constant, display only), and cuts a
 * snippet every ~100 ms of data. Buffers are reused: no allocation per chunk except the snippet handed out.
 */
public final class ButterflyDownsampler {

    /** Downsampled data: {@code samples × channels}, sample-major; {@code t0} = LSL time of the first sample. */
    public record Snippet(String streamId, double rate, int channels, int samples, double t0, float[] data) {
    }

    private final double plotRate;
    private final int maxChannels;
    private String streamId;
    private int channels;
    private int factor;
    private double outRate;
    private int snippetSamples;
    private double[] acc;
    private int accCount;
    private double accT0;
    private double[] mean;
    private boolean meanInit;
    private double meanAlpha;
    private float[] pending;
    private int pendingSamples;
    private double pendingT0;
    private float[] chunkBuf = new float[0];

    /**
     * @param plotRate    wanted rate after downsampling (Hz)
     * @param maxChannels streams with more channels are not plotted (a butterfly of 10 000 voxels is not one)
     */
    public ButterflyDownsampler(double plotRate, int maxChannels) {
        this.plotRate = plotRate;
        this.maxChannels = maxChannels;
    }

    /**
     * Adds a chunk; returns a snippet when ~100 ms of plot data is ready, else null. The first stream seen is
     * the one plotted; chunks of other streams, split chunks and irregular streams are ignored.
     */
    public synchronized Snippet add(SampleChunk c) {
        if (!c.isWhole() || c.nominalRate() <= 0 || c.totalChannels() > maxChannels || c.sampleCount() == 0) {
            return null;
        }
        if (streamId == null) {
            configure(c);
        } else if (!streamId.equals(c.streamId())) {
            return null;
        } else if (c.totalChannels() != channels) {
            configure(c);                 // the stream was re-declared with another layout: start afresh
        }
        int n = c.sampleCount();
        if (chunkBuf.length < n * channels) {
            chunkBuf = new float[n * channels];
        }
        c.copyFloats(chunkBuf, 0);
        double[] ts = c.timestamps();
        Snippet out = null;
        for (int s = 0; s < n; s++) {
            if (accCount == 0) {
                accT0 = ts[s];
            }
            int base = s * channels;
            for (int ch = 0; ch < channels; ch++) {
                float v = chunkBuf[base + ch];
                acc[ch] += Float.isFinite(v) ? v : 0f;
            }
            if (++accCount == factor) {
                Snippet done = emitAveraged();
                if (done != null) {
                    out = done;
                }
            }
        }
        return out;
    }

    private Snippet emitAveraged() {
        if (pendingSamples == 0) {
            pendingT0 = accT0;
        }
        int base = pendingSamples * channels;
        for (int ch = 0; ch < channels; ch++) {
            double v = acc[ch] / factor;
            acc[ch] = 0;
            if (!meanInit) {
                mean[ch] = v;
            } else {
                mean[ch] += meanAlpha * (v - mean[ch]);
            }
            pending[base + ch] = (float) (v - mean[ch]);
        }
        meanInit = true;
        accCount = 0;
        if (++pendingSamples < snippetSamples) {
            return null;
        }
        Snippet s = new Snippet(streamId, outRate, channels, pendingSamples, pendingT0, pending.clone());
        pendingSamples = 0;
        return s;
    }

    private void configure(SampleChunk c) {
        streamId = c.streamId();
        channels = c.totalChannels();
        factor = Math.max(1, (int) Math.round(c.nominalRate() / plotRate));
        outRate = c.nominalRate() / factor;
        snippetSamples = Math.max(1, (int) Math.round(outRate * 0.1));
        acc = new double[channels];
        accCount = 0;
        mean = new double[channels];
        meanInit = false;
        meanAlpha = 1.0 - Math.exp(-1.0 / (2.0 * outRate));
        pending = new float[snippetSamples * channels];
        pendingSamples = 0;
    }

    /** The plotted stream, or null before the first chunk. */
    public synchronized String streamId() {
        return streamId;
    }
}
