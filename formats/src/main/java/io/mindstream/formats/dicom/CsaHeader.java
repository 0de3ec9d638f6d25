package io.mindstream.formats.dicom;

import io.mindstream.formats.FormatException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Siemens' CSA2 header ({@code SV10}), the private (0029,xx10) blob that carries NumberOfImagesInMosaic and the
 * slice normal: {@code "SV10" 04 03 02 01}, tag count, 77, then per tag a 64-byte name, VM, 4-byte VR, SyngoDT,
 * item count, 77 (or 205), and per item four int32 (the second is the length) and the value padded to 4 bytes
 * (layout as nibabel's csareader reads it). All values are text.
 */
public final class CsaHeader {

    private final Map<String, List<String>> tags;

    private CsaHeader(Map<String, List<String>> tags) {
        this.tags = tags;
    }

    public Map<String, List<String>> tags() {
        return tags;
    }

    /** The first value of a tag, or null. */
    public String first(String name) {
        List<String> v = tags.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public static CsaHeader parse(String source, byte[] b) {
        if (b.length < 16 || b[0] != 'S' || b[1] != 'V' || b[2] != '1' || b[3] != '0') {
            throw new FormatException(source, "CSA header is not SV10 (CSA2)");
        }
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int n = h.getInt(8);
        if (n < 1 || n > 1000) {
            throw new FormatException(source, "CSA header declares " + n + " tags");
        }
        int p = 16;
        Map<String, List<String>> out = new LinkedHashMap<>();
        try {
            for (int t = 0; t < n; t++) {
                String name = cString(b, p, 64);
                int vm = h.getInt(p + 64);
                int items = h.getInt(p + 76);
                p += 84;
                List<String> values = new ArrayList<>();
                for (int i = 0; i < items; i++) {
                    int len = h.getInt(p + 4);
                    p += 16;
                    if (len < 0 || p + len > b.length) {
                        throw new FormatException(source, "CSA item of tag " + name + " runs past the header");
                    }
                    if (i < Math.max(vm, 0) || vm == 0) {
                        if (len > 0) {
                            values.add(cString(b, p, len));
                        }
                    }
                    p += (len + 3) / 4 * 4;
                }
                out.put(name, values);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new FormatException(source, "CSA header ends inside its tags");
        }
        return new CsaHeader(out);
    }

    /** Writes a CSA2 header of text tags (name → values; each tag's VR as given, VM = number of values). */
    public static byte[] write(Map<String, String[]> values, Map<String, String> vrs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer w = ByteBuffer.allocate(84).order(ByteOrder.LITTLE_ENDIAN);
        out.writeBytes(new byte[]{'S', 'V', '1', '0', 4, 3, 2, 1});
        w.putInt(values.size()).putInt(77);
        out.write(w.array(), 0, 8);
        for (Map.Entry<String, String[]> e : values.entrySet()) {
            w.clear();
            byte[] name = new byte[64];
            byte[] nb = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(nb, 0, name, 0, Math.min(63, nb.length));
            w.put(name).putInt(e.getValue().length);
            byte[] vr = new byte[4];
            byte[] vb = vrs.getOrDefault(e.getKey(), "ST").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(vb, 0, vr, 0, Math.min(3, vb.length));
            w.put(vr).putInt(0).putInt(e.getValue().length).putInt(77);
            out.write(w.array(), 0, 84);
            for (String v : e.getValue()) {
                byte[] vbytes = (v + "\0").getBytes(StandardCharsets.US_ASCII);
                ByteBuffer item = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                item.putInt(vbytes.length).putInt(vbytes.length).putInt(77).putInt(vbytes.length);
                out.write(item.array(), 0, 16);
                out.writeBytes(vbytes);
                out.writeBytes(new byte[(4 - vbytes.length % 4) % 4]);
            }
        }
        return out.toByteArray();
    }

    private static String cString(byte[] b, int at, int max) {
        int n = 0;
        while (n < max && at + n < b.length && b[at + n] != 0) {
            n++;
        }
        return new String(b, at, n, StandardCharsets.ISO_8859_1).trim();
    }
}
