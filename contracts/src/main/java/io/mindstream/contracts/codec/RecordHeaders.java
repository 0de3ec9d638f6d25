package io.mindstream.contracts.codec;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Headers ingest's forwarder puts on every raw-topic record (part of the wire contract: docs/contracts.md). {@code ms.journal} + {@code ms.index} identify the journal
 * entry a record came from (what restart de-duplication relies on); {@code ms.flags} carries the
 * {@link io.mindstream.contracts.QualityFlags} the per-stream checks raised for it (the chunk record has no field
 * for them), {@code ms.stream} the stream id.
 */
public final class RecordHeaders {
    public static final String JOURNAL = "ms.journal";
    public static final String INDEX = "ms.index";
    public static final String FLAGS = "ms.flags";
    public static final String STREAM = "ms.stream";

    private RecordHeaders() {
    }

    public static byte[] uuid(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    public static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    public static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    /** The journal index of a record written by the journal {@code journalId}, or -1 if another wrote it. */
    public static long journalIndex(Headers headers, byte[] journalId) {
        Header j = headers.lastHeader(JOURNAL);
        if (j == null || !java.util.Arrays.equals(j.value(), journalId)) {
            return -1;
        }
        Header i = headers.lastHeader(INDEX);
        return i == null ? -1 : ByteBuffer.wrap(i.value()).getLong();
    }

    /** The quality flags of a record, 0 if it carries none. */
    public static int flags(Headers headers) {
        Header f = headers.lastHeader(FLAGS);
        return f == null ? 0 : ByteBuffer.wrap(f.value()).getInt();
    }
}
