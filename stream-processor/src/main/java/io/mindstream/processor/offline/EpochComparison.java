package io.mindstream.processor.offline;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.TopicReader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Recomputed epochs against the live ones on the epochs topic, by epoch id: what {@code epochs --offline --compare}
 * reports. Sliding windows and fMRI per-TR windows are not compared (they depend on where a stream started).
 */
public final class EpochComparison {

    /**
     * @param identical    recomputed epochs equal to their live one ({@link #sameIgnoringDelivery})
     * @param different    ids whose live epoch differs
     * @param missing      recomputed epochs with no live one
     * @param live         epochs on the topic
     * @param undecodable  records on the topic that do not decode (reported and skipped, as the live stages skip them)
     */
    public record Result(int identical, List<String> different, int missing, int live, long undecodable) {
        public boolean ok() {
            return different.isEmpty();
        }
    }

    private EpochComparison() {
    }

    /**
     * Reads the epochs topic to its end and compares.
     *
     * @param problems told of each record that does not decode and of each epoch that differs
     */
    public static Result withLiveTopic(String bootstrap, List<Epoch> recomputed, Consumer<String> problems) {
        Map<String, Epoch> live = new HashMap<>();
        long[] skipped = {0};
        var epochs = ContractSerdes.epoch().deserializer();
        new TopicReader(bootstrap, "mindstream-epochs-compare").readAll(List.of(Topics.EPOCHS), null, r -> {
            Epoch e;
            try {
                e = epochs.deserialize(r.topic(), r.value());
            } catch (RuntimeException ex) {
                skipped[0]++;
                problems.accept("skipped " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": "
                        + ex.getMessage());
                return;
            }
            if (e != null) {
                live.put(e.epochId(), e);
            }
        });
        int same = 0;
        int missing = 0;
        List<String> different = new ArrayList<>();
        for (Epoch e : recomputed) {
            if (e.trigger().kind() == TriggerKind.WINDOW || e.trigger().kind() == TriggerKind.FMRI_TR) {
                continue;
            }
            Epoch l = live.get(e.epochId());
            if (l == null) {
                missing++;
            } else if (sameIgnoringDelivery(e, l)) {
                same++;
            } else {
                different.add(e.epochId());
                problems.accept("DIFFERENT: " + e.epochId() + " offline " + e + " live " + l);
            }
        }
        return new Result(same, List.copyOf(different), missing, live.size(), skipped[0]);
    }

    /**
     * Equal in everything that depends on the data: not in the wall-clock trace stamps, nor in LATE (whether the
     * marker arrived after its data depends on delivery timing, e.g. a processor catching up a backlog).
     */
    public static boolean sameIgnoringDelivery(Epoch a, Epoch b) {
        return withoutDelivery(a, b).equals(withoutDelivery(b, b));
    }

    /** Equal in everything but the wall-clock trace stamps. */
    public static boolean sameIgnoringTrace(Epoch a, Epoch b) {
        return new Epoch(a.session(), a.epochId(), a.streamId(), a.streamKind(), a.trigger(), a.tStart(), a.tEnd(),
                a.sampleRate(), a.channels(), a.times(), a.data(), a.preprocessingId(), a.qualityFlags(), b.trace())
                .equals(b);
    }

    /** {@code e} without LATE, carrying {@code traceFrom}'s trace. */
    private static Epoch withoutDelivery(Epoch e, Epoch traceFrom) {
        return new Epoch(e.session(), e.epochId(), e.streamId(), e.streamKind(), e.trigger(), e.tStart(), e.tEnd(),
                e.sampleRate(), e.channels(), e.times(), e.data(), e.preprocessingId(),
                e.qualityFlags() & ~QualityFlags.LATE, traceFrom.trace());
    }
}
