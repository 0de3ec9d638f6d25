package io.mindstream.contracts;

import java.util.Arrays;
import java.util.Objects;

/**
 * A preprocessed channels × times tensor cut around a trigger, ready for the decoder.
 *
 * @param session         subject/run key
 * @param epochId         deterministic id ({@code session/stream/kind/sequence}): a replayed or reprocessed epoch has
 *                        the same id, so at-least-once delivery can be de-duplicated downstream
 * @param streamId        the source stream the data came from
 * @param streamKind      MEG, EEG or FMRI
 * @param trigger         the marker or window it belongs to
 * @param tStart          time of the first sample, seconds, ingest host clock
 * @param tEnd            time of the last sample
 * @param sampleRate      rate of the tensor's time axis after decimation (Hz); for fMRI, 1/TR
 * @param channels        rows of {@code data} (sensors or voxels)
 * @param times           columns of {@code data}
 * @param data            channel-major: {@code data[c * times + t]}
 * @param preprocessingId which frozen preprocessing produced it (filters + statistics version)
 * @param qualityFlags    {@link QualityFlags} bits
 * @param trace           wall-clock trace stamps, carried over from the chunk that completed the epoch
 */
public record Epoch(
        String session,
        String epochId,
        String streamId,
        StreamKind streamKind,
        Trigger trigger,
        double tStart,
        double tEnd,
        double sampleRate,
        int channels,
        int times,
        float[] data,
        String preprocessingId,
        int qualityFlags,
        TraceStamps trace) {

    public Epoch {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(epochId, "epochId");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(streamKind, "streamKind");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(preprocessingId, "preprocessingId");
        Objects.requireNonNull(trace, "trace");
        if (channels <= 0 || times <= 0 || (long) channels * times != data.length) {
            throw new IllegalArgumentException("data holds " + data.length + " values, expected " + channels + " × "
                    + times);
        }
    }

    public float value(int channel, int time) {
        return data[channel * times + time];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Epoch e && session.equals(e.session) && epochId.equals(e.epochId)
                && streamId.equals(e.streamId) && streamKind == e.streamKind && trigger.equals(e.trigger)
                && Double.compare(tStart, e.tStart) == 0 && Double.compare(tEnd, e.tEnd) == 0
                && Double.compare(sampleRate, e.sampleRate) == 0 && channels == e.channels && times == e.times
                && Arrays.equals(data, e.data) && preprocessingId.equals(e.preprocessingId)
                && qualityFlags == e.qualityFlags && trace.equals(e.trace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(session, epochId, trigger, channels, times, Arrays.hashCode(data), qualityFlags);
    }

    @Override
    public String toString() {
        return "Epoch[" + epochId + " " + trigger.kind() + " " + channels + "×" + times + " @" + sampleRate + "Hz "
                + QualityFlags.describe(qualityFlags) + "]";
    }
}
