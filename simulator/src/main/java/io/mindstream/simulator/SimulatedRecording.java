package io.mindstream.simulator;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.MarkerLabels;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.bank.EmbeddingBank;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Replays a {@link SimulatedSubject} as the records ingest would produce from it — MEG {@link SampleChunk}s and
 * {@link Marker}s in arrival order, on the subject's sample clock — without LSL or Kafka, so the offline epocher sees
 * what the live processor sees. Also writes the subject's embedding bank.
 */
public final class SimulatedRecording {

    private final SimulatedSubject subject;
    private final String session;
    private final String megStream;
    private final String markerStream;
    private final int chunkSamples;

    public SimulatedRecording(SimulatedSubject subject, String session, int chunkSamples) {
        this.subject = subject;
        this.session = session;
        this.megStream = session + "-meg";
        this.markerStream = session + "-markers";
        this.chunkSamples = chunkSamples;
    }

    /**
     * Feeds every record in arrival order: a marker arrives once the chunk holding its time has been sent.
     *
     * @param progress receives the fraction done, about every 1%
     */
    public void replay(Consumer<Object> sink, Consumer<Double> progress) {
        replay(sink, progress, Double.POSITIVE_INFINITY);
    }

    /** As {@link #replay(Consumer, Consumer)}, for the first {@code seconds} of the session only. */
    public void replay(Consumer<Object> sink, Consumer<Double> progress, double seconds) {
        int channels = subject.channelCount();
        double rate = subject.sampleRate();
        long total = (long) Math.min(subject.sampleCount(), Math.ceil(seconds * rate));
        List<MarkerEvent> markers = subject.markers();
        float[] buf = new float[chunkSamples * channels];
        int nextMarker = 0;
        long seq = 0;
        long reportEvery = Math.max(1, total / 100);
        long nextReport = reportEvery;
        for (long first = 0; first < total; first += chunkSamples) {
            int n = (int) Math.min(chunkSamples, total - first);
            float[] values = n == chunkSamples ? buf : new float[n * channels];
            subject.generateMeg(first, n, values);
            double[] ts = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = (first + i) / rate;
            }
            sink.accept(SampleChunk.ofFloats(session, megStream, StreamKind.MEG, channels, rate, first, ts,
                    n == chunkSamples ? values.clone() : values, TraceStamps.empty()));
            double end = ts[n - 1];
            while (nextMarker < markers.size() && markers.get(nextMarker).seconds() <= end) {
                MarkerEvent m = markers.get(nextMarker);
                sink.accept(new Marker(session, markerStream, seq++, m.seconds(), m.label(), null,
                        MarkerLabels.imageId(m.label()), TraceStamps.empty()));
                nextMarker++;
            }
            if (first + n >= nextReport) {
                progress.accept((first + n) / (double) total);
                nextReport += reportEvery;
            }
        }
        // the whole session: the markers after the last sample too; a part of it: only the markers within it
        double last = total < subject.sampleCount() ? (total - 1) / rate : Double.POSITIVE_INFINITY;
        while (nextMarker < markers.size() && markers.get(nextMarker).seconds() <= last) {
            MarkerEvent m = markers.get(nextMarker++);
            sink.accept(new Marker(session, markerStream, seq++, m.seconds(), m.label(), null,
                    MarkerLabels.imageId(m.label()), TraceStamps.empty()));
        }
    }

    /** The subject's bank (ids, embeddings, test split) with its thumbnails, written to {@code dir}. */
    public static EmbeddingBank writeBank(SimulatedSubject subject, Path dir, boolean thumbnails) throws IOException {
        List<String> ids = subject.imageIds();
        List<String> thumbs = new ArrayList<>(ids.size());
        Files.createDirectories(dir.resolve("thumbs"));
        for (String id : ids) {
            String rel = "thumbs/" + id + ".png";
            thumbs.add(rel);
            if (thumbnails) {
                ImageIO.write(subject.thumbnail(id), "png", dir.resolve(rel).toFile());
            }
        }
        EmbeddingBank bank = new EmbeddingBank(ids, subject.embeddingDim(), subject.embeddings(), thumbs,
                "simulated (seed " + subject.config().seed() + ", DINOv2-like, " + subject.embeddingDim() + "-d)",
                subject.testImageIds());
        bank.write(dir);
        return bank;
    }
}
