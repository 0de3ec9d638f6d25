package io.mindstream.contracts.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The framing every codec shares: magic, byte order, room check, exact end, and wrapping of record-level checks. */
abstract class AbstractRecordCodec<T> implements RecordCodec<T> {

    private final byte typeChar;
    private final String recordType;
    private final byte oldestReadable;
    private final byte version;

    /** A codec that writes and reads format version '1'. */
    AbstractRecordCodec(byte typeChar) {
        this(typeChar, Wire.VERSION, Wire.VERSION);
    }

    /** Writes {@code version}; reads every version from {@code oldestReadable} up to it. */
    AbstractRecordCodec(byte typeChar, byte oldestReadable, byte version) {
        this.typeChar = typeChar;
        this.recordType = Wire.typeName(typeChar);
        this.oldestReadable = oldestReadable;
        this.version = version;
    }

    @Override
    public final String recordType() {
        return recordType;
    }

    @Override
    public final int encodedSize(T record) {
        long size = Wire.MAGIC_SIZE + bodySize(record);
        if (size > Integer.MAX_VALUE - 16) {
            throw RecordFormatException.unencodable(recordType, size + " bytes is too large for one record");
        }
        return (int) size;
    }

    /** Sizes the record once (the interface default would size it twice). */
    @Override
    public final byte[] encode(T record) {
        int size = encodedSize(record);
        byte[] out = new byte[size];
        write(record, ByteBuffer.wrap(out), size);
        return out;
    }

    @Override
    public final void encode(T record, ByteBuffer dst) {
        write(record, dst, encodedSize(record));
    }

    private void write(T record, ByteBuffer dst, int size) {
        if (dst.remaining() < size) {
            throw new IllegalArgumentException(recordType + " needs " + size + " bytes, buffer has "
                    + dst.remaining() + " remaining");
        }
        ByteOrder order = dst.order();
        dst.order(ByteOrder.LITTLE_ENDIAN);
        try {
            int start = dst.position();
            Wire.magic(dst, typeChar, version);
            writeBody(record, dst);
            if (dst.position() - start != size) {
                throw new IllegalStateException(recordType + " wrote " + (dst.position() - start)
                        + " bytes, computed " + size);
            }
        } finally {
            dst.order(order);
        }
    }

    @Override
    public final T decode(ByteBuffer src) {
        WireReader r = new WireReader(recordType, src);
        byte v = r.magic((char) typeChar, oldestReadable, version);
        T record;
        try {
            record = readBody(r, v);
        } catch (IllegalArgumentException | NullPointerException e) {
            // the record's own invariants, should a check here ever lag behind the record definition
            throw r.error("fields do not form a valid " + recordType + ": " + e.getMessage());
        }
        r.end();
        src.position(src.limit());
        return record;
    }

    /** Bytes after the magic (long, so a huge record is reported rather than overflowing). */
    abstract long bodySize(T record);

    /** Writes everything after the magic, little-endian. */
    abstract void writeBody(T record, ByteBuffer dst);

    /** Reads everything after a magic of format {@code version}; {@link WireReader#end()} is checked afterwards. */
    abstract T readBody(WireReader r, byte version);
}
