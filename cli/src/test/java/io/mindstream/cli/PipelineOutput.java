package io.mindstream.cli;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.codec.ContractSerdes;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicReader;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the live stages wrote, read back from a real broker, for the tests that compare it with an offline run. */
public final class PipelineOutput {

    private PipelineOutput() {
    }

    /** Everything on {@code results}, committed records only (read_committed), as the group {@code group}. */
    public static List<DecodeResult> committedResults(String bootstrap, String group) {
        var values = ContractSerdes.decodeResult().deserializer();
        List<DecodeResult> out = new ArrayList<>();
        new TopicReader(KafkaClients.committedReader(bootstrap, group))
                .readAll(List.of(Topics.RESULTS), null, r -> out.add(values.deserialize(Topics.RESULTS, r.value())));
        return out;
    }

    /**
     * Waits until {@code done} holds, failing after {@code boundMs}: a bound on a slow runner, not a timing claim
     * (the tests assert what was delivered, never how fast).
     */
    public static void await(BooleanSupplier done, String what, long boundMs) throws InterruptedException {
        long until = System.currentTimeMillis() + boundMs;
        while (!done.getAsBoolean() && System.currentTimeMillis() < until) {
            Thread.sleep(200);
        }
        assertTrue(done.getAsBoolean(), what + " (not within " + boundMs / 1000 + " s)");
    }
}
