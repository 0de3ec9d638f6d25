package io.mindstream.ingest.chunk;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.VolumeAssembler;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.stats.StreamStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SampleChunkerTest {

    private static final double T0 = 1000.0;

    private record Rig(SampleChunker chunker, CollectingSink sink, StreamStats stats) {
    }

    private static Rig rig(ChannelFormat format, int channels, double rate, ChunkingConfig cfg) {
        StreamStats stats = new StreamStats("s1");
        CollectingSink sink = new CollectingSink();
        StreamChecker checker = new StreamChecker("s1", rate, CheckConfig.defaults(), stats);
        SampleChunker c = new SampleChunker("sess", "s1", StreamKind.MEG, format, channels, rate, cfg, checker, stats,
                sink, () -> T0 + 100);
        return new Rig(c, sink, stats);
    }

    private static float[] ramp(int samples, int channels, int from) {
        float[] v = new float[samples * channels];
        for (int i = 0; i < v.length; i++) {
            v[i] = from * channels + i + 0.25f;
        }
        return v;
    }

    private static double[] stamps(int from, int n, double rate) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = T0 + (from + i) / rate;
        }
        return t;
    }

    @Test
    void tenMillisecondChunksOfAMegStreamHoldEverySampleInOrder() {
        Rig r = rig(ChannelFormat.FLOAT32, 272, 1200, ChunkingConfig.defaults());
        assertEquals(12, r.chunker.samplesPerChunk());
        // pulls of irregular sizes, as an inlet delivers them
        int[] pulls = {5, 30, 1, 12, 0, 72};
        int at = 0;
        for (int n : pulls) {
            r.chunker.append(ramp(n, 272, at), stamps(at, n, 1200), n, 0.0);
            at += n;
        }
        r.chunker.flush();
        int total = 0;
        long nextSeq = 0;
        for (SampleChunk c : r.sink.chunks) {
            assertEquals(nextSeq, c.firstSequence());
            assertTrue(c.sampleCount() <= 12);
            assertTrue(c.isWhole());
            assertTrue(c.trace().has(Stage.ACQUIRED) && c.trace().has(Stage.INGESTED));
            for (int s = 0; s < c.sampleCount(); s++) {
                long seq = c.firstSequence() + s;
                assertEquals(T0 + seq / 1200.0, c.timestamps()[s]);
                assertEquals(seq * 272 + 5 + 0.25f, c.value(s, 5));
            }
            nextSeq += c.sampleCount();
            total += c.sampleCount();
        }
        assertEquals(120, total);
        assertEquals(120, r.stats.received());
        assertEquals(0, r.stats.gaps());
        assertTrue(r.sink.chunkFlags.stream().allMatch(f -> f == 0));
    }

    @Test
    void aGapSplitsTheChunkAndAdvancesTheSequenceByExactlyTheMissingSamples() {
        Rig r = rig(ChannelFormat.FLOAT32, 4, 1000, ChunkingConfig.defaults());
        r.chunker.append(ramp(7, 4, 0), stamps(0, 7, 1000), 7, 0.0);
        // samples 7..99 never arrive
        r.chunker.append(ramp(5, 4, 100), stamps(100, 5, 1000), 5, 0.0);
        r.chunker.flush();
        assertEquals(1, r.stats.gaps());
        assertEquals(93, r.stats.missingSamples());
        SampleChunk before = r.sink.chunks.get(0);
        SampleChunk after = r.sink.chunks.get(1);
        assertEquals(0, before.firstSequence());
        assertEquals(7, before.sampleCount());
        assertEquals(100, after.firstSequence());
        assertEquals(QualityFlags.GAP, r.sink.chunkFlags.get(1) & QualityFlags.GAP);
        assertEquals(0, r.sink.chunkFlags.get(0));
        // the chunk after the hole says how many samples the source lost: readers need not wait for them
        assertEquals(0, before.lostBefore());
        assertEquals(93, after.lostBefore());
        r.sink.chunks.stream().skip(2).forEach(c -> assertEquals(0, c.lostBefore()));
    }

    @Test
    void aStreamResumedAfterIngestWasDownReportsWhatWentByAsLostBeforeItsFirstChunk() {
        StreamStats stats = new StreamStats("s1");
        CollectingSink sink = new CollectingSink();
        StreamChecker checker = new StreamChecker("s1", 1000, CheckConfig.defaults(), stats);
        checker.resume(50, T0 + 49 / 1000.0); // the journal ends after sample 49 (its stamp in the source's clock)
        SampleChunker c = new SampleChunker("sess", "s1", StreamKind.MEG, ChannelFormat.FLOAT32, 4, 1000,
                ChunkingConfig.defaults(), checker, stats, sink, () -> T0 + 100);
        c.append(ramp(5, 4, 80), stamps(80, 5, 1000), 5, 0.0); // samples 50…79 went by while ingest was down
        c.flush();
        assertEquals(80, sink.chunks.get(0).firstSequence());
        assertEquals(30, sink.chunks.get(0).lostBefore());
    }

    @Test
    void aNewTimeCorrectionShiftsStampsButIsNeverAGap() {
        Rig r = rig(ChannelFormat.FLOAT32, 2, 1200, ChunkingConfig.defaults());
        r.chunker.append(ramp(6, 2, 0), stamps(0, 6, 1200), 6, 0.001);
        // the estimate moves by 1.5 ms (almost two periods at 1200 Hz): the source's stamps are still regular
        r.chunker.append(ramp(6, 2, 6), stamps(6, 6, 1200), 6, -0.0005);
        r.chunker.flush();
        assertEquals(0, r.stats.gaps());
        assertEquals(0, r.stats.backwardJumps());
        assertEquals(2, r.sink.chunks.size(), "one offset per record");
        assertEquals(T0 + 0.001, r.sink.chunks.get(0).timestamps()[0], 1e-12);
        assertEquals(T0 + 6 / 1200.0 - 0.0005, r.sink.chunks.get(1).timestamps()[0], 1e-12);
        assertEquals(6, r.sink.chunks.get(1).firstSequence());
    }

    @Test
    void nonFiniteSamplesAreKeptCountedAndFlagged() {
        Rig r = rig(ChannelFormat.FLOAT32, 3, 100, new ChunkingConfig(0.05, 1 << 16));
        float[] v = {1, 2, 3, Float.NaN, 5, 6, 7, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        r.chunker.append(v, stamps(0, 3, 100), 3, 0.0);
        r.chunker.flush();
        SampleChunk c = r.sink.chunks.get(0);
        assertTrue(Float.isNaN(c.value(1, 0)), "NaN kept as sent");
        assertEquals(Float.POSITIVE_INFINITY, c.value(2, 1));
        assertEquals(Float.NEGATIVE_INFINITY, c.value(2, 2));
        assertEquals(2, r.stats.nonFiniteSamples());
        assertEquals(QualityFlags.NON_FINITE, r.sink.chunkFlags.get(0) & QualityFlags.NON_FINITE);
        assertEquals(QualityFlags.NON_FINITE, r.stats.flags() & QualityFlags.NON_FINITE);
    }

    @Test
    void integerAndDoubleFormatsKeepTheirExactValues() {
        Rig ri = rig(ChannelFormat.INT16, 2, 500, ChunkingConfig.defaults());
        ri.chunker.append(new short[]{-32768, 32767, 1, -1}, stamps(0, 2, 500), 2, 0.0);
        ri.chunker.flush();
        assertEquals(-32768f, ri.sink.chunks.get(0).value(0, 0));
        assertEquals(-1f, ri.sink.chunks.get(0).value(1, 1));
        Rig rd = rig(ChannelFormat.DOUBLE64, 1, 500, ChunkingConfig.defaults());
        rd.chunker.append(new double[]{Math.PI}, stamps(0, 1, 500), 1, 0.0);
        rd.chunker.flush();
        ByteBuffer b = ByteBuffer.wrap(rd.sink.chunks.get(0).values()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Math.PI, b.getDouble(0));
    }

    @Test
    void aWrongFormatIsRefusedNamingTheStream() {
        Rig r = rig(ChannelFormat.INT32, 2, 500, ChunkingConfig.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.chunker.append(new float[2], new double[1], 1, 0.0));
        assertTrue(e.getMessage().contains("s1"));
    }

    /** Fixed seed: every run checks the same volumes; a failure names the seed and case index to reproduce it. */
    static final long VOLUME_SEED = 0x0f_a1_5eedL;
    static final int VOLUME_CASES = 40;
    static final int MIN_VOXELS = 1, MAX_VOXELS = 60_000, MIN_RECORD_BYTES = 64, MAX_RECORD_BYTES = 40_000;

    /**
     * {@value #VOLUME_CASES} (voxels, record limit, data seed) cases: the four corners of the ranges first (one voxel;
     * {@value #MAX_VOXELS} voxels in {@value #MIN_RECORD_BYTES}-byte records, the most slices), then draws from
     * {@link #VOLUME_SEED}, half uniform and half log-uniform so that small volumes and tight limits (a volume that
     * just fits, or is one voxel over) come up as often as large ones.
     */
    static Stream<Arguments> volumes() {
        List<Arguments> cases = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(VOLUME_SEED);
        for (int voxels : new int[]{MIN_VOXELS, MAX_VOXELS}) {
            for (int maxBytes : new int[]{MIN_RECORD_BYTES, MAX_RECORD_BYTES}) {
                cases.add(Arguments.of(cases.size(), voxels, maxBytes, rnd.nextLong()));
            }
        }
        while (cases.size() < VOLUME_CASES) {
            cases.add(Arguments.of(cases.size(), draw(rnd, MIN_VOXELS, MAX_VOXELS),
                    draw(rnd, MIN_RECORD_BYTES, MAX_RECORD_BYTES), rnd.nextLong()));
        }
        return cases.stream();
    }

    /** An int in [min, max]: uniform or log-uniform, equally often. */
    static int draw(SplittableRandom rnd, int min, int max) {
        if (rnd.nextBoolean()) {
            return rnd.nextInt(min, max + 1);
        }
        int v = (int) Math.round(Math.exp(Math.log(min) + rnd.nextDouble() * (Math.log(max) - Math.log(min))));
        return Math.max(min, Math.min(max, v));
    }

    /** A volume wider than the record limit is split by channel range and reassembled bit for bit, in any order. */
    @ParameterizedTest(name = "case {0}: {1} voxels, records of at most {2} bytes, data seed {3}")
    @MethodSource("volumes")
    void wideVolumesSplitAndReassembleLosslessly(int caseIndex, int voxels, int maxBytes, long seed) {
        String where = "seed " + VOLUME_SEED + " case " + caseIndex + " (" + voxels + " voxels, " + maxBytes
                + " bytes, data seed " + seed + ")";
        Rig r = rig(ChannelFormat.FLOAT32, voxels, 1 / 1.5, new ChunkingConfig(0.010, maxBytes));
        Random rnd = new Random(seed);
        float[] vol = new float[voxels * 3];
        for (int i = 0; i < vol.length; i++) {
            vol[i] = Float.intBitsToFloat(rnd.nextInt()); // any bit pattern, NaN payloads included
        }
        for (int tr = 0; tr < 3; tr++) {
            float[] one = java.util.Arrays.copyOfRange(vol, tr * voxels, (tr + 1) * voxels);
            r.chunker.append(one, new double[]{T0 + tr * 1.5}, 1, 0.0);
        }
        r.chunker.flush();
        int slicesPerVolume = (int) Math.ceil(voxels * 4.0 / Math.max(4, maxBytes / 4 * 4));
        assertEquals(3 * slicesPerVolume, r.sink.chunks.size(), where);
        for (SampleChunk c : r.sink.chunks) {
            assertTrue(c.values().length <= Math.max(4, maxBytes), where);
        }
        List<SampleChunk> shuffled = new ArrayList<>(r.sink.chunks);
        Collections.shuffle(shuffled, rnd);
        VolumeAssembler asm = new VolumeAssembler();
        List<SampleChunk> whole = new ArrayList<>();
        for (SampleChunk c : shuffled) {
            SampleChunk w = asm.accept(c).orElse(null);
            if (w != null) {
                whole.add(w);
            }
        }
        whole.sort(java.util.Comparator.comparingLong(SampleChunk::firstSequence));
        assertEquals(3, whole.size(), where);
        for (SampleChunk w : whole) {
            int tr = (int) w.firstSequence();
            ByteBuffer exp = ByteBuffer.allocate(voxels * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int v = 0; v < voxels; v++) {
                exp.putInt(Float.floatToRawIntBits(vol[tr * voxels + v]));
            }
            assertArrayEquals(exp.array(), w.values(), where + ", volume " + tr);
            assertTrue(w.isWhole(), where);
            assertEquals(T0 + tr * 1.5, w.timestamps()[0], where);
        }
        // samples are counted once per volume, not once per slice
        assertEquals(3, r.sink.chunkSamples.stream().mapToInt(Integer::intValue).sum(), where);
    }

    @Test
    void inOrderSlicesAlwaysReassembleEveryVolume() {
        Rig r = rig(ChannelFormat.FLOAT32, 200_000, 1 / 1.5, ChunkingConfig.defaults());
        float[] vol = ramp(1, 200_000, 0);
        for (int tr = 0; tr < 4; tr++) {
            r.chunker.append(vol, new double[]{T0 + tr * 1.5}, 1, 0.0);
        }
        assertEquals(4 * 4, r.sink.chunks.size(), "800 kB volumes in 256 KiB records: 4 slices each");
        VolumeAssembler asm = new VolumeAssembler();
        int done = 0;
        for (SampleChunk c : r.sink.chunks) {
            SampleChunk w = asm.accept(c).orElse(null);
            if (w != null) {
                assertEquals(done++, w.firstSequence());
                float[] back = new float[200_000];
                w.copyFloats(back, 0);
                assertArrayEquals(vol, back);
            }
        }
        assertEquals(4, done);
        assertEquals(0, asm.pending());
    }

    @Test
    void aVolumeMissingASliceIsGivenUpOnceFarBehind() {
        Rig r = rig(ChannelFormat.FLOAT32, 1000, 1 / 1.5, new ChunkingConfig(0.010, 1000));
        for (int tr = 0; tr < 5; tr++) {
            r.chunker.append(ramp(1, 1000, tr), new double[]{T0 + tr * 1.5}, 1, 0.0);
        }
        VolumeAssembler asm = new VolumeAssembler(2);
        int done = 0;
        for (SampleChunk c : r.sink.chunks) {
            if (c.firstSequence() == 0 && c.channelOffset() == 250) {
                continue; // lost slice
            }
            if (asm.accept(c).isPresent()) {
                done++;
            }
        }
        assertEquals(4, done);
        assertEquals(1, asm.dropped());
        assertEquals(0, asm.pending());
    }
}
