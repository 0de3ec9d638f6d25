package io.mindstream.contracts.codec;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid record of the expected type (or a record that cannot be encoded). The message names
 * the record type, the byte offset from the start of the record where the problem was found, and the problem, e.g.
 * {@code "SampleChunk record, byte 5: unknown channel format code 9"}.
 *
 * <p>Extends Kafka's {@link SerializationException} so a consumer's poll loop and Kafka Streams' deserialization
 * exception handlers treat it as the poison-pill case it is.
 */
public class RecordFormatException extends SerializationException {

    private final String recordType;
    private final long offset;
    private final String problem;

    /** A decoding problem at {@code offset} bytes from the start of the record. */
    public RecordFormatException(String recordType, long offset, String problem) {
        super(recordType + " record, byte " + offset + ": " + problem);
        this.recordType = recordType;
        this.offset = offset;
        this.problem = problem;
    }

    private RecordFormatException(String recordType, String problem) {
        super(recordType + " record cannot be encoded: " + problem);
        this.recordType = recordType;
        this.offset = -1;
        this.problem = problem;
    }

    /** A record that cannot be represented in the wire format (e.g. a string over 65534 UTF-8 bytes). */
    public static RecordFormatException unencodable(String recordType, String problem) {
        return new RecordFormatException(recordType, problem);
    }

    /** {@code SampleChunk}, {@code Marker}, {@code Epoch} or {@code DecodeResult}. */
    public String recordType() {
        return recordType;
    }

    /** Byte offset from the start of the record; -1 for encoding problems. */
    public long offset() {
        return offset;
    }

    /** The problem, without the record type and offset. */
    public String problem() {
        return problem;
    }
}
