package io.mindstream.processor.fmri;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Marker;
import io.mindstream.contracts.QualityFlags;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.formats.Geometry;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.epoch.EpochIds;
import io.mindstream.processor.epoch.EpochJournal;
import io.mindstream.processor.epoch.EpochRule;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.processor.epoch.SequencedStream;
import io.mindstream.processor.step.DoneMarkers;
import io.mindstream.processor.step.FrozenStatistics;
import io.mindstream.processor.step.NonFiniteHold;
import io.mindstream.processor.step.SnapshotPart;
import io.mindstream.processor.step.SnapshotSchedule;
import io.mindstream.processor.step.StepSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * fMRI epoching for one session/stream. Each whole volume is masked, detrended per voxel by a running (cumulative
 * least-squares) line through every volume so far, and z-scored with frozen statistics (mean and ddof=1 standard
 * deviation of the first {@code calibrationVolumes} detrended volumes; until then the detrended values are passed
 * with flag UNCALIBRATED). Outputs:
 * <ul>
 *   <li>per stimulus marker: the mean of the volumes acquired {@code hrfStart … hrfEnd} s after the onset, emitted
 *       when a volume at or after {@code onset + hrfEnd} arrives (channels = voxels, times = 1);</li>
 *   <li>per TR: the last {@code trWindowVolumes} volumes (channels = voxels, times = N), to the windows topic.</li>
 * </ul>
 * Volumes are taken in sequence order; an older or repeated volume is dropped and counted; missing volumes flag GAP
 * on the outputs that span them. Non-finite voxels are replaced by the voxel's previous value (flag NON_FINITE).
 */
public final class FmriStream extends SequencedStream {

    private static final Logger LOG = LoggerFactory.getLogger(FmriStream.class);
    private static final int SNAPSHOT_LAYOUT = 2;

    private final ProcessorConfig config;
    private final FmriSettings fmri;
    private final int totalVoxels;
    private final int[] mask;
    private final int voxels;
    private final double rate;
    private final String preprocessingPrefix;

    // the chain (the same steps as ContinuousStream's where the job is the same; its front, the ChunkSequencer, is
    // SequencedStream's)
    private final NonFiniteHold nonFinite;
    private final RunningDetrend detrend;
    private final FrozenStatistics statistics;
    private final DoneMarkers done = new DoneMarkers();
    private final SnapshotSchedule schedule;
    private final StepSnapshots snapshot;
    /** The volume expected next: a later one follows missing volumes (flag GAP). Part of the snapshot. */
    private final SnapshotPart expected = new SnapshotPart() {
        @Override
        public void save(java.io.DataOutputStream o) throws IOException {
            o.writeLong(nextSeq);
        }

        @Override
        public void load(java.io.DataInputStream i) throws IOException {
            nextSeq = i.readLong();
        }
    };

    private long nextSeq = -1;
    private long nextTrWindow = Long.MIN_VALUE;
    private final ArrayDeque<Volume> volumes = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private final byte[] volumeFlags = new byte[1];

    private record Volume(long seq, double time, float[] values, int flags) {
    }

    private record Pending(Marker marker) {
    }

    /** How far a waiting stimulus may be settled (see ContinuousStream): complete only, with what exists, or all. */
    private enum Mode { WAIT, ENDED, FLUSH }

    /**
     * @param described the stream's geometry as its description on {@code raw.streams} states it, when one has been
     *                  seen: a NIfTI voxel mask is checked against it per axis; without it, on the voxel count only
     * @throws IllegalArgumentException when the voxel mask does not fit the stream ({@link VoxelMask#requireFits})
     */
    public FmriStream(ProcessorConfig config, String session, String streamId, int totalVoxels, double rate,
                      Optional<Geometry> described, EpochJournal journal, ProcessorStats stats,
                      LongSupplier clockMicros) {
        super(session, streamId, Math.round(config.maxHoldSeconds() * Math.max(rate, 1e-3)), journal, stats,
                clockMicros);
        this.config = config;
        this.fmri = config.fmri();
        this.totalVoxels = totalVoxels;
        if (fmri.mask().isPresent()) {
            VoxelMask m = fmri.mask().get();
            m.requireFits(session + "/" + streamId, totalVoxels, described);
            if (m.grid() != null && described.isEmpty()) {
                LOG.info("{}/{}: no geometry described for this stream (yet) on raw.streams: voxel mask {} ({}) is "
                        + "checked on its voxel count only, per axis once a description comes", session, streamId,
                        m.source(), m.grid().describe());
            }
            this.mask = m.indices();
        } else {
            this.mask = null;
        }
        this.voxels = mask == null ? totalVoxels : mask.length;
        this.rate = rate;
        this.preprocessingPrefix = "fmri:" + (mask == null ? "all" + totalVoxels : "mask" + voxels) + "/"
                + (fmri.detrend() ? "detrend" : "raw") + "/zscore/hrf" + fmri.hrfStartSeconds() + "-"
                + fmri.hrfEndSeconds();
        this.nonFinite = new NonFiniteHold(voxels);
        this.detrend = new RunningDetrend(voxels, fmri.detrend());
        this.statistics = new FrozenStatistics(session, streamId, fmri.calibrationVolumes(),
                config.calibration().filter(c -> c.kind() == StreamKind.FMRI && c.channels() == voxels).orElse(null),
                this::fitZscore, journal);
        this.schedule = new SnapshotSchedule(fmri.snapshotVolumes());
        this.snapshot = new StepSnapshots(SNAPSHOT_LAYOUT, List.of(expected, nonFinite, detrend));
    }

    /**
     * The stream's description came after its first volumes (raw.streams and raw.fmri are separate partitions, with
     * no order between them): the voxel mask is checked now against the geometry it states.
     *
     * @throws IllegalArgumentException when the mask does not fit: the caller refuses the stream from now on (the
     *                                  volumes before were masked with it already: only the count had been checked)
     */
    public void describedAs(Geometry described) {
        if (fmri.mask().isPresent()) {
            fmri.mask().get().requireFits(session + "/" + streamId, totalVoxels, Optional.of(described));
            LOG.info("{}/{}: geometry described after the first volumes ({}): the voxel mask fits", session,
                    streamId, described.describe());
        }
    }

    @Override
    protected void check(SampleChunk c) {
        if (!c.isWhole() || c.totalChannels() != totalVoxels) {
            throw new IllegalArgumentException("volume chunk " + c + " does not match stream " + session + "/"
                    + streamId + " (" + totalVoxels + " voxels, whole volumes)");
        }
    }

    @Override
    protected void chunk(SampleChunk c, int skip) {
        for (int s = skip; s < c.sampleCount(); s++) {
            long seq = c.firstSequence() + s;
            if (s == skip && !replaying && schedule.due(seq)) {
                journal.snapshot(session, streamId, seq, snapshot.write(seq));
            }
            addVolume(c, s, seq, out);
        }
    }

    @Override
    protected void dataEnded(long at) {
        LOG.info("{}/{}: volumes end at {} (ingest stopped reading the stream, or volumes are missing at the "
                + "source): stimuli whose window has begun are averaged over what exists", session, streamId, at);
        evaluatePending(out, Mode.ENDED);
    }

    @Override
    protected void missing(long from, long to, boolean atSource) {
        if (atSource) {
            if (!replaying) {
                LOG.warn("{}/{}: volumes {} … {} missing at the source (outputs spanning them are flagged GAP)",
                        session, streamId, from, to - 1);
            }
        } else {
            stats.deliveryHolesBridged.increment();
            LOG.error("{}/{}: records of volumes {} … {} never arrived while later volumes waited for them: given "
                    + "up as lost (flag GAP)", session, streamId, from, to - 1);
        }
    }

    private void addVolume(SampleChunk c, int s, long seq, Consumer<Epoch> out) {
        float[] y = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            y[v] = c.value(s, mask == null ? v : mask[v]);
        }
        volumeFlags[0] = 0;
        int replaced = nonFinite.clean(y, 0, 1, volumeFlags);
        int flags = volumeFlags[0];
        if (replaced > 0) {
            stats.nonFiniteValues.add(replaced);
            if (!replaying) {
                LOG.warn("{}/{}: {} non-finite voxels in volume {}: held at their previous values", session,
                        streamId, replaced, seq);
            }
        }
        if (nextSeq >= 0 && seq > nextSeq) {
            flags |= QualityFlags.GAP;
        }
        detrend.apply(seq, y);
        nextSeq = seq + 1;
        volumes.addLast(new Volume(seq, c.timestamps()[s], y, flags));
        while (volumes.size() > fmri.bufferVolumes()) {
            volumes.pollFirst();
        }
        evict();
        if (replaying) {
            return;
        }
        if (!fmri.detrend() || detrend.count() > 1) { // the first detrended volume is all zeros
            statistics.collect(y);
            statistics.freezeIfReady();
        }
        evaluatePending(out, Mode.WAIT);
        if (fmri.trWindowsEnabled()) {
            emitTrWindows(out);
        }
    }

    /** The z-score statistics: per voxel mean and standard deviation (ddof = 1) over the calibration volumes. */
    private Calibration fitZscore(List<float[]> block) {
        int n = block.size();
        float[] mean = new float[voxels];
        float[] std = new float[voxels];
        for (int v = 0; v < voxels; v++) {
            double s = 0;
            for (float[] vol : block) {
                s += vol[v];
            }
            double m = s / n;
            double ss = 0;
            for (float[] vol : block) {
                ss += (vol[v] - m) * (vol[v] - m);
            }
            mean[v] = (float) m;
            std[v] = (float) Math.sqrt(ss / (n - 1));
        }
        return Calibration.of(StreamKind.FMRI, Calibration.ZSCORE, mean, std,
                "session " + session + " stream " + streamId + ": " + n + " volumes");
    }

    private float[] zscore(float[] detrended) {
        float[] z = detrended.clone();
        Calibration calibration = statistics.calibration();
        if (calibration != null) {
            for (int v = 0; v < voxels; v++) {
                z[v] = calibration.apply(v, z[v]);
            }
        }
        return z;
    }

    private void evict() {
        if (volumes.isEmpty()) {
            return;
        }
        long keep = schedule.prune(volumes.peekFirst().seq);
        if (keep != Long.MIN_VALUE && !replaying) {
            journal.evictBefore(session, streamId, keep);
        }
        done.forgetBefore(volumes.peekFirst().time - 60);
    }

    private void emitTrWindows(Consumer<Epoch> out) {
        int n = fmri.trWindowVolumes();
        Volume newest = volumes.peekLast();
        if (newest == null || newest.seq < nextTrWindow || volumes.size() < n) {
            return;
        }
        List<Volume> last = new ArrayList<>(n);
        Iterator<Volume> it = volumes.descendingIterator();
        for (int i = 0; i < n; i++) {
            last.add(0, it.next());
        }
        float[] data = new float[voxels * n];
        int flags = statistics.frozen() ? 0 : QualityFlags.UNCALIBRATED;
        for (int k = 0; k < n; k++) {
            Volume vol = last.get(k);
            flags |= vol.flags;
            if (k > 0 && vol.seq != last.get(k - 1).seq + 1) {
                flags |= QualityFlags.GAP;
            }
            float[] z = zscore(vol.values);
            for (int v = 0; v < voxels; v++) {
                data[v * n + k] = z[v];
            }
        }
        Trigger trigger = new Trigger(TriggerKind.FMRI_TR, newest.time, newest.seq, null, null, null);
        out.accept(new Epoch(session, EpochIds.of(session, streamId, EpochIds.FMRI_TR, newest.seq), streamId,
                StreamKind.FMRI, trigger, last.get(0).time, newest.time, rate, voxels, n, data,
                preprocessingId(), flags, traces.cut()));
        stats.windowsOut.increment();
        nextTrWindow = newest.seq + 1;
        journal.windowProgress(session, streamId, nextTrWindow);
    }

    @Override
    public void onMarker(Marker m, EpochRule rule, Consumer<Epoch> out) {
        String key = EpochIds.markerKey(m);
        if (done.contains(m) || pending.stream().anyMatch(p -> EpochIds.markerKey(p.marker).equals(key))) {
            stats.duplicateMarkers.increment();
            return;
        }
        pending.add(new Pending(m));
        evaluatePending(out, ended ? Mode.ENDED : Mode.WAIT);
    }

    private void evaluatePending(Consumer<Epoch> out, Mode mode) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            double from = p.marker.timestamp() + fmri.hrfStartSeconds();
            double to = p.marker.timestamp() + fmri.hrfEndSeconds();
            if (volumes.isEmpty()) {
                if (mode == Mode.FLUSH) {
                    expire(p, "no volumes at all");
                    it.remove();
                }
                continue;
            }
            if (to < volumes.peekFirst().time) {
                stats.markersDataGone.increment();
                LOG.warn("{}/{}: volumes for marker #{} at {} s are not held (lost at the source, or the marker came "
                        + "too late); counted as markersDataGone", session, streamId, p.marker.sequence(),
                        p.marker.timestamp());
                markDone(p.marker);
                it.remove();
                continue;
            }
            boolean complete = volumes.peekLast().time >= to;
            // with the data ended, a stimulus whose window has not begun yet waits: volumes may resume after a gap
            boolean settle = complete || mode == Mode.FLUSH
                    || (mode == Mode.ENDED && volumes.peekLast().time >= from);
            if (!settle) {
                continue;
            }
            List<Volume> inside = new ArrayList<>();
            for (Volume v : volumes) {
                if (v.time >= from && v.time <= to) {
                    inside.add(v);
                }
            }
            if (inside.isEmpty()) {
                expire(p, "no volume was acquired " + fmri.hrfStartSeconds() + " … " + fmri.hrfEndSeconds()
                        + " s after it");
                it.remove();
                continue;
            }
            float[] mean = new float[voxels];
            int flags = statistics.frozen() ? 0 : QualityFlags.UNCALIBRATED;
            if (!complete) {
                flags |= QualityFlags.LATE | QualityFlags.GAP;
                stats.partialEpochs.increment();
            }
            for (int k = 0; k < inside.size(); k++) {
                Volume v = inside.get(k);
                flags |= v.flags;
                if (k > 0 && v.seq != inside.get(k - 1).seq + 1) {
                    flags |= QualityFlags.GAP;
                }
                float[] z = zscore(v.values);
                for (int i = 0; i < voxels; i++) {
                    mean[i] += z[i];
                }
            }
            for (int i = 0; i < voxels; i++) {
                mean[i] /= inside.size();
            }
            Marker m = p.marker;
            Trigger trigger = new Trigger(TriggerKind.FMRI_STIMULUS, m.timestamp(), m.sequence(), m.label(),
                    m.code(), m.imageId());
            out.accept(new Epoch(session, EpochIds.of(session, streamId, EpochIds.FMRI_STIMULUS, m.sequence()),
                    streamId, StreamKind.FMRI, trigger, inside.get(0).time, inside.get(inside.size() - 1).time,
                    rate, voxels, 1, mean, preprocessingId(), flags, traces.cut()));
            stats.epochsOut.increment();
            markDone(m);
            it.remove();
        }
    }

    private void expire(Pending p, String why) {
        stats.markersExpired.increment();
        LOG.warn("{}/{}: no fMRI stimulus epoch for marker #{} at {} s: {}", session, streamId, p.marker.sequence(),
                p.marker.timestamp(), why);
        markDone(p.marker);
    }

    private void markDone(Marker m) {
        done.add(m);
        journal.markerDone(session, streamId, m);
    }

    private String preprocessingId() {
        Calibration calibration = statistics.calibration();
        return preprocessingPrefix + ":" + (calibration != null ? calibration.id() : "uncalibrated");
    }

    @Override
    public void flush(Consumer<Epoch> out) {
        flushSequence(out);
        evaluatePending(out, Mode.FLUSH);
    }

    @Override
    public double newestTime() {
        return volumes.isEmpty() ? Double.NaN : volumes.peekLast().time;
    }

    @Override
    public void restoreSnapshot(byte[] state) {
        long seq = snapshot.read(state, session + "/" + streamId);
        volumes.clear();
        resetSequenceTo(seq);
        schedule.restoredAt(seq);
    }

    @Override
    public void restoreProgress(long nextWindow, Collection<Marker> doneMarkers, Calibration restored,
                                List<float[]> calibrationBlocks) {
        if (nextWindow != Long.MIN_VALUE) {
            nextTrWindow = Math.max(nextTrWindow, nextWindow);
        }
        done.restore(doneMarkers);
        statistics.restore(restored, calibrationBlocks);
    }
}
