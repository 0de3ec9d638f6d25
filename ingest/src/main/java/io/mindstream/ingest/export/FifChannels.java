package io.mindstream.ingest.export;

import io.mindstream.contracts.StreamDescription;
import io.mindstream.contracts.StreamKind;
import io.mindstream.formats.fif.FifChannel;
import io.mindstream.formats.fif.FifConstants;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.XmlElement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A recorded stream's channels as FIF channel records, taken from the stream's LSL description (the XDF meta-data
 * convention {@code <desc><channels><channel><label/><type/><unit/>}, which {@code replay --from fif} and most LSL
 * acquisition apps write):
 * <ul>
 *   <li>name: the label (FIF keeps 15 characters: longer ones are cut, repeated ones numbered, the note says
 *       so);</li>
 *   <li>kind and unit: {@code fiff_kind}, {@code coil_type}, {@code loc}, {@code scan_no}, {@code log_no} where the
 *       description carries them (what replay of a FIF file publishes: the file's own channel records come back);
 *       otherwise from the channel type in MNE's words, which mne-lsl and the XDF convention also use ({@code mag},
 *       {@code grad}, {@code MEG} (grad if its unit is per metre), {@code eeg}, {@code eog}, {@code ecg},
 *       {@code emg}, {@code stim}/{@code trigger}, {@code resp}, {@code ref_meg}, {@code misc}; anything else is
 *       written as misc and named in the note);</li>
 *   <li>values: FIF holds SI units (T, T/m, V), so a channel whose unit is a multiple of one ({@code fT},
 *       {@code fT/cm}, {@code uV}/{@code microvolts}, {@code mV} …) has its values scaled by that factor
 *       ({@link #toSi()}); MNE reads SI values, as from any FIF file.</li>
 * </ul>
 * A stream with no description, or one whose channel list does not match the data, gets generic names
 * ({@code MEG001…}, kind MEG, unit T; EEG: {@code EEG001…}, V), and the note says why.
 *
 * @param channels one per data channel, in stream order (calibration 1: the values written are SI values)
 * @param toSi     per channel, the factor from the recorded values to the SI unit
 * @param named    whether the names come from the description
 * @param note     what the export should tell its user about the channels (one line)
 */
record FifChannels(List<FifChannel> channels, double[] toSi, boolean named, String note) {

    /** FIF's channel name field holds 15 characters and a terminator. */
    static final int MAX_NAME = 15;

    private static final float[] NO_LOCATION = new float[12];

    /** The channels of stream {@code streamId} ({@code count} channels of {@code kind}), from its description. */
    static FifChannels of(String streamId, StreamKind kind, int count, Optional<StreamDescription> description) {
        if (description.isEmpty()) {
            return generic(kind, count, "no description of stream " + streamId + " in the recording (recorded "
                    + "before descriptions were kept, or its source sent none): channels named " + genericName(kind, 0)
                    + "…");
        }
        List<XmlElement> listed;
        try {
            listed = StreamInfo.fromXml(description.get().xml()).desc().child("channels").children("channel");
        } catch (IllegalArgumentException e) {
            return generic(kind, count, "the description of stream " + streamId + " is not a stream-info document ("
                    + e.getMessage() + "): channels named " + genericName(kind, 0) + "…");
        }
        if (listed.size() != count) {
            return generic(kind, count, "the description of stream " + streamId + " lists " + listed.size()
                    + " channels, its data has " + count + ": channels named " + genericName(kind, 0) + "…");
        }
        List<FifChannel> out = new ArrayList<>(count);
        double[] toSi = new double[count];
        Set<String> used = new HashSet<>();
        List<String> remarks = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            Unit unit = Unit.parse(listed.get(c).childValue("unit").strip());
            toSi[c] = unit == null ? 1 : unit.scale;
            out.add(channel(listed.get(c), unit, c, kind, used, remarks));
        }
        String note = "channel names and types from the description of stream " + streamId
                + (remarks.isEmpty() ? "" : " (" + String.join("; ", remarks) + ")");
        return new FifChannels(out, toSi, true, note);
    }

    /** The indices of the stim channels among {@link #channels()}. */
    List<Integer> stimIndices() {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            if (channels.get(c).isStim()) {
                out.add(c);
            }
        }
        return out;
    }

    private static FifChannels generic(StreamKind kind, int count, String note) {
        boolean meg = kind == StreamKind.MEG;
        List<FifChannel> out = new ArrayList<>(count);
        double[] toSi = new double[count];
        for (int c = 0; c < count; c++) {
            out.add(new FifChannel(genericName(kind, c), c + 1, c + 1, meg ? FifConstants.CH_MEG : FifConstants.CH_EEG,
                    1f, 1f, 0, NO_LOCATION.clone(), meg ? FifConstants.UNIT_T : FifConstants.UNIT_V, 0));
            toSi[c] = 1;
        }
        return new FifChannels(out, toSi, false, note);
    }

    private static String genericName(StreamKind kind, int c) {
        return String.format(Locale.ROOT, kind == StreamKind.MEG ? "MEG%03d" : "EEG%03d", c + 1);
    }

    private static FifChannel channel(XmlElement ch, Unit unit, int c, StreamKind streamKind, Set<String> used,
                                      List<String> remarks) {
        String name = uniqueName(ch.childValue("label").strip(), c, streamKind, used, remarks);
        String type = ch.childValue("type").strip().toLowerCase(Locale.ROOT);
        Integer fiffKind = integer(ch.childValue("fiff_kind"));
        int kind;
        if (fiffKind != null) {
            kind = fiffKind;
        } else {
            kind = kindOf(type.isEmpty() ? (streamKind == StreamKind.MEG ? "meg" : "eeg") : type);
            if (kind < 0) {
                remarks.add(name + ": type '" + ch.childValue("type") + "' written as misc");
                kind = FifConstants.CH_MISC;
            }
        }
        int fifUnit;
        if (unit != null && unit.fifUnit != FifConstants.UNIT_NONE) {
            fifUnit = unit.fifUnit;
        } else if (kind == FifConstants.CH_MEG) {
            fifUnit = type.equals("grad") ? FifConstants.UNIT_T_M : FifConstants.UNIT_T;
        } else if (kind == FifConstants.CH_STIM || kind == FifConstants.CH_MISC) {
            fifUnit = FifConstants.UNIT_NONE;
        } else {
            fifUnit = FifConstants.UNIT_V;
        }
        if (unit == null) {
            remarks.add(name + ": unit '" + ch.childValue("unit") + "' not known, values written as they are");
        }
        Integer coil = integer(ch.childValue("coil_type"));
        Integer scan = integer(ch.childValue("scan_no"));
        Integer log = integer(ch.childValue("log_no"));
        Integer mul = integer(ch.childValue("unit_mul"));
        return new FifChannel(name, scan != null ? scan : c + 1, log != null ? log : c + 1, kind, 1f, 1f,
                coil != null ? coil : 0, location(ch), fifUnit, mul != null ? mul : 0);
    }

    /** MNE's channel type words (and the XDF convention's upper-case ones) to a FIF kind; -1 for an unknown one. */
    private static int kindOf(String type) {
        return switch (type) {
            case "mag", "grad", "meg", "planar" -> FifConstants.CH_MEG;
            case "eeg" -> FifConstants.CH_EEG;
            case "stim", "trigger", "trig", "sti" -> FifConstants.CH_STIM;
            case "eog" -> FifConstants.CH_EOG;
            case "ecg" -> FifConstants.CH_ECG;
            case "emg" -> FifConstants.CH_EMG;
            case "resp" -> FifConstants.CH_RESP;
            case "ref_meg" -> 301;
            case "misc" -> FifConstants.CH_MISC;
            default -> -1;
        };
    }

    private static String uniqueName(String label, int c, StreamKind kind, Set<String> used, List<String> remarks) {
        String name = label.isEmpty() ? genericName(kind, c) : label;
        if (name.length() > MAX_NAME) {
            remarks.add("'" + name + "' cut to FIF's " + MAX_NAME + " characters");
            name = name.substring(0, MAX_NAME);
        }
        String base = name;
        for (int k = 1; !used.add(name); k++) {
            String suffix = "-" + k;
            name = base.substring(0, Math.min(base.length(), MAX_NAME - suffix.length())) + suffix;
            if (k == 1) {
                remarks.add("'" + base + "' repeated: numbered");
            }
        }
        return name;
    }

    /**
     * The 12 location values: {@code loc} as replay of a FIF file writes it, else the XDF convention's
     * {@code <location><X/><Y/><Z/></location>} in millimetres (FIF positions are in metres), else zeros.
     */
    private static float[] location(XmlElement ch) {
        String loc = ch.childValue("loc").strip();
        if (!loc.isEmpty()) {
            String[] parts = loc.split("\\s+");
            if (parts.length == 12) {
                float[] out = new float[12];
                try {
                    for (int i = 0; i < 12; i++) {
                        out[i] = Float.parseFloat(parts[i]);
                    }
                    return out;
                } catch (NumberFormatException e) {
                    return NO_LOCATION.clone();
                }
            }
        }
        XmlElement xyz = ch.child("location");
        if (!xyz.isEmpty()) {
            float[] out = new float[12];
            try {
                out[0] = Float.parseFloat(xyz.childValue("X").strip()) / 1000f;
                out[1] = Float.parseFloat(xyz.childValue("Y").strip()) / 1000f;
                out[2] = Float.parseFloat(xyz.childValue("Z").strip()) / 1000f;
                return out;
            } catch (NumberFormatException e) {
                return NO_LOCATION.clone();
            }
        }
        return NO_LOCATION.clone();
    }

    private static Integer integer(String s) {
        try {
            return s.isBlank() ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A unit as written in a description: the FIF unit and the factor from the written unit to it. */
    private record Unit(int fifUnit, double scale) {

        /** The unit of {@code text}; "" is no unit; null for one not known. */
        static Unit parse(String text) {
            return switch (text) {
                case "", "none", "n/a", "NA", "a.u.", "au" -> new Unit(FifConstants.UNIT_NONE, 1);
                case "T", "tesla", "teslas" -> new Unit(FifConstants.UNIT_T, 1);
                case "pT", "picotesla", "picoteslas" -> new Unit(FifConstants.UNIT_T, 1e-12);
                case "fT", "femtotesla", "femtoteslas" -> new Unit(FifConstants.UNIT_T, 1e-15);
                case "T/m" -> new Unit(FifConstants.UNIT_T_M, 1);
                case "fT/m" -> new Unit(FifConstants.UNIT_T_M, 1e-15);
                case "fT/cm" -> new Unit(FifConstants.UNIT_T_M, 1e-13);
                case "V", "volt", "volts" -> new Unit(FifConstants.UNIT_V, 1);
                case "mV", "millivolt", "millivolts" -> new Unit(FifConstants.UNIT_V, 1e-3);
                case "uV", "µV", "μV", "microvolt", "microvolts" -> new Unit(FifConstants.UNIT_V, 1e-6);
                case "nV", "nanovolt", "nanovolts" -> new Unit(FifConstants.UNIT_V, 1e-9);
                default -> null;
            };
        }
    }
}
