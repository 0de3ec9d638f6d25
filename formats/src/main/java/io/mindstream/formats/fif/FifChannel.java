package io.mindstream.formats.fif;

import java.util.Arrays;

/**
 * One channel of a FIF measurement ({@code fiffChInfoRec}): what the file says about it, and the factor
 * ({@code range × cal}) that turns a stored value into the channel's unit.
 *
 * @param name      channel name (the extended name when the file has one, else the 15-character record name)
 * @param scanNo    position in the acquisition's scan (1-based)
 * @param logNo     logical channel number
 * @param kind      {@link FifConstants} {@code CH_*}: MEG, EEG, stim, EOG …
 * @param range     recorded number → voltage at the output
 * @param cal       output voltage → the unit
 * @param coilType  coil type (coil_def.dat), 0 for non-MEG channels
 * @param loc       12 location values: position, then the coil's orientation (ex, ey, ez)
 * @param unit      SI unit code ({@link FifConstants} {@code UNIT_*})
 * @param unitMul   unit multiplier exponent (metadata; MNE does not scale by it)
 */
public record FifChannel(String name, int scanNo, int logNo, int kind, float range, float cal, int coilType,
                         float[] loc, int unit, int unitMul) {

    /** The multiplier applied to stored values, computed as MNE does ({@code range × cal} in double). */
    public double calibration() {
        return (double) range * (double) cal;
    }

    public boolean isStim() {
        return kind == FifConstants.CH_STIM;
    }

    /** The channel kind in the words MNE uses for channel types. */
    public String kindName() {
        return switch (kind) {
            case FifConstants.CH_MEG -> unit == FifConstants.UNIT_T_M ? "grad" : "mag";
            case FifConstants.CH_EEG -> "eeg";
            case FifConstants.CH_STIM -> "stim";
            case FifConstants.CH_EOG -> "eog";
            case FifConstants.CH_EMG -> "emg";
            case FifConstants.CH_ECG -> "ecg";
            case FifConstants.CH_MISC -> "misc";
            case FifConstants.CH_RESP -> "resp";
            case 301 -> "ref_meg";
            default -> "kind" + kind;
        };
    }

    /** The unit as text (XDF meta-data convention: "T", "T/m", "V"), "" when the file says none. */
    public String unitName() {
        return switch (unit) {
            case FifConstants.UNIT_T -> "T";
            case FifConstants.UNIT_T_M -> "T/m";
            case FifConstants.UNIT_V -> "V";
            case 1 -> "m";
            case 114 -> "degC";
            case FifConstants.UNIT_NONE, 0 -> "";
            default -> "unit" + unit;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FifChannel c && name.equals(c.name) && scanNo == c.scanNo && logNo == c.logNo
                && kind == c.kind && Float.compare(range, c.range) == 0 && Float.compare(cal, c.cal) == 0
                && coilType == c.coilType && Arrays.equals(loc, c.loc) && unit == c.unit && unitMul == c.unitMul;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + kind;
    }

    @Override
    public String toString() {
        return "FifChannel[" + name + " " + kindName() + " cal " + calibration() + " " + unitName() + "]";
    }
}
