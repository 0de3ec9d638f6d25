package io.mindstream.ingest.scanner;

import io.mindstream.contracts.ChannelFormat;
import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.formats.FormatException;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.IncompleteFileException;
import io.mindstream.formats.Volume;
import io.mindstream.formats.VolumeFiles;
import io.mindstream.formats.dicom.SliceStack;
import io.mindstream.ingest.check.CheckConfig;
import io.mindstream.ingest.check.StreamChecker;
import io.mindstream.ingest.chunk.ChunkingConfig;
import io.mindstream.ingest.chunk.RecordSink;
import io.mindstream.ingest.chunk.SampleChunker;
import io.mindstream.ingest.source.StreamKinds;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.ingest.stats.StreamStats;
import io.mindstream.journal.StreamPositions;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.XmlElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Ingests a scanner's real-time export folder as one fMRI stream: each new volume file (DICOM, Siemens mosaic or
 * single-file NIfTI, a 4D NIfTI as it grows) becomes one volume record through the same {@link StreamChecker},
 * {@link SampleChunker} and {@link RecordSink} (the journal) as an LSL stream's samples, so sequence numbers,
 * {@code lostBefore}, gap flags, splitting of wide volumes, the accounting and restart behave exactly as for LSL.
 *
 * <p><b>Slices.</b> With {@link ScannerConfig#slicesPerVolume()} N &gt; 1, single-frame DICOM files (one per slice)
 * are gathered by the volume they belong to (TemporalPositionIdentifier / AcquisitionNumber) and stacked by
 * position ({@link SliceStack}) once all N are in; the volume then goes on like any other.
 *
 * <p><b>Complete, once.</b> A file is read when its size and time stamp are the same at two listings, and taken when
 * it parses in full ({@link VolumeFiles}); a half-written file is tried again when it has grown, a file that stays
 * incomplete for {@link ScannerConfig#incompleteTimeout()} is reported once, an unreadable one (compressed DICOM,
 * foreign file) gets one error line naming it and the reason, and ingest goes on. A file is never taken twice.
 *
 * <p><b>Order and time.</b> Each volume has a place on the scanner's timeline, its <i>source stamp</i>:
 * InstanceNumber × TR for DICOM (a 4D NIfTI's volume index × TR), the acquisition time dcm2niix records for a 3D
 * NIfTI, else the number in its file name × TR. Volumes go out in that order, not by file name or arrival: one that
 * arrives ahead of a missing one (and the first one of a run) waits up to {@link ScannerConfig#reorderWait()}, then
 * the missing one is a gap (the checker jumps the sequence, the next record carries GAP and {@code lostBefore});
 * one that arrives after its gap was declared is dropped and counted. The record's stamp is the ingest host's LSL
 * clock at the listing that first showed the file at its final size (the clock offset is completion time − source
 * stamp, one per record, so the journal keeps the source stamp: on restart the stream continues from it and skips
 * what is already journaled). The header's acquisition time, when it has one, is the record's {@code ACQUIRED} trace
 * stamp (and so its Kafka event time), as the last sample's LSL stamp is for an LSL stream.
 *
 * <p>One thread; not thread-safe otherwise.
 */
public final class ScannerFolderSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScannerFolderSource.class);
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

    /** What ingest knows of one file in the folder. */
    private static final class FileState {
        long size = -1;
        long mtime;
        long changedNanos;
        double changedLsl;
        boolean triedAtThisSize;
        boolean done;
        boolean reported;
        int taken;
        /** Why the last read found it incomplete. */
        String incomplete = "not read yet";
    }

    /** A complete volume waiting for its turn. */
    private record Ready(Volume volume, double stamp, double completedLsl, long readyNanos) {
    }

    private final String session;
    private final ScannerConfig config;
    private final ChunkingConfig chunking;
    private final RecordSink sink;
    private final StreamStats st;
    private final CheckConfig checks;
    private final StreamPositions.Position resumeFrom;
    private StreamChecker checker;
    private final DoubleSupplier lslClock;
    private final double resumeStamp;
    private final Map<Path, FileState> files = new HashMap<>();
    private final TreeMap<Double, Ready> pending = new TreeMap<>();
    /** Single-frame slices by the volume they belong to, until all of its slices are in. */
    private final Map<Long, List<Volume>> slices = new HashMap<>();
    private final double[] ts = new double[1];
    private final Thread thread;
    private volatile boolean running = true;

    private double tr;
    private Geometry geometry;
    private SampleChunker chunker;
    private double lastStamp = Double.NaN;
    private long skippedJournaled;
    private boolean trMissingReported;

    public ScannerFolderSource(String session, ScannerConfig config, ChunkingConfig chunking, CheckConfig checks,
                               RecordSink sink, IngestStats stats, StreamPositions.Position resumeFrom,
                               DoubleSupplier lslClock) {
        this.session = session;
        this.config = config;
        this.chunking = chunking;
        this.sink = sink;
        this.lslClock = lslClock;
        this.tr = config.trSeconds();
        this.st = stats.stream(config.streamId());
        st.describe(config.dir().toString(), StreamKind.FMRI, Double.isNaN(tr) ? 0 : 1 / tr);
        this.checks = checks;
        this.resumeFrom = resumeFrom;
        if (resumeFrom != null) {
            resumeStamp = resumeFrom.lastSourceTimestamp();
            lastStamp = resumeStamp;
            LOG.info("scanner stream {}: continuing from the journal at sequence {} (last source stamp {} s)",
                    config.streamId(), resumeFrom.nextSequence(), resumeStamp);
        } else {
            resumeStamp = Double.NaN;
        }
        this.thread = new Thread(this::run, "scanner-" + config.streamId());
        this.thread.setDaemon(true);
    }

    public ScannerFolderSource start() {
        LOG.info("ingest: watching scanner folder {} as stream {} (session {}, TR {})", config.dir(),
                config.streamId(), session, Double.isNaN(tr) ? "from the headers" : tr + " s");
        thread.start();
        return this;
    }

    private void run() {
        long pollNanos = config.poll().toNanos();
        while (running) {
            try {
                poll();
            } catch (RuntimeException e) {
                LOG.error("scanner folder {}: {}", config.dir(), e.toString(), e);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pollNanos);
        }
    }

    /** One listing: new and grown files are examined, complete volumes queued, the queue drained in order. */
    void poll() {
        long now = System.nanoTime();
        double lslNow = lslClock.getAsDouble();
        List<Path> listing = new ArrayList<>();
        try (Stream<Path> s = Files.list(config.dir())) {
            s.forEach(listing::add);
        } catch (NoSuchFileException e) {
            return; // not there yet: the scanner creates it with the first volume
        } catch (IOException e) {
            LOG.warn("scanner folder {}: cannot list it ({})", config.dir(), e.toString());
            return;
        }
        listing.sort(null); // deterministic; order on the timeline comes from the headers
        for (Path f : listing) {
            String name = f.getFileName().toString();
            if (name.startsWith(".")) {
                continue; // temporary files of tools that write then rename
            }
            FileState fs = files.computeIfAbsent(f, k -> new FileState());
            if (fs.done) {
                continue;
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(f, BasicFileAttributes.class);
            } catch (IOException e) {
                continue; // removed between the listing and now
            }
            if (!a.isRegularFile()) {
                fs.done = true;
                continue;
            }
            long mtime = a.lastModifiedTime().toMillis();
            if (a.size() != fs.size || mtime != fs.mtime) {
                fs.size = a.size();
                fs.mtime = mtime;
                fs.changedNanos = now;
                fs.changedLsl = lslNow;
                fs.triedAtThisSize = false;
                fs.reported = false;
                continue; // seen at this size once: take it when the next listing finds it unchanged
            }
            if (fs.size == 0) {
                continue;
            }
            if (!fs.triedAtThisSize) {
                fs.triedAtThisSize = true;
                examine(f, fs, now);
            } else if (!fs.reported && now - fs.changedNanos > config.incompleteTimeout().toNanos()) {
                fs.reported = true;
                LOG.error("{}: never completed: unchanged for {} s and still {}; skipped until it changes", f,
                        config.incompleteTimeout().toSeconds(), fs.incomplete);
            }
        }
        drain(System.nanoTime());
    }

    private void examine(Path f, FileState fs, long now) {
        VolumeFiles.Contents c;
        try {
            c = VolumeFiles.read(f, fs.taken);
        } catch (IncompleteFileException e) {
            fs.incomplete = e.getMessage().substring(e.source().length() + 2);
            return; // still being written: tried again when it changes; reported if it never does
        } catch (FormatException e) {
            fs.done = true;
            st.addDropped(1);
            LOG.error("{}", e.getMessage());
            return;
        } catch (IOException e) {
            fs.triedAtThisSize = false; // a read error (e.g. removed): try again
            return;
        }
        for (Volume v : c.volumes()) {
            fs.taken++;
            if (config.slicesPerVolume() > 1 && v.geometry().nz() == 1) {
                // one file per slice: the volume goes on once all its slices are in
                List<Volume> group = slices.computeIfAbsent(v.index(), k -> new ArrayList<>());
                group.add(v);
                if (group.size() < config.slicesPerVolume()) {
                    continue;
                }
                slices.remove(v.index());
                try {
                    v = SliceStack.stack(group);
                } catch (FormatException e) {
                    st.addDropped(1);
                    LOG.error("{}", e.getMessage());
                    continue;
                }
            }
            double trOf = tr(v);
            if (Double.isNaN(trOf)) {
                st.addDropped(1);
                if (!trMissingReported) {
                    trMissingReported = true;
                    LOG.error("{}: no repetition time in the header; give it with --tr (volumes are skipped until "
                            + "then)", f);
                }
                continue;
            }
            double stamp = sourceStamp(v, f, trOf);
            if (Double.isNaN(stamp)) {
                st.addDropped(1);
                LOG.error("{}: cannot place this volume on the scanner's timeline (no InstanceNumber, acquisition "
                        + "time or number in the file name); skipped", f);
                continue;
            }
            if (!Double.isNaN(resumeStamp) && stamp < resumeStamp + trOf / 2) {
                skippedJournaled++;
                continue; // journaled by an earlier run
            }
            Ready prev = pending.put(stamp, new Ready(v, stamp, fs.changedLsl, now));
            if (prev != null) {
                st.addDropped(1);
                LOG.warn("{}: the same place on the timeline ({} s) as {}; the later file is taken", f,
                        String.format(Locale.ROOT, "%.3f", stamp), prev.volume().source());
            }
        }
        if (c.complete()) {
            fs.done = true;
        } else {
            fs.incomplete = "growing: " + fs.taken + " of the " + c.declared() + " volumes its header declares";
        }
    }

    private double tr(Volume v) {
        if (!Double.isNaN(tr)) {
            return tr;
        }
        if (Double.isNaN(v.trSeconds()) || !(v.trSeconds() > 0)) {
            return Double.NaN;
        }
        tr = v.trSeconds();
        return tr;
    }

    /** Where the volume sits on the scanner's timeline, seconds (see the class comment); NaN when nothing says. */
    static double sourceStamp(Volume v, Path file, double tr) {
        if (v.index() >= 0) {
            return v.index() * tr;
        }
        if (!Double.isNaN(v.acquisitionSeconds())) {
            return v.acquisitionSeconds();
        }
        Matcher m = LAST_NUMBER.matcher(file.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", ""));
        if (m.find()) {
            return Long.parseLong(m.group(1)) * tr;
        }
        return Double.NaN;
    }

    private void drain(long now) {
        if (skippedJournaled > 0) {
            LOG.info("scanner stream {}: {} volume(s) in the folder were journaled by an earlier run; not taken again",
                    config.streamId(), skippedJournaled);
            skippedJournaled = 0;
        }
        while (!pending.isEmpty()) {
            Ready r = pending.firstEntry().getValue();
            if (!Double.isNaN(lastStamp) && r.stamp < lastStamp + tr / 2) {
                pending.pollFirstEntry();
                st.addDropped(1);
                LOG.warn("{}: arrived after the volumes that follow it were sent (its place was declared a gap); "
                        + "dropped", r.volume().source());
                continue;
            }
            // the very first volume waits too: the scanner's first file may arrive after its second
            boolean next = !Double.isNaN(lastStamp) && r.stamp < lastStamp + 1.5 * tr;
            if (!next && now - r.readyNanos < config.reorderWait().toNanos()) {
                return; // an earlier volume may still come
            }
            pending.pollFirstEntry();
            emit(r);
        }
    }

    /**
     * The stream's description, in the form an LSL source gives one (stream-info XML) so exports read every stream's
     * the same way: an fMRI stream of one float32 channel per voxel at 1 / TR, with the folder and the volume
     * geometry (dimensions, voxel size, voxel-to-world affine) in {@code <desc>}.
     */
    private StreamDescription description() {
        StreamInfo info = new StreamInfo(config.streamId(), StreamKinds.lslTypeOf(StreamKind.FMRI),
                geometry.voxels(), 1 / tr, io.mindstream.lsl4j.ChannelFormat.FLOAT32, config.streamId());
        XmlElement acq = info.desc().appendChild("acquisition");
        acq.appendChildValue("source", "scanner folder");
        acq.appendChildValue("folder", config.dir().toString());
        acq.appendChildValue("repetition_time", Double.toString(tr));
        geometry.describeTo(info.desc().appendChild("geometry")::appendChildValue);
        return new StreamDescription(session, config.streamId(), StreamKind.FMRI, checker.nextSequence(),
                info.toXml(), TraceStamps.empty());
    }


    private void emit(Ready r) {
        Volume v = r.volume();
        if (chunker == null) {
            geometry = v.geometry();
            st.describe(config.dir().toString(), StreamKind.FMRI, 1 / tr);
            st.state(StreamStats.State.ACTIVE);
            // built now: its nominal rate is 1 / TR, and the TR may come from the first header
            checker = new StreamChecker(config.streamId(), 1 / tr, checks, st);
            if (resumeFrom != null) {
                checker.resume(resumeFrom.nextSequence(), resumeFrom.lastSourceTimestamp());
            }
            chunker = new SampleChunker(session, config.streamId(), StreamKind.FMRI, ChannelFormat.FLOAT32,
                    geometry.voxels(), 1 / tr, chunking, checker, st, sink, lslClock);
            sink.description(description());
            LOG.info("scanner stream {} ({}): {} voxels, TR {} s → FMRI (session {}, next sequence {})",
                    config.streamId(), geometry.describe(), geometry.voxels(), tr, session,
                    checker.nextSequence());
        }
        if (!v.geometry().sameAs(geometry, 1e-3)) {
            st.addDropped(1);
            LOG.error("{}: geometry {} differs from the stream's {}; skipped (a new series needs its own stream id)",
                    v.source(), v.geometry().describe(), geometry.describe());
            return;
        }
        long acquired = acquisitionWallMicros(v.acquisitionSeconds(), java.time.ZonedDateTime.now());
        if (acquired > 0) {
            chunker.acquiredAt(acquired);
        }
        ts[0] = r.stamp;
        chunker.append(v.voxels(), ts, 1, r.completedLsl - r.stamp);
        chunker.flush();
        lastStamp = r.stamp;
    }

    /**
     * A header's acquisition time of day (seconds after local midnight) as wall-clock µs: today's date, or
     * yesterday's when that would lie more than 12 h ahead (acquired before midnight, read after). 0 when unknown.
     */
    static long acquisitionWallMicros(double secondsOfDay, java.time.ZonedDateTime now) {
        if (Double.isNaN(secondsOfDay) || secondsOfDay < 0 || secondsOfDay >= 86_400) {
            return 0;
        }
        java.time.ZonedDateTime t = now.toLocalDate().atStartOfDay(now.getZone())
                .plusNanos(Math.round(secondsOfDay * 1e9));
        if (t.isAfter(now.plusHours(12))) {
            t = t.minusDays(1);
        }
        return t.toInstant().getEpochSecond() * 1_000_000L + t.toInstant().getNano() / 1_000;
    }

    /** The stream's grid, once the first volume was taken (null before). */
    public Geometry geometry() {
        return geometry;
    }

    /** Stops watching; the stream's data ends here (an end record after the last volume). */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (chunker != null) {
            chunker.end();
        }
    }
}
