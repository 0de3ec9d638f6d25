package io.mindstream.formats.dicom;

import io.mindstream.formats.FormatException;

import java.nio.ByteOrder;

/** The uncompressed transfer syntaxes (DICOM part 5, §10 and annex A) and what the others are, for the error. */
public enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, ByteOrder.LITTLE_ENDIAN),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, ByteOrder.LITTLE_ENDIAN),
    EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", true, ByteOrder.BIG_ENDIAN);

    private final String uid;
    private final boolean explicitVr;
    private final ByteOrder order;

    TransferSyntax(String uid, boolean explicitVr, ByteOrder order) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.order = order;
    }

    public String uid() {
        return uid;
    }

    public boolean explicitVr() {
        return explicitVr;
    }

    public ByteOrder order() {
        return order;
    }

    /** The syntax with this UID, or a {@link FormatException} saying what it is and that it is not read. */
    public static TransferSyntax of(String source, String uid) {
        for (TransferSyntax t : values()) {
            if (t.uid.equals(uid)) {
                return t;
            }
        }
        throw new FormatException(source, "transfer syntax " + uid + " (" + describe(uid) + ") is not read: only "
                + "uncompressed implicit/explicit VR little endian and explicit VR big endian are; decompress first "
                + "(e.g. gdcmconv --raw or dcmdjpeg)");
    }

    private static String describe(String uid) {
        if (uid.equals("1.2.840.10008.1.2.1.99")) {
            return "deflated explicit VR little endian";
        }
        if (uid.equals("1.2.840.10008.1.2.5")) {
            return "RLE lossless, compressed";
        }
        if (uid.startsWith("1.2.840.10008.1.2.4.")) {
            int n;
            try {
                n = Integer.parseInt(uid.substring("1.2.840.10008.1.2.4.".length()));
            } catch (NumberFormatException e) {
                return "compressed";
            }
            if (n >= 50 && n <= 70) {
                return "JPEG, compressed";
            }
            if (n == 80 || n == 81) {
                return "JPEG-LS, compressed";
            }
            if (n >= 90 && n <= 93) {
                return "JPEG 2000, compressed";
            }
            if (n >= 100 && n <= 108) {
                return "MPEG video, compressed";
            }
            if (n >= 201 && n <= 203) {
                return "HTJ2K, compressed";
            }
            return "compressed";
        }
        return "unknown";
    }
}
