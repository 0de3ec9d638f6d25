package io.mindstream.formats.fif;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A raw FIF recording: measurement info, annotations and the data buffers of the file and of every file it continues
 * into ({@code name-1.fif}, …), read the way MNE's {@code read_raw_fif} reads them.
 *
 * <p>Values come out calibrated ({@code stored × range × cal}, in double, as MNE computes them); projectors are not
 * applied. Data skips ({@code FIFF_DATA_SKIP}) are segments of zeros, as in MNE, and also reported as
 * {@code BAD_ACQ_SKIP} annotations. Segment reads reuse one byte buffer: nothing is allocated per buffer.
 */
public final class FifRaw implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(FifRaw.class);
    private static final int MAX_SPLIT_FILES = 10_000;

    /**
     * A run of consecutive samples: one data buffer of one file, or a skip (no data acquired; zeros).
     *
     * @param firstSample the first sample, counted like MNE's (first_samp included)
     * @param sampleCount samples in it
     * @param file        index into {@link #files()}
     * @param tag         the data buffer tag, null for a skip
     */
    public record Segment(long firstSample, int sampleCount, int file, FifTag tag) {
        public boolean isSkip() {
            return tag == null;
        }
    }

    private final List<FifFile> files;
    private final FifInfo info;
    private final List<FifAnnotation> annotations;
    private final List<Segment> segments;
    private final long firstSample;
    private final long sampleCount;
    private final double[] calibration;
    private ByteBuffer scratch = ByteBuffer.allocate(0).order(ByteOrder.BIG_ENDIAN);

    private FifRaw(List<FifFile> files, FifInfo info, List<FifAnnotation> annotations, List<Segment> segments) {
        this.files = files;
        this.info = info;
        this.annotations = annotations;
        this.segments = segments;
        this.firstSample = segments.get(0).firstSample();
        Segment last = segments.get(segments.size() - 1);
        this.sampleCount = last.firstSample() + last.sampleCount() - firstSample;
        this.calibration = info.channels().stream().mapToDouble(FifChannel::calibration).toArray();
    }

    /** Opens a raw FIF file and the split files it continues into. */
    public static FifRaw open(Path path) throws IOException {
        List<FifFile> files = new ArrayList<>();
        try {
            FifFile first = FifFile.open(path);
            files.add(first);
            FifNode meas = FifInfoReader.measurement(first);
            FifInfo info = FifInfoReader.read(first, meas);
            List<FifAnnotation> annotations = new ArrayList<>();
            List<Segment> segments = new ArrayList<>();
            long next = readBuffers(first, 0, meas, info, segments, Long.MIN_VALUE);
            annotations.addAll(FifAnnotationReader.read(first, meas, info, segments.get(0).firstSample()));
            Optional<Path> continued = nextFile(first);
            while (continued.isPresent()) {
                if (files.size() >= MAX_SPLIT_FILES) {
                    throw first.error(0, null, "more than " + MAX_SPLIT_FILES + " split files: a loop?");
                }
                Path p = continued.get();
                if (!Files.exists(p)) {
                    throw first.error(0, null, "continues in " + p.getFileName() + ", which does not exist "
                            + "(a split recording needs all its files)");
                }
                FifFile f = FifFile.open(p);
                files.add(f);
                FifNode m = FifInfoReader.measurement(f);
                FifInfo more = FifInfoReader.read(f, m);
                if (!more.channelNames().equals(info.channelNames()) || more.samplingRate() != info.samplingRate()) {
                    throw f.error(0, null, "split file does not match " + path.getFileName() + " (channels or rate)");
                }
                next = readBuffers(f, files.size() - 1, m, info, segments, next);
                continued = nextFile(f);
            }
            long first0 = segments.get(0).firstSample();
            for (Segment s : segments) {
                if (s.isSkip()) {
                    annotations.add(new FifAnnotation((s.firstSample() - first0) / info.samplingRate(),
                            s.sampleCount() / info.samplingRate(), "BAD_ACQ_SKIP", List.of()));
                }
            }
            annotations.sort(Comparator.comparingDouble(FifAnnotation::onset));
            LOG.debug("{}: {} channels at {} Hz, {} segments in {} files", path, info.channelCount(),
                    info.samplingRate(), segments.size(), files.size());
            return new FifRaw(List.copyOf(files), info, List.copyOf(annotations), List.copyOf(segments));
        } catch (IOException | RuntimeException e) {
            for (FifFile f : files) {
                try {
                    f.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Adds the buffers of one file's raw data block; returns the sample after its last. {@code expectedFirst} is
     * where the previous file ended (MIN_VALUE for the first file): a split file's own first sample wins, as in MNE.
     */
    private static long readBuffers(FifFile f, int fileIndex, FifNode meas, FifInfo info, List<Segment> out,
                                    long expectedFirst) throws IOException {
        FifNode raw = null;
        for (int kind : new int[]{FifConstants.BLOCK_RAW_DATA, FifConstants.BLOCK_CONTINUOUS_DATA,
                FifConstants.BLOCK_IAS_RAW_DATA}) {
            List<FifNode> found = meas.find(kind);
            if (!found.isEmpty()) {
                raw = found.get(0);
                break;
            }
        }
        if (raw == null) {
            throw f.error(meas.position(), null, "no raw data block (FIFFB_RAW_DATA): not a raw recording "
                    + "(epochs or evoked files are not raw)");
        }
        int nchan = info.channelCount();
        long sample = expectedFirst == Long.MIN_VALUE ? 0 : expectedFirst;
        List<FifTag> tags = raw.tags();
        int i = 0;
        if (i < tags.size() && tags.get(i).kind() == FifConstants.FIRST_SAMPLE) {
            sample = f.readInt(tags.get(i));
            i++;
        }
        long firstSkip = 0;
        if (i < tags.size() && tags.get(i).kind() == FifConstants.DATA_SKIP) {
            firstSkip = f.readInt(tags.get(i));
            i++;
        }
        long skip = 0;
        int before = out.size();
        for (; i < tags.size(); i++) {
            FifTag t = tags.get(i);
            if (t.kind() == FifConstants.DATA_SKIP) {
                skip = f.readInt(t);
            } else if (t.kind() == FifConstants.DATA_BUFFER) {
                int bytes = FifConstants.bytesPerValue(t.type());
                if (bytes == 0) {
                    throw f.error(t.position(), t, "data buffers of type " + t.type() + " are not supported "
                            + "(short, int, float, double and 16-bit packed are)");
                }
                if (t.size() % (bytes * nchan) != 0) {
                    throw f.error(t.position(), t, t.size() + " bytes is not a whole number of " + nchan
                            + "-channel samples of " + bytes + " bytes");
                }
                int nsamp = t.size() / (bytes * nchan);
                if (firstSkip > 0) {
                    // an initial skip only shifts the first sample (MNE: first_samp += nsamp × skip)
                    sample += nsamp * firstSkip;
                    firstSkip = 0;
                }
                if (skip > 0) {
                    out.add(new Segment(sample, Math.toIntExact(nsamp * skip), fileIndex, null));
                    sample += nsamp * skip;
                    skip = 0;
                }
                out.add(new Segment(sample, nsamp, fileIndex, t));
                sample += nsamp;
            }
        }
        if (out.size() == before) {
            throw f.error(raw.position(), null, "raw data block without any data buffer");
        }
        return sample;
    }

    /** The file this one continues into (FIFFB_REF with role "next file"), resolved like MNE's _get_next_fname. */
    private static Optional<Path> nextFile(FifFile f) throws IOException {
        for (FifNode ref : f.root().find(FifConstants.BLOCK_REF)) {
            Integer role = null;
            String name = null;
            Integer num = null;
            for (FifTag t : ref.tags()) {
                switch (t.kind()) {
                    case FifConstants.REF_ROLE -> role = f.readInt(t);
                    case FifConstants.REF_FILE_NAME -> name = f.readString(t);
                    case FifConstants.REF_FILE_NUM -> num = f.readInt(t);
                    default -> {
                    }
                }
            }
            if (role == null || role != FifConstants.ROLE_NEXT_FILE) {
                continue;
            }
            Path dir = f.path().toAbsolutePath().getParent();
            if (name != null) {
                return Optional.of(dir.resolve(name));
            }
            if (num != null) {
                String base = f.path().getFileName().toString();
                int dot = base.indexOf('.');
                int dash = base.lastIndexOf('-');
                String stem = dot < 0 ? base : base.substring(0, dot);
                String ext = dot < 0 ? "" : base.substring(dot + 1);
                if (dash >= 0 && dash < dot && base.substring(dash + 1, dot).chars().allMatch(Character::isDigit)
                        && dash + 1 < dot) {
                    stem = base.substring(0, dash);
                }
                return Optional.of(dir.resolve(stem + "-" + num + "." + ext));
            }
        }
        return Optional.empty();
    }

    public FifInfo info() {
        return info;
    }

    /** MNE's {@code raw.first_samp}: the first sample's number (acquisition started counting before the file). */
    public long firstSample() {
        return firstSample;
    }

    /** Samples in the whole recording, skips included. */
    public long sampleCount() {
        return sampleCount;
    }

    /** Seconds from the start of acquisition to the first sample ({@code raw.first_time}). */
    public double firstTime() {
        return firstSample / info.samplingRate();
    }

    /** The wall-clock time of the first sample, when the file has a measurement date. */
    public Optional<Instant> firstSampleTime() {
        return info.measDate().map(d -> d.plus(Duration.ofNanos(Math.round(firstTime() * 1e9))));
    }

    /** Annotations, sorted by onset, with the skips as BAD_ACQ_SKIP. */
    public List<FifAnnotation> annotations() {
        return annotations;
    }

    public List<Segment> segments() {
        return segments;
    }

    public List<Path> files() {
        return files.stream().map(FifFile::path).toList();
    }

    /**
     * Reads one segment, calibrated, sample-major ({@code dst[s * nchan + c]}); a skip reads as zeros. {@code dst}
     * must hold at least {@code sampleCount × channelCount} values.
     */
    public void read(Segment s, double[] dst) throws IOException {
        int nchan = info.channelCount();
        int n = s.sampleCount() * nchan;
        if (s.isSkip()) {
            java.util.Arrays.fill(dst, 0, n, 0.0);
            return;
        }
        FifTag t = s.tag();
        if (scratch.capacity() < t.size()) {
            scratch = ByteBuffer.allocate(t.size()).order(ByteOrder.BIG_ENDIAN);
        }
        files.get(s.file()).data(t, scratch);
        ByteBuffer b = scratch;
        switch (t.type()) {
            case FifConstants.T_SHORT, FifConstants.T_DAU_PACK16 -> {
                for (int i = 0; i < n; ) {
                    for (int c = 0; c < nchan; c++, i++) {
                        dst[i] = b.getShort() * calibration[c];
                    }
                }
            }
            case FifConstants.T_INT -> {
                for (int i = 0; i < n; ) {
                    for (int c = 0; c < nchan; c++, i++) {
                        dst[i] = b.getInt() * calibration[c];
                    }
                }
            }
            case FifConstants.T_FLOAT -> {
                for (int i = 0; i < n; ) {
                    for (int c = 0; c < nchan; c++, i++) {
                        dst[i] = b.getFloat() * calibration[c];
                    }
                }
            }
            case FifConstants.T_DOUBLE -> {
                for (int i = 0; i < n; ) {
                    for (int c = 0; c < nchan; c++, i++) {
                        dst[i] = b.getDouble() * calibration[c];
                    }
                }
            }
            default -> throw new IllegalStateException("type checked at open: " + t.type());
        }
    }

    /** The whole recording, calibrated, channel-major ({@code [channel][sample]}, MNE's {@code get_data()}). */
    public double[][] readAll() throws IOException {
        int nchan = info.channelCount();
        double[][] out = new double[nchan][Math.toIntExact(sampleCount)];
        double[] buf = new double[0];
        for (Segment s : segments) {
            int n = s.sampleCount() * nchan;
            if (buf.length < n) {
                buf = new double[n];
            }
            read(s, buf);
            int at = (int) (s.firstSample() - firstSample);
            for (int i = 0, smp = 0; smp < s.sampleCount(); smp++) {
                for (int c = 0; c < nchan; c++, i++) {
                    out[c][at + smp] = buf[i];
                }
            }
        }
        return out;
    }

    /** One channel over the whole recording, calibrated. */
    public double[] readChannel(int channel) throws IOException {
        int nchan = info.channelCount();
        double[] out = new double[Math.toIntExact(sampleCount)];
        double[] buf = new double[0];
        for (Segment s : segments) {
            int n = s.sampleCount() * nchan;
            if (buf.length < n) {
                buf = new double[n];
            }
            read(s, buf);
            int at = (int) (s.firstSample() - firstSample);
            for (int smp = 0; smp < s.sampleCount(); smp++) {
                out[at + smp] = buf[smp * nchan + channel];
            }
        }
        return out;
    }

    /** Events on the stim channels, with MNE's {@code find_events} semantics (see {@link FifEvents}). */
    public List<FifEvent> findEvents(FifEvents.Options options) throws IOException {
        List<String> stim = FifEvents.stimChannels(info, options.stimChannels());
        List<double[]> data = new ArrayList<>();
        for (String name : stim) {
            data.add(readChannel(info.indexOf(name)));
        }
        return FifEvents.find(data, firstSample, info.samplingRate(), options);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FifFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
