package io.mindstream.contracts.codec;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka {@link Serde} (and its own serializer and deserializer) over a {@link RecordCodec}. {@code null} maps to
 * {@code null} both ways (tombstones). Stateless and thread-safe; {@code configure}/{@code close} do nothing.
 */
public final class RecordSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final RecordCodec<T> codec;

    public RecordSerde(RecordCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    public RecordCodec<T> codec() {
        return codec;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }

    /** The consumer hands us a view of its fetch buffer: decode from it without an intermediate byte[]. */
    @Override
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        return data == null ? null : codec.decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the format is fixed
    }

    @Override
    public void close() {
        // stateless: nothing to release
    }
}
