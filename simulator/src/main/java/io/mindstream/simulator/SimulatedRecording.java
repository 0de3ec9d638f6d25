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

    /** The fMRI stream's id in {@link #replayFmri}: {@code <session>-fmri}. */
    public String fmriStream() {
        return session + "-fmri";
    }

    /**
     * The fMRI session as ingest produces it from the simulator's LSL outlets: one whole volume per record on stream
     * {@code <session>-fmri} (kind FMRI, volume j at j × TR, sequence j), and the markers (the same sequence numbers
     * and stream as {@link #replay}) in time order between them — a marker arrives as soon as the stimulus PC sends
     * it, long before the volumes that carry its response. No MEG is generated.
     *
     * @param seconds session seconds to replay ({@code Double.POSITIVE_INFINITY}: the whole session)
     */
    public void replayFmri(Consumer<Object> sink, double seconds) {
        int voxels = subject.fmriVoxels();
        double tr = subject.fmriTr();
        long volumes = Double.isInfinite(seconds) ? subject.fmriVolumeCount()
                : Math.min(subject.fmriVolumeCount(), (long) Math.floor(seconds / tr) + 1);
        List<MarkerEvent> markers = subject.markers();
        int nextMarker = 0;
        long seq = 0;
        for (long j = 0; j < volumes; j++) {
            double t = j * tr;
            while (nextMarker < markers.size() && markers.get(nextMarker).seconds() <= t) {
                MarkerEvent m = markers.get(nextMarker++);
                sink.accept(new Marker(session, markerStream, seq++, m.seconds(), m.label(), null,
                        MarkerLabels.imageId(m.label()), TraceStamps.empty()));
            }
            float[] volume = new float[voxels];
            subject.generateFmri(j, volume);
            sink.accept(SampleChunk.ofFloats(session, fmriStream(), StreamKind.FMRI, voxels, 1.0 / tr, j,
                    new double[]{t}, volume, TraceStamps.empty()));
        }
        double last = volumes < subject.fmriVolumeCount() ? (volumes - 1) * tr : Double.POSITIVE_INFINITY;
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
                subject.testImageIds(), subject.concepts(ids));
        bank.write(dir);
        return bank;
    }
}
