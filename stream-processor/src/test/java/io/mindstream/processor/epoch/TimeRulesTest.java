package io.mindstream.processor.epoch;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.Recording;
import io.mindstream.processor.offline.OfflineEpocher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Late markers, gaps, reordering, duplicates, NaNs, clock jumps, interleaved sessions, flushing, calibration. */
class TimeRulesTest {

    static final int C = 5;
    static final double FS = 1200;

    static List<SampleChunk> meg(String session, long samples) {
        return Recording.continuous(session, "meg", StreamKind.MEG, C, FS, 50.0, 0, samples, 12, Recording::meg);
    }

    static double at(long sample) {
        return 50.0 + sample / FS;
    }

    static ProcessorConfig config() {
        return ProcessorConfig.defaults().withCalibrationEpochs(3);
    }

    static List<Epoch> run(ProcessorConfig cfg, List<?> records) {
        OfflineEpocher ep = new OfflineEpocher(cfg, () -> 42L);
        List<Epoch> out = new ArrayList<>();
        for (Object r : records) {
            out.addAll(ep.accept(r));
        }
        out.addAll(ep.flush());
        return out;
    }

    static List<Object> interleave(List<SampleChunk> chunks, List<Marker> markers) {
        // markers arrive with the chunk that contains their time (the usual live order)
        List<Object> all = new ArrayList<>();
        int m = 0;
        for (SampleChunk c : chunks) {
            all.add(c);
            while (c.sampleCount() > 0 && m < markers.size()
                    && markers.get(m).timestamp() <= c.timestamps()[c.sampleCount() - 1]) {
                all.add(markers.get(m++));
            }
        }
        while (m < markers.size()) {
            all.add(markers.get(m++));
        }
        return all;
    }

    static List<Epoch> withoutTrace(List<Epoch> epochs) {
        return epochs.stream().map(e -> new Epoch(e.session(), e.epochId(), e.streamId(), e.streamKind(), e.trigger(),
                e.tStart(), e.tEnd(), e.sampleRate(), e.channels(), e.times(), e.data(), e.preprocessingId(),
                e.qualityFlags(), io.mindstream.contracts.TraceStamps.empty())).toList();
    }

    static List<Marker> markers(String session, int n) {
        List<Marker> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms.add(Recording.onset(session, i, at(1000 + 1800L * i), "img" + i));
        }
        return ms;
    }

    @Test
    void markerBeforeItsDataWaitsAndAMarkerAfterItIsLate() {
        List<SampleChunk> chunks = meg("s", 6000);
        List<Object> rec = new ArrayList<>();
        rec.add(Recording.onset("s", 1, at(1500), "a")); // long before its data
        rec.addAll(chunks.subList(0, 400));                // data up to 4800
        rec.add(Recording.onset("s", 2, at(2000), "b")); // its data (to 3200) is already there
        rec.addAll(chunks.subList(400, chunks.size()));
        List<Epoch> out = run(config(), rec);
        assertEquals(2, out.size());
        assertEquals(0, out.get(0).qualityFlags() & QualityFlags.LATE);
        assertEquals(QualityFlags.LATE, out.get(1).qualityFlags() & QualityFlags.LATE);
    }

    @Test
    void markerWhoseDataIsGoneIsCountedNotSilentlyDropped() {
        OfflineEpocher ep = new OfflineEpocher(config(), () -> 1L);
        meg("s", 12000).forEach(ep::accept); // 10 s; buffer keeps 6 s
        List<Epoch> out = ep.accept(Recording.onset("s", 1, at(1000), "gone"));
        assertTrue(out.isEmpty());
        assertEquals(1, ep.stats().markersDataGone.sum());
        assertTrue(ep.flush().isEmpty());
    }

    @Test
    void aGapAtTheSourceIsBridgedAndFlaggedTogetherWithTheFiltersSettlingTime() {
        List<SampleChunk> chunks = new ArrayList<>(meg("s", 9000));
        // samples 1800…1811 lost at the source: the chunk after them says so
        chunks.remove(150);
        chunks.set(150, Recording.afterLoss(chunks.get(150), 12));
        List<Epoch> out = run(config(), interleave(chunks, markers("s", 3)));
        assertEquals(3, out.size());
        // epoch 0 (400…2200) spans the hole; epoch 1 (2200…4000) starts within the filters' settling time after a
        // 12-sample hole (GapSettling: 1001 samples at 1200 Hz); epoch 2 (4000…5800) is clean
        assertEquals(QualityFlags.GAP, out.get(0).qualityFlags() & QualityFlags.GAP);
        assertEquals(QualityFlags.GAP, out.get(1).qualityFlags() & QualityFlags.GAP);
        assertEquals(0, out.get(2).qualityFlags() & QualityFlags.GAP);
        assertEquals(0, out.get(0).qualityFlags() & QualityFlags.LATE, "nothing waited: the hole was known lost");
    }

    @Test
    void aHoleWithoutAnEndWaitsForItsRecordsAndGivesTheSameEpochsAsInOrder() {
        List<SampleChunk> chunks = meg("s", 9000);
        List<Epoch> inOrder = run(config(), interleave(chunks, markers("s", 3)));
        // chunks 150…156 (samples 1800…1883) are delivered 200 chunks late, as a resend after a producer failure
        // lands in the partition: the epochs are bit for bit those of the in-order run, none flagged GAP
        List<SampleChunk> late = new ArrayList<>(chunks);
        List<SampleChunk> hole = new ArrayList<>(late.subList(150, 157));
        late.subList(150, 157).clear();
        late.addAll(350, hole);
        List<Epoch> out = run(config(), interleave(late, markers("s", 3)));
        // the trace stamps name the last chunk consumed, which differs; everything else is equal
        assertEquals(withoutTrace(inOrder), withoutTrace(out));
        for (Epoch e : out) {
            assertEquals(0, e.qualityFlags() & QualityFlags.GAP);
        }
    }

    @Test
    void aHoleThatNeverFillsIsGivenUpOnlyAfterMaxHoldOfLaterData() {
        List<SampleChunk> chunks = new ArrayList<>(meg("s", 9000));
        chunks.remove(150); // samples 1800…1811 never delivered (and not reported lost at the source)
        ProcessorConfig cfg = config().withTimeRules(6, 1.0, 2.0); // 1 s = 1200 samples may wait
        OfflineEpocher ep = new OfflineEpocher(cfg, () -> 42L);
        List<Epoch> out = new ArrayList<>();
        List<Object> rec = interleave(chunks, markers("s", 3));
        int waitedUntil = -1;
        for (int i = 0; i < rec.size(); i++) {
            out.addAll(ep.accept(rec.get(i)));
            if (waitedUntil < 0 && ep.stats().deliveryHolesBridged.sum() > 0) {
                waitedUntil = i;
            }
        }
        assertEquals(1, ep.stats().deliveryHolesBridged.sum(), "given up once, and counted");
        // chunk 150 + 100 chunks of 12 = 1200 samples waited behind the hole: given up with the next one
        SampleChunk last = (SampleChunk) rec.get(waitedUntil);
        assertEquals(1812 + 1200, last.firstSequence(), "given up exactly when more than --max-hold waited");
        assertEquals(3, out.size());
        assertEquals(QualityFlags.GAP, out.get(0).qualityFlags() & QualityFlags.GAP);
    }

    @Test
    void markersWaitWhileDataIsBehindAndAnEndCutsWhatItCan() {
        // a backlog: every marker comes long before its data; none is expired, all are cut once data arrives
        List<SampleChunk> chunks = meg("s", 9000);
        List<Object> rec = new ArrayList<>(markers("s", 4));
        rec.addAll(chunks.subList(0, 500)); // data up to sample 6000: epochs 0…2 complete, epoch 3 (onset 6400) not
        rec.add(Recording.end(chunks.get(499), 6000)); // ingest stopped reading the stream here
        OfflineEpocher ep = new OfflineEpocher(config(), () -> 42L);
        List<Epoch> out = new ArrayList<>();
        for (Object r : rec) {
            out.addAll(ep.accept(r));
        }
        assertEquals(3, out.size(), "epoch 3's onset is after the end: it waits for data that may still come");
        assertEquals(0, ep.stats().markersExpired.sum());
        // the stream comes back after a gap: epoch 3 is cut from the data after it
        List<SampleChunk> after = new ArrayList<>(meg("s", 9000).subList(600, 750)); // 7200…9000: 1 s lost from 6000
        after.set(0, Recording.afterLoss(after.get(0), 1200));
        for (SampleChunk c : after) {
            out.addAll(ep.accept(c));
        }
        assertEquals(4, out.size());
        assertEquals(0, ep.stats().markersExpired.sum());
        assertEquals(0, ep.stats().markersDataGone.sum());
    }

    @Test
    void anEndCutsAnEpochWhoseOnsetArrivedWithTheDataThereIs() {
        List<SampleChunk> chunks = meg("s", 2000);
        List<Object> rec = new ArrayList<>(chunks);
        rec.add(Recording.onset("s", 9, at(1500), "tail"));
        OfflineEpocher ep = new OfflineEpocher(config(), () -> 42L);
        List<Epoch> out = new ArrayList<>();
        for (Object r : rec) {
            out.addAll(ep.accept(r));
        }
        assertTrue(out.isEmpty(), "the data may still come: the marker waits");
        out.addAll(ep.accept(Recording.end(chunks.get(chunks.size() - 1), 2000)));
        assertEquals(1, out.size());
        assertEquals(QualityFlags.GAP | QualityFlags.LATE,
                out.get(0).qualityFlags() & (QualityFlags.GAP | QualityFlags.LATE));
    }

    @Test
    void reorderedAndDuplicatedChunksGiveTheSameEpochsAsInOrder() {
        List<SampleChunk> chunks = meg("s", 9000);
        List<Epoch> inOrder = run(config(), interleave(chunks, markers("s", 3)));
        List<SampleChunk> shuffled = new ArrayList<>(chunks);
        Collections.swap(shuffled, 100, 102);
        Collections.swap(shuffled, 300, 301);
        shuffled.add(200, chunks.get(190)); // redelivered
        List<Epoch> out = run(config(), interleave(shuffled, markers("s", 3)));
        assertEquals(inOrder, out);
        for (Epoch e : out) {
            assertEquals(0, e.qualityFlags() & QualityFlags.GAP);
        }
    }

    @Test
    void nonFiniteSamplesAreHeldAndFlagged() {
        List<SampleChunk> chunks = Recording.continuous("s", "meg", StreamKind.MEG, C, FS, 50.0, 0, 9000, 12,
                (s, c) -> s == 1500 && c == 2 ? Float.NaN : s == 1501 ? Float.POSITIVE_INFINITY : Recording.meg(s, c));
        OfflineEpocher ep = new OfflineEpocher(config(), () -> 1L);
        List<Epoch> out = new ArrayList<>();
        for (Object r : interleave(chunks, markers("s", 3))) {
            out.addAll(ep.accept(r));
        }
        assertEquals(QualityFlags.NON_FINITE, out.get(0).qualityFlags() & QualityFlags.NON_FINITE);
        assertEquals(0, out.get(1).qualityFlags() & QualityFlags.NON_FINITE);
        for (Epoch e : out) {
            for (float v : e.data()) {
                assertTrue(Float.isFinite(v));
            }
        }
        assertEquals(1 + C, ep.stats().nonFiniteValues.sum());
    }

    @Test
    void clockJumpIsFlaggedAndBackwardJumpsStillFindTheOnset() {
        // stamps jump back by 2 s at sample 4000
        List<SampleChunk> chunks = new ArrayList<>();
        for (SampleChunk c : meg("s", 9000)) {
            double[] ts = c.timestamps();
            for (int i = 0; i < ts.length; i++) {
                if (c.firstSequence() + i >= 4000) {
                    ts[i] -= 2.0;
                }
            }
            chunks.add(new SampleChunk(c.session(), c.streamId(), c.kind(), c.format(), c.totalChannels(), 0, C,
                    c.nominalRate(), c.firstSequence(), c.lostBefore(), ts, c.values(), c.trace()));
        }
        List<Marker> ms = List.of(Recording.onset("s", 0, at(1000), "before"),
                Recording.onset("s", 1, at(3500), "across"),
                Recording.onset("s", 2, at(6000) - 2.0, "after"));
        // each marker arrives with the chunk holding its sample (after the jump, time at(6000) - 2 also names sample
        // 3600 of the old clock run: the marker refers to the newest occurrence when it arrives)
        long[] arrivesWith = {1000, 3500, 6000};
        List<Object> rec = new ArrayList<>();
        int m = 0;
        for (SampleChunk c : chunks) {
            rec.add(c);
            while (m < 3 && arrivesWith[m] < c.firstSequence() + c.sampleCount()) {
                rec.add(ms.get(m++));
            }
        }
        List<Epoch> out = run(config(), rec);
        assertEquals(3, out.size());
        assertEquals(0, out.get(0).qualityFlags() & QualityFlags.CLOCK);
        assertEquals(QualityFlags.CLOCK, out.get(1).qualityFlags() & QualityFlags.CLOCK);
        Epoch after = out.get(2);
        assertEquals(0, after.qualityFlags() & QualityFlags.CLOCK);
        assertEquals(at(5400) - 2.0, after.tStart(), 1e-9);
    }

    @Test
    void interleavedSessionsGiveTheSameEpochsAsSeparateRuns() {
        List<Object> a = interleave(meg("A", 9000), markers("A", 3));
        List<Object> b = interleave(meg("B", 9000), markers("B", 3));
        List<Object> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                mixed.add(a.get(i));
            }
            if (i < b.size()) {
                mixed.add(b.get(i));
            }
        }
        List<Epoch> both = run(config(), mixed);
        List<Epoch> onlyA = run(config(), a);
        List<Epoch> onlyB = run(config(), b);
        assertEquals(onlyA, both.stream().filter(e -> e.session().equals("A")).toList());
        assertEquals(onlyB, both.stream().filter(e -> e.session().equals("B")).toList());
    }

    @Test
    void flushEmitsAnIncompleteEpochFlaggedGapAndLate() {
        List<Object> rec = new ArrayList<>(meg("s", 2000));
        rec.add(Recording.onset("s", 9, at(1500), "tail"));
        List<Epoch> out = run(config(), rec);
        assertEquals(1, out.size());
        int f = out.get(0).qualityFlags();
        assertEquals(QualityFlags.GAP | QualityFlags.LATE, f & (QualityFlags.GAP | QualityFlags.LATE));
        assertEquals(181, out.get(0).times());
    }

    @Test
    void robustScalerIsFittedOnTheFirstEpochsThenFrozen() {
        List<Epoch> out = run(config(), interleave(meg("s", 20000), markers("s", 8)));
        assertEquals(8, out.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(QualityFlags.UNCALIBRATED, out.get(i).qualityFlags() & QualityFlags.UNCALIBRATED);
            assertTrue(out.get(i).preprocessingId().endsWith(":uncalibrated"));
        }
        String id = out.get(3).preprocessingId();
        assertTrue(id.matches(".*:cal-[0-9a-f]{12}"), id);
        for (int i = 3; i < 8; i++) {
            assertEquals(0, out.get(i).qualityFlags() & QualityFlags.UNCALIBRATED);
            assertEquals(id, out.get(i).preprocessingId());
        }
        // baseline: the pre-onset mean of each channel is the scaler's centre mapped to ~ -median/iqr, constant
        for (Epoch e : out) {
            for (float v : e.data()) {
                assertTrue(Math.abs(v) <= 20f);
            }
        }
    }

    @Test
    void flatChannelIsFlagged() {
        List<SampleChunk> chunks = Recording.continuous("s", "meg", StreamKind.MEG, C, FS, 50.0, 0, 9000, 12,
                (s, c) -> c == 3 && s > 1000 ? 7f : Recording.meg(s, c));
        List<Epoch> out = run(config(), interleave(chunks, markers("s", 3)));
        assertEquals(QualityFlags.FLAT, out.get(1).qualityFlags() & QualityFlags.FLAT);
        assertNotEquals(QualityFlags.FLAT, out.get(0).qualityFlags() & QualityFlags.FLAT);
        assertFalse(out.isEmpty());
    }
}
