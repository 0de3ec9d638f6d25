package io.mindstream.ingest.forward;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scanFrom bookkeeping on its own: where a restart must start reading each partition. */
class ScanWindowTest {

    private static final TopicPartition MEG = new TopicPartition("raw.meg", 1);
    private static final TopicPartition MK = new TopicPartition("raw.markers", 1);

    @Test
    void inOrderDeliveryMovesPastEachAcknowledgedRecord() {
        ScanWindow w = new ScanWindow(Map.of());
        w.firstWrite(MEG, 40);
        assertEquals(40, w.offsets().get(MEG));
        for (long i = 0; i < 5; i++) {
            w.sentAndAcknowledged(MEG, 40 + i);
            w.acknowledgedThrough(i);
        }
        assertEquals(45, w.offsets().get(MEG));
        w.firstWrite(MEG, 99); // a partition already known keeps its offset
        assertEquals(45, w.offsets().get(MEG));
    }

    /**
     * The partition holds 15–20 at offsets 100–105 (found by the scan); 10–14 are resent and land at 106–110. Until
     * the prefix passes 20, scanFrom stays at 100: a crash at any point must still find 15–20. Skipped entries
     * never move it; the first entry sent after 20 does.
     */
    @Test
    void aPartitionWithFoundEntriesIsHeldUntilThePrefixPassesThem() {
        ScanWindow w = new ScanWindow(Map.of(MEG, 100L, MK, 7L));
        w.hold(Map.of(MEG, 20L, MK, 3L), 9); // MK: found entries are all in the prefix already
        for (long i = 10; i <= 14; i++) {
            w.sentAndAcknowledged(MEG, 96 + i); // 106..110
            w.acknowledgedThrough(i);
            assertEquals(100, w.offsets().get(MEG), "after resending " + i);
        }
        for (long i = 15; i <= 19; i++) {
            w.acknowledgedThrough(i); // skipped: found in Kafka
            assertEquals(100, w.offsets().get(MEG));
        }
        w.acknowledgedThrough(20);
        assertEquals(100, w.offsets().get(MEG), "a skipped entry does not move it");
        w.sentAndAcknowledged(MEG, 111);
        w.acknowledgedThrough(21);
        assertEquals(112, w.offsets().get(MEG), "released once the prefix passed every found entry");

        w.sentAndAcknowledged(MK, 7);
        assertEquals(8, w.offsets().get(MK), "a partition without found entries after the prefix is not held");
    }

    @Test
    void neverMovesBackwards() {
        ScanWindow w = new ScanWindow(Map.of(MEG, 50L));
        w.sentAndAcknowledged(MEG, 10);
        assertEquals(50, w.offsets().get(MEG));
        w.scanFromStart(MK, 0);
        w.scanFromStart(MEG, 0);
        assertEquals(0, w.offsets().get(MEG), "a lost checkpoint reads from the start");
    }
}
