package io.mindstream.simulator.export;

import io.mindstream.formats.Geometry;
import io.mindstream.formats.dicom.DicomWriter;
import io.mindstream.formats.nifti.NiftiWriter;
import io.mindstream.simulator.SimulatedSubject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulated subject's fMRI as a scanner's real-time export writes it: one file per TR into a folder, a Siemens
 * mosaic DICOM or a NIfTI-1 volume (what sites that run dcm2niix on arrival get), each written in several pieces with
 * small pauses between them, so a reader sees the file half-written first, exactly as rt-cloud and OpenNFT users do.
 * Volume j (0-based) is the subject's volume j ({@link SimulatedSubject#generateFmri}), file {@code <prefix>_<j+1>}
 * (six digits), DICOM InstanceNumber j + 1, AcquisitionTime the session start's time of day + j × TR; paced at
 * {@code j × TR / speed} after the start (written once acquired, as a scanner exports after reconstruction).
 *
 * @param dir        the export folder (created)
 * @param format     DICOM or NIfTI
 * @param geometry   the grid the subject's voxels fill (x fastest); its voxel count must equal the subject's
 * @param speed      pacing factor (1 = real time; {@code Double.POSITIVE_INFINITY} = as fast as possible)
 * @param volumes    volumes to write
 * @param pieces     writes per file
 * @param pauseNanos pause between two writes of one file
 * @param withhold   volume indices (0-based) never written: what a lost file looks like to ingest
 * @param prefix     file name prefix
 * @param startOfDay the series' start, seconds after midnight (AcquisitionTime of volume 0); NaN = now
 */
public record ScannerExport(Path dir, Format format, Geometry geometry, double speed, long volumes, int pieces,
                            long pauseNanos, Set<Long> withhold, String prefix, double startOfDay) {

    private static final Logger LOG = LoggerFactory.getLogger(ScannerExport.class);

    /** The export's file format. */
    public enum Format { DICOM, NIFTI }

    /** Writes per file by default. */
    public static final int DEFAULT_PIECES = 4;
    /** Pause between a file's writes by default: 2 ms (a scanner's export writes a volume over a few ms). */
    public static final long DEFAULT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Voxel edge of the simulated grid, millimetres. */
    public static final double VOXEL_MM = 3.0;
    /** DICOM stores int16: value = raw × 1/64 keeps ±512 around 0 at 1/64 resolution (the subject is ≈ 100 ± 30). */
    public static final double DICOM_SLOPE = 1.0 / 64;

    public ScannerExport {
        if (pieces < 1) {
            throw new IllegalArgumentException("pieces must be >= 1, got " + pieces);
        }
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, got " + speed);
        }
        withhold = Set.copyOf(withhold);
    }

    /** What was written. */
    public record Summary(long written, long withheld, long clampedVoxels, double wallSeconds) {
    }

    /**
     * An axial grid for {@code voxels} voxels: the factorisation {@code nx·ny·nz} closest to a cube with
     * {@code nx ≥ ny ≥ nz} (15,000 → 25×25×24; 100,000 → 50×50×40), {@link #VOXEL_MM} isotropic, centred on the
     * world origin, RAS axes.
     */
    public static Geometry gridFor(int voxels) {
        int bx = voxels, by = 1, bz = 1;
        double best = Double.MAX_VALUE;
        for (int z = 1; (long) z * z * z <= voxels; z++) {
            if (voxels % z != 0) {
                continue;
            }
            int rest = voxels / z;
            for (int y = z; (long) y * y <= rest; y++) {
                if (rest % y != 0) {
                    continue;
                }
                int x = rest / y;
                double spread = Math.log((double) x / z);
                if (spread < best) {
                    best = spread;
                    bx = x;
                    by = y;
                    bz = z;
                }
            }
        }
        return grid(bx, by, bz);
    }

    /** An axial {@code nx × ny × nz} grid of {@link #VOXEL_MM} voxels centred on the origin. */
    public static Geometry grid(int nx, int ny, int nz) {
        double v = VOXEL_MM;
        return new Geometry(nx, ny, nz, new double[]{v, v, v}, new double[]{v, 0, 0, -v * (nx - 1) / 2, 0, v, 0,
                -v * (ny - 1) / 2, 0, 0, v, -v * (nz - 1) / 2, 0, 0, 0, 1});
    }

    /** The file name of volume j. */
    public String fileName(long j) {
        return String.format(Locale.ROOT, "%s_%06d.%s", prefix, j + 1, format == Format.DICOM ? "dcm" : "nii");
    }

    /** Writes the series; stops early when {@code stop} is set. */
    public Summary run(SimulatedSubject subject, AtomicBoolean stop) throws IOException {
        if (subject.fmriVoxels() != geometry.voxels()) {
            throw new IllegalArgumentException("the subject has " + subject.fmriVoxels() + " voxels, the grid "
                    + geometry.describe() + " " + geometry.voxels());
        }
        Files.createDirectories(dir);
        double tr = subject.fmriTr();
        double start = Double.isNaN(startOfDay) ? LocalTime.now().toNanoOfDay() / 1e9 : startOfDay;
        long suffix = Math.abs(subject.config().seed() * 1_000_003L + System.nanoTime() % 1_000_000L);
        DicomWriter dicom = new DicomWriter("2.25." + suffix, "2.25." + suffix + ".1", 1, tr, geometry, DICOM_SLOPE,
                0);
        float[] volume = new float[geometry.voxels()];
        long wall0 = System.nanoTime();
        long written = 0, withheld = 0, clamped = 0;
        LOG.info("exporting {} volumes of {} (TR {} s) as {} into {}, {} writes per file{}", volumes,
                geometry.describe(), tr, format, dir, pieces, speed == Double.POSITIVE_INFINITY ? ""
                        : String.format(Locale.ROOT, ", at %.2f× real time", speed));
        for (long j = 0; j < volumes && !stop.get(); j++) {
            if (speed != Double.POSITIVE_INFINITY) {
                long due = wall0 + (long) (j * tr / speed * 1e9);
                long wait;
                while ((wait = due - System.nanoTime()) > 0 && !stop.get()) {
                    LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
                }
            }
            if (withhold.contains(j)) {
                withheld++;
                continue;
            }
            subject.generateFmri(j, volume);
            double acq = start + j * tr;
            byte[] bytes;
            if (format == Format.DICOM) {
                DicomWriter.Written w = dicom.mosaic((int) (j + 1), acq, volume);
                clamped += w.clamped();
                bytes = w.bytes();
            } else {
                bytes = NiftiWriter.float32(geometry, volume, tr, acq);
            }
            writeInPieces(dir.resolve(fileName(j)), bytes);
            written++;
        }
        if (clamped > 0) {
            LOG.warn("{} voxel values did not fit the DICOM int16 range at slope {} and were clamped", clamped,
                    DICOM_SLOPE);
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        LOG.info("exported {} volumes ({} withheld) in {} s", written, withheld,
                String.format(Locale.ROOT, "%.2f", wall));
        return new Summary(written, withheld, clamped, wall);
    }

    /** The file appears at once and grows piece by piece: a reader may see any prefix of it. */
    private void writeInPieces(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            int step = (bytes.length + pieces - 1) / pieces;
            for (int off = 0; off < bytes.length; off += step) {
                out.write(bytes, off, Math.min(step, bytes.length - off));
                out.flush();
                if (off + step < bytes.length && pauseNanos > 0) {
                    LockSupport.parkNanos(pauseNanos);
                }
            }
        }
    }
}
