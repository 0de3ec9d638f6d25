package io.mindstream.formats.dicom;

import io.mindstream.formats.FormatException;
import io.mindstream.formats.Geometry;
import io.mindstream.formats.IncompleteFileException;
import io.mindstream.formats.Volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One DICOM Part 10 MR image file, parsed strictly (part 5: data elements, VRs, undefined lengths and sequences;
 * part 10: preamble, {@code DICM}, the explicit-VR-little-endian file meta group), and its pixels as a
 * {@link Volume}: a single-frame slice ({@code nz = 1}) or a Siemens mosaic unpacked into its slices (the tile
 * layout dcm2niix and nibabel document: {@code ceil(sqrt(n))} tiles per row, n from the private
 * NumberOfImagesInMosaic (0019,xx0A) or the CSA image header (0029,xx10), the position moved from the mosaic's
 * corner to the first tile's).
 *
 * <p>Why our own reader: dcm4che, the well-kept Java DICOM toolkit, is not on Maven Central, and the other Java
 * DICOM readers there are either large imaging toolkits or unmaintained; a scanner's real-time export needs only the
 * uncompressed syntaxes and a handful of attributes, which pydicom, nibabel and dcm2niix check in the tests.
 *
 * <p>Errors: a file that ends early is an {@link IncompleteFileException} (the export may still be writing it);
 * anything else wrong (not DICOM, compressed, colour, enhanced multi-frame, contradictory header) is a
 * {@link FormatException} naming the file and the reason.
 */
public final class DicomFile {

    static final int PREAMBLE = 128;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (part 5, table 7.1-1). */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    static final int IMAGE_TYPE = tag(0x0008, 0x0008);
    static final int ACQUISITION_TIME = tag(0x0008, 0x0032);
    static final int MANUFACTURER = tag(0x0008, 0x0070);
    static final int SLICE_THICKNESS = tag(0x0018, 0x0050);
    static final int REPETITION_TIME = tag(0x0018, 0x0080);
    static final int SPACING_BETWEEN_SLICES = tag(0x0018, 0x0088);
    static final int SERIES_NUMBER = tag(0x0020, 0x0011);
    static final int ACQUISITION_NUMBER = tag(0x0020, 0x0012);
    static final int INSTANCE_NUMBER = tag(0x0020, 0x0013);
    static final int TEMPORAL_POSITION = tag(0x0020, 0x0100);
    static final int IMAGE_POSITION = tag(0x0020, 0x0032);
    static final int IMAGE_ORIENTATION = tag(0x0020, 0x0037);
    static final int SAMPLES_PER_PIXEL = tag(0x0028, 0x0002);
    static final int NUMBER_OF_FRAMES = tag(0x0028, 0x0008);
    static final int ROWS = tag(0x0028, 0x0010);
    static final int COLUMNS = tag(0x0028, 0x0011);
    static final int PIXEL_SPACING = tag(0x0028, 0x0030);
    static final int BITS_ALLOCATED = tag(0x0028, 0x0100);
    static final int BITS_STORED = tag(0x0028, 0x0101);
    static final int PIXEL_REPRESENTATION = tag(0x0028, 0x0103);
    static final int RESCALE_INTERCEPT = tag(0x0028, 0x1052);
    static final int RESCALE_SLOPE = tag(0x0028, 0x1053);
    static final int PIXEL_DATA = tag(0x7FE0, 0x0010);
    static final String SIEMENS_MR_HEADER = "SIEMENS MR HEADER";
    static final String SIEMENS_CSA_HEADER = "SIEMENS CSA HEADER";

    /** Where one top-level element's value sits in the file. */
    private record Element(String vr, int offset, int length) {
    }

    private final String source;
    private final byte[] b;
    private final TransferSyntax syntax;
    private final ByteBuffer buf;
    private final Map<Integer, Element> elements;

    private DicomFile(String source, byte[] b, TransferSyntax syntax, Map<Integer, Element> elements) {
        this.source = source;
        this.b = b;
        this.syntax = syntax;
        this.buf = ByteBuffer.wrap(b).order(syntax.order());
        this.elements = elements;
    }

    static int tag(int group, int element) {
        return (group << 16) | element;
    }

    public static DicomFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /** Parses a whole file held in memory: preamble, meta group, then the data set up to and including the pixels. */
    public static DicomFile parse(String source, byte[] b) {
        if (b.length < PREAMBLE + 4) {
            throw new IncompleteFileException(source, b.length, PREAMBLE + 4, "the DICOM preamble and 'DICM'");
        }
        if (b[PREAMBLE] != 'D' || b[PREAMBLE + 1] != 'I' || b[PREAMBLE + 2] != 'C' || b[PREAMBLE + 3] != 'M') {
            throw new FormatException(source, "not a DICOM Part 10 file: no 'DICM' after the 128-byte preamble");
        }
        // the file meta group: always explicit VR little endian (part 10, §7.1)
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        Map<Integer, Element> meta = new HashMap<>();
        int pos = PREAMBLE + 4;
        while (true) {
            need(source, b, pos, 2, "a file meta element");
            if ((le.getShort(pos) & 0xFFFF) != 0x0002) {
                break;
            }
            pos = element(source, b, le, pos, true, meta, 0);
        }
        Element ts = meta.get(tag(0x0002, 0x0010));
        if (ts == null) {
            throw new FormatException(source, "the file meta group has no TransferSyntaxUID (0002,0010)");
        }
        TransferSyntax syntax = TransferSyntax.of(source, text(b, ts).trim());
        ByteBuffer data = ByteBuffer.wrap(b).order(syntax.order());
        Map<Integer, Element> elements = new HashMap<>();
        while (pos < b.length) {
            int tagAt = pos;
            pos = element(source, b, data, pos, syntax.explicitVr(), elements, 0);
            if (((data.getShort(tagAt) & 0xFFFF) << 16 | (data.getShort(tagAt + 2) & 0xFFFF)) == PIXEL_DATA) {
                break; // nothing after the pixels matters here (trailing padding, digital signatures)
            }
        }
        if (!elements.containsKey(PIXEL_DATA)) {
            throw new IncompleteFileException(source, b.length, 0, "the pixel data element (7FE0,0010)");
        }
        return new DicomFile(source, b, syntax, elements);
    }

    private static void need(String source, byte[] b, long pos, long n, String what) {
        if (pos + n > b.length) {
            throw new IncompleteFileException(source, b.length, pos + n, what);
        }
    }

    /**
     * Reads the element at {@code pos}; top-level ones (depth 0) are recorded. Sequences and items with undefined
     * length are walked to their delimiters. Returns the position after it.
     */
    private static int element(String source, byte[] b, ByteBuffer bb, int pos, boolean explicit,
                               Map<Integer, Element> out, int depth) {
        if (depth > 32) {
            throw new FormatException(source, "sequences nested more than 32 deep at byte " + pos);
        }
        need(source, b, pos, 8, "a data element header");
        int group = bb.getShort(pos) & 0xFFFF;
        int elem = bb.getShort(pos + 2) & 0xFFFF;
        int tag = tag(group, elem);
        String vr;
        long length;
        int header;
        if (group == 0xFFFE) {
            // item and delimiters: never a VR (part 5, §7.5)
            vr = "";
            length = bb.getInt(pos + 4) & 0xFFFFFFFFL;
            header = 8;
        } else if (explicit) {
            vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
            if (!Character.isUpperCase(vr.charAt(0)) || !Character.isUpperCase(vr.charAt(1))) {
                throw new FormatException(source, String.format(Locale.ROOT,
                        "element (%04X,%04X) at byte %d has VR '%s': not explicit VR as the transfer syntax says",
                        group, elem, pos, vr.replaceAll("[^ -~]", "?")));
            }
            if (LONG_VRS.contains(vr)) {
                need(source, b, pos, 12, "a data element header");
                length = bb.getInt(pos + 8) & 0xFFFFFFFFL;
                header = 12;
            } else {
                length = bb.getShort(pos + 6) & 0xFFFF;
                header = 8;
            }
        } else {
            vr = null;
            length = bb.getInt(pos + 4) & 0xFFFFFFFFL;
            header = 8;
        }
        int value = pos + header;
        if (length == UNDEFINED) {
            if (tag == PIXEL_DATA) {
                throw new FormatException(source, "encapsulated (compressed) pixel data under an uncompressed "
                        + "transfer syntax");
            }
            // a sequence or item of undefined length: walk to its delimiter
            int p = value;
            while (true) {
                need(source, b, p, 8, "a sequence delimiter");
                int g = bb.getShort(p) & 0xFFFF;
                int e = bb.getShort(p + 2) & 0xFFFF;
                if (g == 0xFFFE && (e == 0xE0DD || e == 0xE00D)) {
                    return p + 8;
                }
                p = element(source, b, bb, p, explicit, null, depth + 1); // an item, or an element of an item
            }
        }
        if (group == 0xFFFE && elem == 0xE000) {
            // an item of defined length: its content is a data set
            int end = (int) Math.min(Integer.MAX_VALUE, value + length);
            need(source, b, value, length, "a sequence item");
            int p = value;
            while (p < end) {
                p = element(source, b, bb, p, explicit, null, depth + 1);
            }
            return end;
        }
        need(source, b, value, length, String.format(Locale.ROOT, "element (%04X,%04X)'s %d value bytes", group,
                elem, length));
        if (out != null) {
            out.put(tag, new Element(vr, value, (int) length));
        }
        return (int) (value + length);
    }

    private static String text(byte[] b, Element e) {
        int n = e.length;
        while (n > 0 && (b[e.offset + n - 1] == 0 || b[e.offset + n - 1] == ' ')) {
            n--;
        }
        return new String(b, e.offset, n, StandardCharsets.ISO_8859_1);
    }

    public TransferSyntax transferSyntax() {
        return syntax;
    }

    /** True when the element is present. */
    public boolean has(int tag) {
        return elements.containsKey(tag);
    }

    /** A string element's value (trailing padding removed), or null when absent. */
    public String string(int tag) {
        Element e = elements.get(tag);
        return e == null ? null : text(b, e).trim();
    }

    /** A multi-valued decimal or integer string's values, or null when absent or empty. */
    public double[] numbers(int tag) {
        String s = string(tag);
        if (s == null || s.isEmpty()) {
            return null;
        }
        String[] parts = s.split("\\\\");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException ex) {
                throw new FormatException(source, String.format(Locale.ROOT, "(%04X,%04X) holds '%s', not a number",
                        tag >>> 16, tag & 0xFFFF, s));
            }
        }
        return out;
    }

    private double number(int tag, double otherwise) {
        double[] v = numbers(tag);
        return v == null ? otherwise : v[0];
    }

    /** An unsigned short (US) element's first value, or {@code otherwise}. */
    public int unsignedShort(int tag, int otherwise) {
        Element e = elements.get(tag);
        if (e == null || e.length < 2) {
            return otherwise;
        }
        return buf.getShort(e.offset) & 0xFFFF;
    }

    /** The raw bytes of an element, or null. */
    public byte[] bytes(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        byte[] out = new byte[e.length];
        System.arraycopy(b, e.offset, out, 0, e.length);
        return out;
    }

    /** The element of a private block: group, the creator's name, and the element's low byte ({@code xx0A} → 0x0A). */
    public int privateTag(int group, String creator, int low) {
        for (int block = 0x10; block <= 0xFF; block++) {
            String c = string(tag(group, block));
            if (creator.equals(c)) {
                return tag(group, (block << 8) | low);
            }
        }
        return -1;
    }

    /** ImageType (0008,0008) contains MOSAIC. */
    public boolean mosaic() {
        String t = string(IMAGE_TYPE);
        if (t == null) {
            return false;
        }
        for (String v : t.split("\\\\")) {
            if (v.trim().equals("MOSAIC")) {
                return true;
            }
        }
        return false;
    }

    /** Slices in a Siemens mosaic: (0019,xx0A) NumberOfImagesInMosaic, else the CSA image header's; 0 if neither. */
    public int imagesInMosaic() {
        int t = privateTag(0x0019, SIEMENS_MR_HEADER, 0x0A);
        if (t >= 0 && has(t)) {
            Element e = elements.get(t);
            // US in explicit VR; in implicit VR the dictionary says US too (2 bytes)
            if (e.length >= 2) {
                return unsignedShort(t, 0);
            }
        }
        int csa = privateTag(0x0029, SIEMENS_CSA_HEADER, 0x10);
        if (csa >= 0 && has(csa)) {
            String n = CsaHeader.parse(source, bytes(csa)).first("NumberOfImagesInMosaic");
            if (n != null && !n.isBlank()) {
                try {
                    return (int) Double.parseDouble(n.trim());
                } catch (NumberFormatException e) {
                    throw new FormatException(source, "CSA NumberOfImagesInMosaic is '" + n + "'");
                }
            }
        }
        return 0;
    }

    /** The pixels as a volume: a mosaic unpacked into its slices, a single-frame image as one slice. */
    public Volume volume() {
        int spp = unsignedShort(SAMPLES_PER_PIXEL, 1);
        if (spp != 1) {
            throw new FormatException(source, "SamplesPerPixel " + spp + ": colour images are not MR volumes");
        }
        int frames = (int) number(NUMBER_OF_FRAMES, 1);
        if (frames != 1) {
            throw new FormatException(source, "NumberOfFrames " + frames + ": enhanced multi-frame DICOM is not read "
                    + "(single-frame and Siemens mosaic are)");
        }
        int rows = unsignedShort(ROWS, 0);
        int cols = unsignedShort(COLUMNS, 0);
        if (rows < 1 || cols < 1) {
            throw new FormatException(source, "Rows " + rows + ", Columns " + cols + ": no image");
        }
        int bits = unsignedShort(BITS_ALLOCATED, 0);
        if (bits != 8 && bits != 16 && bits != 32) {
            throw new FormatException(source, "BitsAllocated " + bits + " (8, 16 or 32 are read)");
        }
        int stored = unsignedShort(BITS_STORED, bits);
        if (stored < 1 || stored > bits) {
            throw new FormatException(source, "BitsStored " + stored + " with BitsAllocated " + bits);
        }
        boolean signed = unsignedShort(PIXEL_REPRESENTATION, 0) == 1;
        Element px = elements.get(PIXEL_DATA);
        long want = (long) rows * cols * (bits / 8);
        if (px.length < want) {
            throw new FormatException(source, "pixel data holds " + px.length + " bytes, " + rows + "×" + cols + "×"
                    + bits + " bits need " + want);
        }
        int nx = cols, ny = rows, nz = 1;
        int tilesPerRow = 1;
        if (mosaic()) {
            int n = imagesInMosaic();
            if (n < 1) {
                throw new FormatException(source, "ImageType says MOSAIC but neither (0019,xx0A) nor the CSA header "
                        + "gives NumberOfImagesInMosaic");
            }
            tilesPerRow = (int) Math.ceil(Math.sqrt(n));
            if (cols % tilesPerRow != 0 || rows % tilesPerRow != 0) {
                throw new FormatException(source, "a " + cols + "×" + rows + " mosaic does not split into "
                        + tilesPerRow + "×" + tilesPerRow + " tiles for " + n + " images");
            }
            nx = cols / tilesPerRow;
            ny = rows / tilesPerRow;
            nz = n;
        }
        double slope = number(RESCALE_SLOPE, 1);
        double inter = number(RESCALE_INTERCEPT, 0);
        float[] out = new float[nx * ny * nz];
        int bpv = bits / 8;
        int shift = bits - stored;
        for (int k = 0; k < nz; k++) {
            int tileRow = k / tilesPerRow, tileCol = k % tilesPerRow;
            for (int j = 0; j < ny; j++) {
                int row = tileRow * ny + j;
                int rowBase = px.offset + (row * cols + tileCol * nx) * bpv;
                int o = nx * (j + ny * k);
                for (int i = 0; i < nx; i++) {
                    long raw = rawValue(rowBase + i * bpv, bits, stored, shift, signed);
                    out[o + i] = (float) (raw * slope + inter);
                }
            }
        }
        Geometry g = geometry(rows, cols, nx, ny, nz, tilesPerRow > 1 || mosaic());
        double tr = number(REPETITION_TIME, Double.NaN) / 1000.0;
        // a mosaic is a volume: its InstanceNumber counts volumes; a single frame is a slice: the volume it belongs to
        // is its TemporalPositionIdentifier, else its AcquisitionNumber (InstanceNumber counts slices there)
        long index = (long) (mosaic() ? number(INSTANCE_NUMBER, number(ACQUISITION_NUMBER, -1))
                : number(TEMPORAL_POSITION, number(ACQUISITION_NUMBER, number(INSTANCE_NUMBER, -1))));
        return new Volume(source, index, tm(string(ACQUISITION_TIME)), tr, g, out);
    }

    private long rawValue(int pos, int bits, int stored, int shift, boolean signed) {
        long v = switch (bits) {
            case 8 -> b[pos] & 0xFFL;
            case 16 -> buf.getShort(pos) & 0xFFFFL;
            default -> buf.getInt(pos) & 0xFFFFFFFFL;
        };
        if (signed) {
            // sign-extend from the stored bits (part 5, §8.1.1: high bits above BitsStored are not pixel data)
            return (v << (64 - stored)) >> (64 - stored);
        }
        return shift == 0 ? v : v & ((1L << stored) - 1);
    }

    /**
     * The voxel-to-RAS affine from ImagePositionPatient, ImageOrientationPatient and PixelSpacing (DICOM's LPS
     * negated in x and y); slice direction = row × column cosines, spacing from SpacingBetweenSlices, else
     * SliceThickness. For a mosaic the position is moved from the mosaic's corner to the first tile's.
     */
    private Geometry geometry(int rows, int cols, int nx, int ny, int nz, boolean mosaic) {
        double[] ps = numbers(PIXEL_SPACING);
        double dr = ps != null && ps.length >= 2 ? ps[0] : 1; // between rows (along the column cosine)
        double dc = ps != null && ps.length >= 2 ? ps[1] : 1; // between columns (along the row cosine)
        double dz = number(SPACING_BETWEEN_SLICES, number(SLICE_THICKNESS, 1));
        double[] iop = numbers(IMAGE_ORIENTATION);
        double[] ipp = numbers(IMAGE_POSITION);
        if (iop == null || iop.length != 6 || ipp == null || ipp.length != 3) {
            return Geometry.axisAligned(nx, ny, nz, dc, dr, dz);
        }
        double[] r = {iop[0], iop[1], iop[2]};
        double[] c = {iop[3], iop[4], iop[5]};
        double[] n = {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
        double[] p = ipp.clone();
        if (mosaic) {
            double fi = (cols - nx) / 2.0, fj = (rows - ny) / 2.0;
            for (int a = 0; a < 3; a++) {
                p[a] += r[a] * dc * fi + c[a] * dr * fj;
            }
        }
        double[] m = new double[16];
        for (int a = 0; a < 3; a++) {
            double sign = a < 2 ? -1 : 1; // LPS → RAS
            m[a * 4] = sign * r[a] * dc;
            m[a * 4 + 1] = sign * c[a] * dr;
            m[a * 4 + 2] = sign * n[a] * dz;
            m[a * 4 + 3] = sign * p[a];
        }
        m[15] = 1;
        return new Geometry(nx, ny, nz, new double[]{dc, dr, dz}, m);
    }

    /** A DICOM TM ({@code HHMMSS.FFFFFF}, or the old {@code HH:MM:SS.frac}) as seconds since midnight; NaN if absent. */
    static double tm(String s) {
        if (s == null || s.isBlank()) {
            return Double.NaN;
        }
        String t = s.trim().replace(":", "");
        try {
            int h = Integer.parseInt(t.substring(0, 2));
            int m = t.length() >= 4 ? Integer.parseInt(t.substring(2, 4)) : 0;
            double sec = t.length() >= 6 ? Double.parseDouble(t.substring(4)) : 0;
            return h * 3600 + m * 60 + sec;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
