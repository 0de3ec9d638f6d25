package io.mindstream.formats.nifti;

import io.mindstream.formats.FormatException;
import io.mindstream.formats.IncompleteFileException;
import io.mindstream.formats.Volume;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A single-file NIfTI-1 or NIfTI-2 image ({@code .nii} or {@code .nii.gz}) as it is on disk right now: its header and
 * the volumes whose bytes are all there. A 4D file that is still growing (a scanner or converter appending one
 * volume per TR) is read again later and then holds more complete volumes; a 3D file is complete or not at all.
 *
 * <p>Why our own reader: the Java NIfTI readers on Maven Central (e.g. {@code nifti-io} variants in imaging
 * toolkits) come with large toolkit dependencies or are unmaintained, none reads NIfTI-2 and a growing 4D file, and
 * the format is a fixed header plus raw voxels; nibabel, the field's reference reader, checks this one in the tests.
 */
public final class NiftiFile {

    private static final Pattern DCM2NIIX_TIME = Pattern.compile("(?:^|;)\\s*Time=(\\d{2})(\\d{2})(\\d{2}(?:\\.\\d+)?)");

    private final String source;
    private final NiftiHeader header;
    private final byte[] bytes;
    private final int length;
    private final boolean gzipComplete;

    private NiftiFile(String source, NiftiHeader header, byte[] bytes, int length, boolean gzipComplete) {
        this.source = source;
        this.header = header;
        this.bytes = bytes;
        this.length = length;
        this.gzipComplete = gzipComplete;
    }

    /**
     * Reads what the file holds now (gzip told by its magic bytes). A {@code .hdr} is read with the voxels of the
     * {@code .img} beside it (either may be gzipped).
     */
    public static NiftiFile read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".hdr") || name.endsWith(".hdr.gz")) {
            String source = file.toString();
            byte[] hdr = gunzipWhole(source, Files.readAllBytes(file));
            NiftiHeader h = NiftiHeader.parse(source, hdr, hdr.length, true);
            Path img = file.resolveSibling(name.replaceFirst("\\.hdr(\\.gz)?$", ".img$1"));
            if (!Files.exists(img)) {
                throw new FormatException(source, "the voxels' file " + img.getFileName() + " is missing");
            }
            byte[] data = gunzipWhole(img.toString(), Files.readAllBytes(img));
            return new NiftiFile(source, h, data, data.length, true);
        }
        return parse(file.toString(), Files.readAllBytes(file));
    }

    private static byte[] gunzipWhole(String source, byte[] raw) {
        if (raw.length < 2 || (raw[0] & 0xFF) != 0x1F || (raw[1] & 0xFF) != 0x8B) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 65536)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FormatException(source, "cannot decompress: " + e.getMessage(), e);
        }
    }

    /** Parses a file's bytes held in memory (gzip-compressed or not). */
    public static NiftiFile parse(String source, byte[] raw) {
        boolean gz = raw.length >= 2 && (raw[0] & 0xFF) == 0x1F && (raw[1] & 0xFF) == 0x8B;
        if (!gz) {
            NiftiHeader h = NiftiHeader.parse(source, raw, raw.length);
            return new NiftiFile(source, h, raw, raw.length, true);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, raw.length * 2));
        boolean complete = true;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 65536)) {
            in.transferTo(out);
        } catch (EOFException e) {
            complete = false; // still being written (or cut short): use what decompressed so far
        } catch (ZipException e) {
            throw new FormatException(source, "corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new FormatException(source, "cannot decompress: " + e.getMessage(), e);
        }
        byte[] data = out.toByteArray();
        NiftiHeader h;
        try {
            h = NiftiHeader.parse(source, data, data.length);
        } catch (IncompleteFileException e) {
            throw complete ? new FormatException(source, "gzip stream ends inside the NIfTI header") : e;
        }
        return new NiftiFile(source, h, data, data.length, complete);
    }

    public NiftiHeader header() {
        return header;
    }

    /** Volumes whose every byte is present now. */
    public int completeVolumes() {
        long data = length - header.voxOffset();
        long n = data <= 0 ? 0 : data / header.volumeBytes();
        return (int) Math.min(n, header.volumes());
    }

    /** True when every volume the header declares is present (and, for gzip, the stream ended with its trailer). */
    public boolean complete() {
        return gzipComplete && completeVolumes() == header.volumes();
    }

    /**
     * The header's volumes, all there, or {@link IncompleteFileException} (retry later) — or, for a gzip stream that
     * ended properly but holds too few bytes, {@link FormatException} (the file is short for good).
     */
    public void requireComplete() {
        if (complete()) {
            return;
        }
        long need = header.voxOffset() + header.volumes() * header.volumeBytes();
        if (gzipComplete && source.endsWith(".gz")) {
            throw new FormatException(source, "gzip stream complete but holds " + length + " bytes of the " + need
                    + " the header declares");
        }
        throw new IncompleteFileException(source, length, need, header.volumes() + " volume(s) of "
                + header.geometry().describe() + " " + header.dataType());
    }

    /** Volume {@code t} (0-based along dim[4]), scaled, as float32. */
    public Volume volume(int t) {
        if (t < 0 || t >= completeVolumes()) {
            throw new IndexOutOfBoundsException(source + ": volume " + t + " of " + completeVolumes() + " complete");
        }
        int n = header.geometry().voxels();
        float[] out = new float[n];
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(header.order());
        long base = header.voxOffset() + t * header.volumeBytes();
        int bpv = header.dataType().bytes();
        NiftiDataType type = header.dataType();
        boolean scaled = header.scaled();
        double slope = header.slope();
        double inter = Double.isFinite(header.intercept()) ? header.intercept() : 0;
        for (int i = 0; i < n; i++) {
            double v = type.get(b, (int) (base + (long) i * bpv));
            out[i] = (float) (scaled ? v * slope + inter : v);
        }
        double acq = acquisitionSeconds(header.description());
        double tr = header.trSeconds();
        if (!Double.isNaN(acq) && !Double.isNaN(tr)) {
            acq += t * tr;
        }
        long index = header.volumes() > 1 ? t : -1;
        return new Volume(source, index, acq, tr, header.geometry(), out);
    }

    /** dcm2niix's {@code Time=hhmmss.ffffff} in the description, as seconds since midnight; NaN when absent. */
    static double acquisitionSeconds(String description) {
        Matcher m = DCM2NIIX_TIME.matcher(description);
        if (!m.find()) {
            return Double.NaN;
        }
        return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60
                + Double.parseDouble(m.group(3));
    }
}
