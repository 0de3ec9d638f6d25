package io.mindstream.formats;

import io.mindstream.formats.dicom.DicomFile;
import io.mindstream.formats.nifti.NiftiFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads whatever volume file a scanner folder holds, told apart by content, not name: DICOM ({@code DICM} after the
 * preamble), gzip (a {@code .nii.gz}), or a NIfTI-1/2 header ({@code sizeof_hdr} 348 or 540 in either byte order).
 */
public final class VolumeFiles {

    private VolumeFiles() {
    }

    /**
     * What a file holds now.
     *
     * @param volumes  its complete volumes in file order, from the {@code skip}-th on (a growing 4D file is read
     *                 again as it grows; the volumes already taken are not decoded again)
     * @param complete true when the file holds everything its header declares (a 4D file still growing: false)
     * @param declared volumes the header declares
     */
    public record Contents(List<Volume> volumes, boolean complete, int declared) {
    }

    /** The file's format, from its first bytes; null when they are too few to tell. */
    public enum Kind { DICOM, NIFTI }

    public static Kind kind(String source, byte[] b) {
        if (b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
            return Kind.DICOM;
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            return Kind.NIFTI;
        }
        if (b.length >= 4) {
            int le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            int be = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).getInt(0);
            if (le == 348 || le == 540 || be == 348 || be == 540) {
                return Kind.NIFTI;
            }
        }
        if (b.length < 132) {
            return null; // a DICOM file's first 132 bytes may still be on their way
        }
        throw new FormatException(source, "neither DICOM (no 'DICM' at byte 128) nor NIfTI (sizeof_hdr is not 348 "
                + "or 540, no gzip magic)");
    }

    /**
     * Reads the file as it is now. Throws {@link IncompleteFileException} when not even one volume is complete yet,
     * {@link FormatException} when the file is unreadable for good.
     */
    public static Contents read(Path file, int skip) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return parse(file.toString(), b, skip);
    }

    public static Contents parse(String source, byte[] b, int skip) {
        Kind kind = kind(source, b);
        if (kind == null) {
            throw new IncompleteFileException(source, b.length, 132, "telling DICOM from NIfTI");
        }
        if (kind == Kind.DICOM) {
            Volume v = DicomFile.parse(source, b).volume();
            return new Contents(skip > 0 ? List.of() : List.of(v), true, 1);
        }
        NiftiFile f = NiftiFile.parse(source, b);
        int declared = (int) f.header().volumes();
        if (declared == 1) {
            f.requireComplete();
        } else if (f.completeVolumes() == 0) {
            f.requireComplete(); // throws: not one volume yet
        }
        List<Volume> out = new ArrayList<>();
        for (int t = skip; t < f.completeVolumes(); t++) {
            out.add(f.volume(t));
        }
        return new Contents(out, f.complete(), declared);
    }
}
