package io.mindstream.formats.xdf;

import java.util.List;

/**
 * One stream of an XDF file as read: its header and footer XML, the fields of the header a player needs, every
 * sample's timestamp (as recorded, in the stream's own clock) and values, and the clock offsets measured for it.
 *
 * @param id           the stream's id in the file
 * @param headerXml    the stream header's XML (the stream's full LSL info)
 * @param footerXml    the footer's XML, "" when the recording ended without one (killed)
 * @param name         {@code <name>}
 * @param type         {@code <type>}
 * @param sourceId     {@code <source_id>}, "" if none
 * @param format       {@code <channel_format>}
 * @param channels     {@code <channel_count>}
 * @param nominalRate  {@code <nominal_srate>}
 * @param timestamps   one per sample
 * @param values       numeric streams: sample-major values widened to double; null for string streams
 * @param strings      string streams: sample-major values; null otherwise
 * @param clockOffsets {collection time, offset} pairs in file order
 */
public record XdfStream(int id, String headerXml, String footerXml, String name, String type, String sourceId,
                        XdfFormat format, int channels, double nominalRate, double[] timestamps, double[] values,
                        String[] strings, List<double[]> clockOffsets) {

    public int sampleCount() {
        return timestamps.length;
    }

    /**
     * A timestamp moved into the recording host's clock: the clock offset interpolated linearly between the
     * measurements around it (held constant before the first and after the last), added to it.
     */
    public double corrected(double t) {
        if (clockOffsets.isEmpty()) {
            return t;
        }
        double[] first = clockOffsets.get(0);
        if (t <= first[0]) {
            return t + first[1];
        }
        for (int i = 1; i < clockOffsets.size(); i++) {
            double[] a = clockOffsets.get(i - 1);
            double[] b = clockOffsets.get(i);
            if (t <= b[0]) {
                double w = b[0] == a[0] ? 1 : (t - a[0]) / (b[0] - a[0]);
                return t + a[1] + w * (b[1] - a[1]);
            }
        }
        return t + clockOffsets.get(clockOffsets.size() - 1)[1];
    }
}
