package io.mindstream.contracts.codec;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Kafka serdes for the pipeline's records (formats in docs/contracts.md). Which value serde goes with which topic:
 * <ul>
 *   <li>{@code raw.meg}, {@code raw.eeg}, {@code raw.fmri}, {@code raw.other}: {@link #sampleChunk()}</li>
 *   <li>{@code raw.markers}: {@link #marker()}</li>
 *   <li>{@code raw.streams}: {@link #streamDescription()}</li>
 *   <li>{@code epochs} and {@code windows}: {@link #epoch()}</li>
 *   <li>{@code results}: {@link #decodeResult()}</li>
 * </ul>
 * Every topic is keyed by the record's session as a UTF-8 string: {@link #sessionKey()} (Kafka's own
 * {@code StringSerde}), so a session's records share a partition number across the co-partitioned topics.
 *
 * <p>Each call returns a new, stateless serde; they are cheap and thread-safe.
 */
public final class ContractSerdes {

    private ContractSerdes() {
    }

    public static Serde<SampleChunk> sampleChunk() {
        return new RecordSerde<>(new SampleChunkCodec());
    }

    public static Serde<Marker> marker() {
        return new RecordSerde<>(new MarkerCodec());
    }

    public static Serde<StreamDescription> streamDescription() {
        return new RecordSerde<>(new StreamDescriptionCodec());
    }

    public static Serde<Epoch> epoch() {
        return new RecordSerde<>(new EpochCodec());
    }

    public static Serde<DecodeResult> decodeResult() {
        return new RecordSerde<>(new DecodeResultCodec());
    }

    /** The key serde of every topic: the session, UTF-8. */
    public static Serde<String> sessionKey() {
        return Serdes.String();
    }

    /**
     * The value serde of a pipeline topic by name ({@link Topics}).
     *
     * @throws IllegalArgumentException for a topic that is not one of the pipeline's
     */
    public static Serde<?> forTopic(String topic) {
        return switch (topic) {
            case "raw.meg", "raw.eeg", "raw.fmri", "raw.other" -> sampleChunk();
            case Topics.MARKERS -> marker();
            case Topics.STREAMS -> streamDescription();
            case Topics.EPOCHS, Topics.WINDOWS -> epoch();
            case Topics.RESULTS -> decodeResult();
            default -> throw new IllegalArgumentException("'" + topic + "' is not a mindstream topic");
        };
    }
}
