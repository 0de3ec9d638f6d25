package io.mindstream.contracts.codec;

import java.nio.ByteBuffer;

/**
 * Encodes one record type to its binary wire format (docs/contracts.md) and back. Implementations are stateless and
 * thread-safe.
 *
 * <p>Hot paths use {@link #encodedSize} + {@link #encode(Object, ByteBuffer)} to write into a reused buffer, and
 * {@link #decode(ByteBuffer)} to read straight out of a received buffer; the {@code byte[]} forms are conveniences
 * over them. Decoding never throws anything but {@link RecordFormatException} for bad bytes.
 */
public interface RecordCodec<T> {

    /** The record type's name as used in error messages ({@code SampleChunk}, {@code Marker}, …). */
    String recordType();

    /** Exactly how many bytes {@link #encode(Object, ByteBuffer)} will write. */
    int encodedSize(T record);

    /**
     * Writes {@code record} at {@code dst}'s position and advances it by {@link #encodedSize}. The buffer's byte order
     * is left as it was (the format is little-endian whatever the buffer's order).
     *
     * @throws IllegalArgumentException if {@code dst} has less room than {@link #encodedSize}; nothing is written
     * @throws RecordFormatException    if the record cannot be represented (e.g. an over-long string)
     */
    void encode(T record, ByteBuffer dst);

    /**
     * Decodes the record held in {@code src} from its position to its limit (exactly one record: trailing bytes are
     * an error) and, on success, moves the position to the limit. On failure the position is left unchanged.
     */
    T decode(ByteBuffer src);

    /** Encodes into a new array of exactly {@link #encodedSize} bytes. */
    default byte[] encode(T record) {
        byte[] out = new byte[encodedSize(record)];
        encode(record, ByteBuffer.wrap(out));
        return out;
    }

    /** Decodes a whole array holding exactly one record. */
    default T decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }
}
