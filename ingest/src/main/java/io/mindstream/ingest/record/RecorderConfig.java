package io.mindstream.ingest.record;

/**
 * How {@link XdfRecorder} records.
 *
 * @param clockOffsetIntervalSeconds how often each stream's clock offset is measured and written (LabRecorder: 5 s)
 * @param boundaryIntervalSeconds    how often a boundary chunk is written (LabRecorder: 10 s)
 * @param maxBufferedSeconds         inlet buffer: how much a stalled disk may fall behind before LSL drops samples
 * @param openTimeoutSeconds         how long to wait for a stream's connection and full info
 * @param pullTimeoutSeconds         how long one pull waits for data (bounds how fast close() is noticed)
 */
public record RecorderConfig(double clockOffsetIntervalSeconds, double boundaryIntervalSeconds,
                             int maxBufferedSeconds, double openTimeoutSeconds, double pullTimeoutSeconds) {

    public RecorderConfig {
        if (!(clockOffsetIntervalSeconds > 0) || !(boundaryIntervalSeconds > 0) || maxBufferedSeconds < 1
                || !(openTimeoutSeconds > 0) || !(pullTimeoutSeconds > 0)) {
            throw new IllegalArgumentException("recorder intervals and timeouts must be > 0");
        }
    }

    public static RecorderConfig defaults() {
        return new RecorderConfig(5.0, 10.0, 360, 10.0, 0.1);
    }
}
