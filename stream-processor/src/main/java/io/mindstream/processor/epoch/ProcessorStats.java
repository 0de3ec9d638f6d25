package io.mindstream.processor.epoch;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the processor did and what it could not do (architecture.md §10): nothing is dropped without
 * being counted here and logged.
 */
public final class ProcessorStats implements MeterBinder {
    public final LongAdder chunksIn = new LongAdder();
    public final LongAdder samplesIn = new LongAdder();
    public final LongAdder markersIn = new LongAdder();
    public final LongAdder markersIgnored = new LongAdder();
    public final LongAdder epochsOut = new LongAdder();
    public final LongAdder windowsOut = new LongAdder();
    public final LongAdder duplicateChunks = new LongAdder();
    public final LongAdder duplicateMarkers = new LongAdder();
    /** Chunks that arrived ahead of a hole in their stream's sequence numbers and waited for it to fill. */
    public final LongAdder reorderedChunks = new LongAdder();
    /** Holes whose records never arrived while {@code --max-hold} of later data waited: given up as lost. */
    public final LongAdder deliveryHolesBridged = new LongAdder();
    public final LongAdder lateChunksDropped = new LongAdder();
    public final LongAdder gapSamplesFilled = new LongAdder();
    public final LongAdder streamRestarts = new LongAdder();
    /** Stream threads that died of an exception and were replaced (ProcessorService's failure policy). */
    public final LongAdder streamThreadsReplaced = new LongAdder();
    public final LongAdder nonFiniteValues = new LongAdder();
    public final LongAdder clockJumps = new LongAdder();
    public final LongAdder lateMarkers = new LongAdder();
    public final LongAdder markersDataGone = new LongAdder();
    public final LongAdder markersExpired = new LongAdder();
    public final LongAdder partialEpochs = new LongAdder();
    public final LongAdder rejectedRecords = new LongAdder();
    /** Fast path ({@code process --decode}): epochs and windows decoded in the task that cut them. */
    public final LongAdder decoded = new LongAdder();
    /** Fast path: epochs the decoder could not take (shape, NaN), written undecoded and logged. */
    public final LongAdder decodeRejected = new LongAdder();

    /** Every counter by name, in a stable order. */
    public Map<String, LongAdder> counters() {
        Map<String, LongAdder> m = new LinkedHashMap<>();
        m.put("chunksIn", chunksIn);
        m.put("samplesIn", samplesIn);
        m.put("markersIn", markersIn);
        m.put("markersIgnored", markersIgnored);
        m.put("epochsOut", epochsOut);
        m.put("windowsOut", windowsOut);
        m.put("duplicateChunks", duplicateChunks);
        m.put("duplicateMarkers", duplicateMarkers);
        m.put("reorderedChunks", reorderedChunks);
        m.put("deliveryHolesBridged", deliveryHolesBridged);
        m.put("lateChunksDropped", lateChunksDropped);
        m.put("gapSamplesFilled", gapSamplesFilled);
        m.put("streamRestarts", streamRestarts);
        m.put("streamThreadsReplaced", streamThreadsReplaced);
        m.put("nonFiniteValues", nonFiniteValues);
        m.put("clockJumps", clockJumps);
        m.put("lateMarkers", lateMarkers);
        m.put("markersDataGone", markersDataGone);
        m.put("markersExpired", markersExpired);
        m.put("partialEpochs", partialEpochs);
        m.put("rejectedRecords", rejectedRecords);
        m.put("decoded", decoded);
        m.put("decodeRejected", decodeRejected);
        return m;
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        counters().forEach((name, n) -> m.put(name, n.sum()));
        return m;
    }

    /**
     * Every counter as a Prometheus counter {@code mindstream_processor_<name>_total} (e.g.
     * {@code mindstream_processor_epochs_out_total}), read when scraped.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        counters().forEach((name, n) -> FunctionCounter.builder("mindstream.processor."
                        + name.replaceAll("([a-z])([A-Z])", "$1.$2").toLowerCase(java.util.Locale.ROOT), n, LongAdder::sum)
                .description("stream processor: " + name).register(registry));
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
