package io.mindstream.display;

import io.mindstream.contracts.DecodeResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Results are at least once upstream (a decoder restarted after a crash, a feed re-reading a partition): the page gets
 * each epoch's result once, and the repeats are counted, not scored or timed twice.
 */
class DuplicateResultsTest {

    @Test
    void aRepeatedEpochIdIsPushedOnceAndCounted() {
        DisplayHub hub = new DisplayHub(DisplayConfig.defaults(), null);
        DecodeResult first = Fixtures.result("s1", 1, Fixtures.imageId(1), List.of(Fixtures.imageId(1)));
        DecodeResult again = Fixtures.result("s1", 1, Fixtures.imageId(1), List.of(Fixtures.imageId(2)));
        DecodeResult next = Fixtures.result("s1", 2, Fixtures.imageId(2), List.of(Fixtures.imageId(2)));
        long before = hub.broadcaster().broadcasts();
        hub.publishResult(first);
        hub.publishResult(again);
        hub.publishResult(first, false); // a replayed copy too
        hub.publishResult(next);
        assertEquals(2, hub.broadcaster().broadcasts() - before, "one frame per epoch");
        assertEquals(2, hub.duplicateResults());
        assertEquals(2, hub.accuracySummary().n(), "scored once per epoch");
    }
}
