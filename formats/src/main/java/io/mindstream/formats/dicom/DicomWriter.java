package io.mindstream.formats.dicom;

import io.mindstream.formats.Geometry;
import io.mindstream.formats.nifti.NiftiWriter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what a Siemens scanner's real-time export writes per TR: one MR Image Storage file holding the whole volume
 * as a mosaic (explicit VR little endian; ImageType {@code ORIGINAL\PRIMARY\M\ND\MOSAIC}; Manufacturer SIEMENS;
 * NumberOfImagesInMosaic both in (0019,100A) and in the CSA image header with the slice normal; the position of
 * the mosaic's corner as Siemens writes it). Voxels are stored as int16 with RescaleSlope/RescaleIntercept, so a
 * float volume comes back as {@code round((v − intercept) / slope) · slope + intercept}. {@link #slice} writes
 * one slice per file instead (single-frame, as scanners without mosaics export).
 *
 * @param studyUid     StudyInstanceUID
 * @param seriesUid    SeriesInstanceUID
 * @param seriesNumber SeriesNumber
 * @param trSeconds    RepetitionTime (written in ms)
 * @param geometry     the volume's grid and orientation (RAS affine; written as LPS)
 * @param slope        RescaleSlope
 * @param intercept    RescaleIntercept
 */
public record DicomWriter(String studyUid, String seriesUid, int seriesNumber, double trSeconds, Geometry geometry,
                          double slope, double intercept) {

    private static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
    private static final String IMPLEMENTATION_UID = "2.25.301457129418522375403046785712409116723";

    /** Voxels that did not fit int16 after scaling are clamped; the writer counts them here per file. */
    public record Written(byte[] bytes, int clamped) {
    }

    /** The file of volume {@code instanceNumber} (1-based), acquired at {@code acquisitionSeconds} after midnight. */
    public Written mosaic(int instanceNumber, double acquisitionSeconds, float[] voxels) {
        Geometry g = geometry;
        requireVolume(voxels);
        int tiles = (int) Math.ceil(Math.sqrt(g.nz()));
        int cols = g.nx() * tiles, rows = g.ny() * tiles;
        byte[] pixels = new byte[rows * cols * 2];
        int clamped = 0;
        for (int k = 0; k < g.nz(); k++) {
            clamped += quantise(voxels, k, pixels, (k / tiles) * g.ny(), (k % tiles) * g.nx(), cols);
        }
        // the first tile's corner in LPS, moved to the mosaic's corner as Siemens writes it
        double[] a = g.affine();
        double[] vs = g.voxelSize();
        double[] r = lpsCosine(0), c = lpsCosine(1), p = new double[3];
        for (int ax = 0; ax < 3; ax++) {
            double sign = ax < 2 ? -1 : 1;
            p[ax] = sign * a[ax * 4 + 3] - (r[ax] * vs[0] * (cols - g.nx()) + c[ax] * vs[1] * (rows - g.ny())) / 2;
        }
        double[] n = {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
        Map<String, String[]> csa = new LinkedHashMap<>();
        csa.put("NumberOfImagesInMosaic", new String[]{Integer.toString(g.nz())});
        csa.put("SliceNormalVector", new String[]{ds(n[0]), ds(n[1]), ds(n[2])});
        csa.put("AcquisitionMatrixText", new String[]{g.ny() + "p*" + g.nx()});
        byte[] csaBytes = CsaHeader.write(csa, Map.of("NumberOfImagesInMosaic", "US", "SliceNormalVector", "FD",
                "AcquisitionMatrixText", "SH"));
        return new Written(file(rows, cols, pixels, instanceNumber, instanceNumber, acquisitionSeconds, r, c, p,
                csaBytes), clamped);
    }

    /**
     * Slice {@code k} of volume {@code volumeNumber} (1-based) as a single-frame MR image, the way scanners without
     * mosaics export (one file per slice): AcquisitionNumber = the volume, InstanceNumber = (volume − 1)·nz + k + 1,
     * ImagePositionPatient = the slice's first voxel, no Siemens private tags.
     */
    public Written slice(int volumeNumber, int k, double acquisitionSeconds, float[] voxels) {
        Geometry g = geometry;
        requireVolume(voxels);
        byte[] pixels = new byte[g.nx() * g.ny() * 2];
        int clamped = quantise(voxels, k, pixels, 0, 0, g.nx());
        double[] r = lpsCosine(0), c = lpsCosine(1), p = new double[3];
        for (int ax = 0; ax < 3; ax++) {
            p[ax] = (ax < 2 ? -1 : 1) * g.world(ax, 0, 0, k); // the slice's first voxel, LPS
        }
        return new Written(file(g.ny(), g.nx(), pixels, (volumeNumber - 1) * g.nz() + k + 1, volumeNumber,
                acquisitionSeconds, r, c, p, null), clamped);
    }

    /** The direction of voxel axis {@code axis} (0: i, along a row; 1: j, down a column) as a DICOM LPS unit vector. */
    private double[] lpsCosine(int axis) {
        double[] a = geometry.affine();
        double size = geometry.voxelSize()[axis];
        return new double[]{-a[axis] / size, -a[4 + axis] / size, a[8 + axis] / size};
    }

    private void requireVolume(float[] voxels) {
        if (voxels.length != geometry.voxels()) {
            throw new IllegalArgumentException(voxels.length + " values for a " + geometry.describe() + " grid");
        }
    }

    /** Slice k as int16 into an image {@code cols} wide at (row0, col0); returns how many values were clamped. */
    private int quantise(float[] voxels, int k, byte[] pixels, int row0, int col0, int cols) {
        Geometry g = geometry;
        ByteBuffer px = ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN);
        int clamped = 0;
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                double q = Math.rint((voxels[i + g.nx() * (j + g.ny() * k)] - intercept) / slope);
                if (q > Short.MAX_VALUE || q < Short.MIN_VALUE || Double.isNaN(q)) {
                    clamped++;
                    q = Double.isNaN(q) ? 0 : Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, q));
                }
                px.putShort(((row0 + j) * cols + col0 + i) * 2, (short) q);
            }
        }
        return clamped;
    }

    /**
     * The file's bytes. r, c: LPS row and column cosines; p: LPS position of the first pixel; csaBytes: the mosaic's
     * CSA header, null for a single frame.
     */
    private byte[] file(int rows, int cols, byte[] pixels, int instanceNumber, int acquisitionNumber,
                        double acquisitionSeconds, double[] r, double[] c, double[] p, byte[] csaBytes) {
        boolean mosaic = csaBytes != null;
        double[] vs = geometry.voxelSize();
        String sopUid = seriesUid + "." + instanceNumber;
        Out d = new Out();
        d.str(0x0008, 0x0008, "CS", mosaic ? "ORIGINAL\\PRIMARY\\M\\ND\\MOSAIC" : "ORIGINAL\\PRIMARY\\M\\ND");
        d.str(0x0008, 0x0016, "UI", MR_IMAGE_STORAGE);
        d.str(0x0008, 0x0018, "UI", sopUid);
        d.str(0x0008, 0x0020, "DA", "20260101");
        d.str(0x0008, 0x0030, "TM", NiftiWriter.hhmmss(acquisitionSeconds - (acquisitionNumber - 1) * trSeconds));
        d.str(0x0008, 0x0032, "TM", NiftiWriter.hhmmss(acquisitionSeconds));
        d.str(0x0008, 0x0060, "CS", "MR");
        d.str(0x0008, 0x0070, "LO", "SIEMENS");
        d.str(0x0008, 0x1090, "LO", "mindstream simulator");
        d.str(0x0010, 0x0010, "PN", "Simulated^Subject");
        d.str(0x0010, 0x0020, "LO", "sim");
        d.str(0x0018, 0x0020, "CS", "EP");
        d.str(0x0018, 0x0050, "DS", ds(vs[2]));
        d.str(0x0018, 0x0080, "DS", ds(trSeconds * 1000));
        d.str(0x0018, 0x0081, "DS", "30");
        d.str(0x0018, 0x0088, "DS", ds(vs[2]));
        if (mosaic) {
            d.str(0x0019, 0x0010, "LO", DicomFile.SIEMENS_MR_HEADER);
            d.us(0x0019, 0x100A, geometry.nz());
        }
        d.str(0x0020, 0x000D, "UI", studyUid);
        d.str(0x0020, 0x000E, "UI", seriesUid);
        d.str(0x0020, 0x0011, "IS", Integer.toString(seriesNumber));
        d.str(0x0020, 0x0012, "IS", Integer.toString(acquisitionNumber));
        d.str(0x0020, 0x0013, "IS", Integer.toString(instanceNumber));
        d.str(0x0020, 0x0032, "DS", ds(p[0]) + "\\" + ds(p[1]) + "\\" + ds(p[2]));
        d.str(0x0020, 0x0037, "DS", ds(r[0]) + "\\" + ds(r[1]) + "\\" + ds(r[2]) + "\\" + ds(c[0]) + "\\"
                + ds(c[1]) + "\\" + ds(c[2]));
        d.us(0x0028, 0x0002, 1);
        d.str(0x0028, 0x0004, "CS", "MONOCHROME2");
        d.us(0x0028, 0x0010, rows);
        d.us(0x0028, 0x0011, cols);
        d.str(0x0028, 0x0030, "DS", ds(vs[1]) + "\\" + ds(vs[0]));
        d.us(0x0028, 0x0100, 16);
        d.us(0x0028, 0x0101, 16);
        d.us(0x0028, 0x0102, 15);
        d.us(0x0028, 0x0103, 1);
        d.str(0x0028, 0x1052, "DS", ds(intercept));
        d.str(0x0028, 0x1053, "DS", ds(slope));
        if (mosaic) {
            d.str(0x0029, 0x0010, "LO", DicomFile.SIEMENS_CSA_HEADER);
            d.bytes(0x0029, 0x1010, "OB", csaBytes);
        }
        d.bytes(0x7FE0, 0x0010, "OW", pixels);

        Out meta = new Out();
        meta.bytes(0x0002, 0x0001, "OB", new byte[]{0, 1});
        meta.str(0x0002, 0x0002, "UI", MR_IMAGE_STORAGE);
        meta.str(0x0002, 0x0003, "UI", sopUid);
        meta.str(0x0002, 0x0010, "UI", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        meta.str(0x0002, 0x0012, "UI", IMPLEMENTATION_UID);
        Out head = new Out();
        head.ul(0x0002, 0x0000, meta.size());

        ByteArrayOutputStream file = new ByteArrayOutputStream(DicomFile.PREAMBLE + 4 + meta.size() + d.size() + 12);
        file.writeBytes(new byte[DicomFile.PREAMBLE]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        head.writeTo(file);
        meta.writeTo(file);
        d.writeTo(file);
        return file.toByteArray();
    }

    /** A decimal string (DS: at most 16 characters). */
    static String ds(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.10g", v);
        if (s.contains("e") || s.contains("E")) {
            return s.length() <= 16 ? s : String.format(Locale.ROOT, "%.8e", v);
        }
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.length() <= 16 ? s : s.substring(0, 16);
    }

    /** Explicit VR little-endian elements, appended in the order written (callers write tags ascending). */
    private static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();
        private final ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);

        int size() {
            return b.size();
        }

        void writeTo(ByteArrayOutputStream o) {
            o.writeBytes(b.toByteArray());
        }

        void str(int group, int elem, String vr, String value) {
            byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
            if (v.length % 2 == 1) {
                byte[] p = new byte[v.length + 1];
                System.arraycopy(v, 0, p, 0, v.length);
                p[v.length] = (byte) (vr.equals("UI") ? 0 : ' ');
                v = p;
            }
            shortHeader(group, elem, vr, v.length);
            b.writeBytes(v);
        }

        void us(int group, int elem, int value) {
            shortHeader(group, elem, "US", 2);
            b.write(value & 0xFF);
            b.write((value >>> 8) & 0xFF);
        }

        void ul(int group, int elem, int value) {
            shortHeader(group, elem, "UL", 4);
            h.clear();
            h.putInt(value);
            b.write(h.array(), 0, 4);
        }

        void bytes(int group, int elem, String vr, byte[] value) {
            byte[] v = value;
            if (v.length % 2 == 1) {
                v = java.util.Arrays.copyOf(v, v.length + 1);
            }
            h.clear();
            h.putShort((short) group).putShort((short) elem).put(vr.getBytes(StandardCharsets.US_ASCII))
                    .putShort((short) 0).putInt(v.length);
            b.write(h.array(), 0, 12);
            b.writeBytes(v);
        }

        private void shortHeader(int group, int elem, String vr, int length) {
            h.clear();
            h.putShort((short) group).putShort((short) elem).put(vr.getBytes(StandardCharsets.US_ASCII))
                    .putShort((short) length);
            b.write(h.array(), 0, 8);
        }
    }
}
