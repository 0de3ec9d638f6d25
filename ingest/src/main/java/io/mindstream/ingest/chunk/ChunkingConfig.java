package io.mindstream.ingest.chunk;

/**
 * How samples are grouped into records (architecture.md §1).
 *
 * @param spanSeconds    target span of one chunk (default 10 ms; LSL recommends 5–30 ms)
 * @param maxRecordBytes most value bytes one record may carry; a sample wider than this (a large fMRI volume) is
 *                       split across records by channel range, and reassembled by
 *                       {@link io.mindstream.contracts.VolumeAssembler}
 */
public record ChunkingConfig(double spanSeconds, int maxRecordBytes) {

    public ChunkingConfig {
        if (!(spanSeconds > 0)) {
            throw new IllegalArgumentException("chunk span must be > 0 s, got " + spanSeconds);
        }
        if (maxRecordBytes < 64) {
            throw new IllegalArgumentException("max record bytes must be >= 64, got " + maxRecordBytes);
        }
    }

    public static ChunkingConfig defaults() {
        return new ChunkingConfig(0.010, 256 * 1024);
    }

    /** Samples per chunk for a stream: span × rate (at least 1; irregular streams: what arrives, up to 64). */
    public int samplesPerChunk(double nominalRate, int channels, int bytesPerValue) {
        int bySpan = nominalRate > 0 ? (int) Math.max(1, Math.round(nominalRate * spanSeconds)) : 64;
        long bytesPerSample = (long) channels * bytesPerValue;
        int bySize = (int) Math.max(1, maxRecordBytes / bytesPerSample);
        return Math.min(bySpan, bySize);
    }

    /** Channels per record slice: all of them, unless one sample is wider than the record limit. */
    public int channelsPerSlice(int channels, int bytesPerValue) {
        return (int) Math.min(channels, Math.max(1, maxRecordBytes / bytesPerValue));
    }
}
