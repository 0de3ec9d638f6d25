package io.mindstream.formats.fif;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads MNE's annotations block (FIFFB_MNE_ANNOTATIONS) as MNE's _read_annotations_fif and read_raw_fif do. */
final class FifAnnotationReader {

    private FifAnnotationReader() {
    }

    /**
     * The annotations of a file, onsets made relative to the first sample. MNE stores onsets relative to the
     * annotations' own origin (the measurement date when there is one), which is {@code first_samp / sfreq} before
     * the first sample; an origin other than the measurement date shifts them by the difference.
     */
    static List<FifAnnotation> read(FifFile f, FifNode meas, FifInfo info, long firstSample) throws IOException {
        List<FifNode> blocks = meas.find(FifConstants.BLOCK_MNE_ANNOTATIONS);
        if (blocks.isEmpty()) {
            blocks = f.root().find(FifConstants.BLOCK_MNE_ANNOTATIONS);
        }
        if (blocks.isEmpty()) {
            return List.of();
        }
        FifNode node = blocks.get(0);
        double[] onset = new double[0];
        double[] end = new double[0];
        List<String> descriptions = List.of();
        Double origin = null;
        List<List<String>> channels = null;
        for (FifTag t : node.tags()) {
            switch (t.kind()) {
                case FifConstants.MNE_BASELINE_MIN -> onset = f.readReals(t);
                case FifConstants.MNE_BASELINE_MAX -> end = f.readReals(t);
                case FifConstants.COMMENT -> descriptions = FifInfoReader.nameList(f.readString(t)).stream()
                        .map(d -> d.replace("{COLON}", ":")).toList();
                case FifConstants.MEAS_DATE -> {
                    if (t.type() == FifConstants.T_INT) {
                        int[] d = f.readInts(t);
                        origin = Integer.toUnsignedLong(d[0]) + (d.length > 1 ? d[1] / 1e6 : 0);
                    } else {
                        double[] d = f.readReals(t);
                        origin = d[0] + (d.length > 1 ? d[1] / 1e6 : 0);
                    }
                }
                case FifConstants.MNE_EPOCHS_DROP_LOG -> channels = channelLists(f, t);
                default -> {
                }
            }
        }
        if (onset.length != end.length || onset.length != descriptions.size()
                || (channels != null && channels.size() != onset.length)) {
            throw f.error(node.position(), null, "annotations block with " + onset.length + " onsets, " + end.length
                    + " ends and " + descriptions.size() + " descriptions");
        }
        double shift = firstSample / info.samplingRate();
        if (origin != null && info.measDate().isPresent()) {
            double measured = info.measDate().get().getEpochSecond() + info.measDate().get().getNano() / 1e9;
            shift -= origin - measured;
        }
        // With a time origin, MNE turns onsets into datetimes (microseconds) when it attaches annotations to a recording:
        // the float32 onsets the file holds come out rounded to the microsecond, durations (end − onset) as stored.
        boolean dated = origin != null || info.measDate().isPresent();
        List<FifAnnotation> out = new ArrayList<>(onset.length);
        for (int i = 0; i < onset.length; i++) {
            double from = dated ? Math.rint(onset[i] * 1e6) / 1e6 : onset[i];
            out.add(new FifAnnotation(from - shift, end[i] - onset[i], descriptions.get(i),
                    channels == null ? List.of() : channels.get(i)));
        }
        return out;
    }

    /** MNE keeps per-annotation channel names as JSON (a list of lists of strings) in this tag. */
    private static List<List<String>> channelLists(FifFile f, FifTag t) throws IOException {
        String json = f.readString(t).trim();
        List<List<String>> out = new ArrayList<>();
        int i = 0;
        if (json.isEmpty() || json.charAt(0) != '[') {
            throw f.error(t.position(), t, "annotation channel names are not a JSON list");
        }
        i++;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == '[') {
                List<String> names = new ArrayList<>();
                i++;
                while (i < json.length() && json.charAt(i) != ']') {
                    if (json.charAt(i) == '"') {
                        StringBuilder s = new StringBuilder();
                        i++;
                        while (i < json.length() && json.charAt(i) != '"') {
                            if (json.charAt(i) == '\\' && i + 1 < json.length()) {
                                i++;
                            }
                            s.append(json.charAt(i++));
                        }
                        names.add(s.toString());
                    }
                    i++;
                }
                out.add(List.copyOf(names));
            }
            i++;
        }
        return out;
    }
}
