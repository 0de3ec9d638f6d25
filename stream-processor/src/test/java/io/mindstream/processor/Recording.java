package io.mindstream.processor;

import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Synthetic recordings for tests: chunked continuous streams and markers, deterministic. */
public final class Recording {

    private Recording() {
    }

    /** {@code value(seq, channel)}; timestamps {@code t0 + seq / rate}. */
    public static List<SampleChunk> continuous(String session, String stream, StreamKind kind, int channels,
                                               double rate, double t0, long firstSeq, long samples, int chunk,
                                               BiFunction<Long, Integer, Float> value) {
        List<SampleChunk> out = new ArrayList<>();
        for (long s = firstSeq; s < firstSeq + samples; s += chunk) {
            int n = (int) Math.min(chunk, firstSeq + samples - s);
            double[] ts = new double[n];
            float[] v = new float[n * channels];
            for (int i = 0; i < n; i++) {
                ts[i] = t0 + (s + i) / rate;
                for (int c = 0; c < channels; c++) {
                    v[i * channels + c] = value.apply(s + i, c);
                }
            }
            out.add(SampleChunk.ofFloats(session, stream, kind, channels, rate, s, ts, v, stamp(s)));
        }
        return out;
    }

    /**
     * What ingest writes where a stream's data stops (it stopped reading the stream, or samples are lost at the
     * source right after): a chunk with no samples at the sequence the next sample would have.
     */
    public static SampleChunk end(SampleChunk like, long nextSequence) {
        return SampleChunk.end(like.session(), like.streamId(), like.kind(), like.format(), like.totalChannels(),
                like.nominalRate(), nextSequence, stamp(nextSequence));
    }

    /** The same chunk, saying that the {@code lost} samples before it were lost at the source. */
    public static SampleChunk afterLoss(SampleChunk c, long lost) {
        return new SampleChunk(c.session(), c.streamId(), c.kind(), c.format(), c.totalChannels(), c.channelOffset(),
                c.channelCount(), c.nominalRate(), c.firstSequence(), lost, c.timestamps(), c.values(), c.trace());
    }

    public static TraceStamps stamp(long s) {
        return TraceStamps.empty().with(io.mindstream.contracts.Stage.ACQUIRED, 1_000_000 + s);
    }

    public static Marker onset(String session, long seq, double t, String image) {
        return new Marker(session, "markers", seq, t, "onset image=" + image + " trial=" + seq + " split=train", null,
                image, TraceStamps.empty());
    }

    /** A pseudo-random but deterministic MEG-like value: a few sines plus hashed noise. */
    /**
     * What ingest's scanner-folder source writes to raw.streams for an fMRI stream: its stream-info XML with
     * {@code <desc><geometry>} ({@link io.mindstream.formats.Geometry#describeTo}), from sequence 0.
     */
    public static io.mindstream.contracts.StreamDescription fmriDescription(String session, String stream,
                                                                           io.mindstream.formats.Geometry g) {
        var info = new io.mindstream.lsl4j.StreamInfo(stream, "fMRI", g.voxels(), 1.0,
                io.mindstream.lsl4j.ChannelFormat.FLOAT32, stream);
        g.describeTo(info.desc().appendChild("geometry")::appendChildValue);
        return new io.mindstream.contracts.StreamDescription(session, stream, StreamKind.FMRI, 0, info.toXml(),
                TraceStamps.empty());
    }

    /** {@code n} whole fMRI volumes of {@code voxels} at TR 1 s from t = 10 s: voxel i of volume v is a slow sine. */
    public static List<SampleChunk> fmriVolumes(String session, String stream, int voxels, int n) {
        List<SampleChunk> out = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            float[] values = new float[voxels];
            for (int i = 0; i < voxels; i++) {
                values[i] = (float) (100 + (i % 97) + 0.5 * v + Math.sin(0.7 * v + i));
            }
            out.add(SampleChunk.ofFloats(session, stream, StreamKind.FMRI, voxels, 1.0, v, new double[]{10.0 + v},
                    values, TraceStamps.empty()));
        }
        return out;
    }

    public static float meg(long seq, int c) {
        double t = seq / 1200.0;
        long h = (seq * 0x9E3779B97F4A7C15L) ^ (c * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        double noise = ((h & 0xffff) / 65536.0 - 0.5);
        return (float) (10 * (c % 7 + 1) + Math.sin(2 * Math.PI * 7 * t + c) + 0.5 * Math.sin(2 * Math.PI * 60 * t)
                + noise);
    }
}
