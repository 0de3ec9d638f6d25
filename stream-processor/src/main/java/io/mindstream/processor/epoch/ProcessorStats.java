package io.mindstream.processor.epoch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the processor did and what it could not do (architecture.md §10): nothing is dropped without
 * being counted here and logged.
 */
public final class ProcessorStats {
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
    public final LongAdder nonFiniteValues = new LongAdder();
    public final LongAdder clockJumps = new LongAdder();
    public final LongAdder lateMarkers = new LongAdder();
    public final LongAdder markersDataGone = new LongAdder();
    public final LongAdder markersExpired = new LongAdder();
    public final LongAdder partialEpochs = new LongAdder();
    public final LongAdder rejectedRecords = new LongAdder();

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("chunksIn", chunksIn.sum());
        m.put("samplesIn", samplesIn.sum());
        m.put("markersIn", markersIn.sum());
        m.put("markersIgnored", markersIgnored.sum());
        m.put("epochsOut", epochsOut.sum());
        m.put("windowsOut", windowsOut.sum());
        m.put("duplicateChunks", duplicateChunks.sum());
        m.put("duplicateMarkers", duplicateMarkers.sum());
        m.put("reorderedChunks", reorderedChunks.sum());
        m.put("deliveryHolesBridged", deliveryHolesBridged.sum());
        m.put("lateChunksDropped", lateChunksDropped.sum());
        m.put("gapSamplesFilled", gapSamplesFilled.sum());
        m.put("streamRestarts", streamRestarts.sum());
        m.put("nonFiniteValues", nonFiniteValues.sum());
        m.put("clockJumps", clockJumps.sum());
        m.put("lateMarkers", lateMarkers.sum());
        m.put("markersDataGone", markersDataGone.sum());
        m.put("markersExpired", markersExpired.sum());
        m.put("partialEpochs", partialEpochs.sum());
        m.put("rejectedRecords", rejectedRecords.sum());
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
