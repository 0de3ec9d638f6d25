package io.mindstream.formats.fif;

/**
 * The FIFF constants this reader and writer use (values from MNE's {@code mne/io/constants.py}, which follows
 * MEGIN's FIFF specification). Only what is needed; FIF has hundreds.
 */
public final class FifConstants {

    private FifConstants() {
    }

    public static final int TAG_HEADER_BYTES = 16;

    // "next" field of a tag header
    public static final int NEXT_SEQ = 0;
    public static final int NEXT_NONE = -1;

    // tag kinds: file structure
    public static final int FILE_ID = 100;
    public static final int DIR_POINTER = 101;
    public static final int DIR = 102;
    public static final int BLOCK_ID = 103;
    public static final int BLOCK_START = 104;
    public static final int BLOCK_END = 105;
    public static final int FREE_LIST = 106;
    public static final int NOP = 108;
    public static final int PARENT_BLOCK_ID = 110;
    public static final int REF_ROLE = 115;
    public static final int REF_FILE_ID = 116;
    public static final int REF_FILE_NUM = 117;
    public static final int REF_FILE_NAME = 118;

    // tag kinds: measurement info
    public static final int NCHAN = 200;
    public static final int SFREQ = 201;
    public static final int CH_INFO = 203;
    public static final int MEAS_DATE = 204;
    public static final int COMMENT = 206;
    public static final int FIRST_SAMPLE = 208;
    public static final int EXPERIMENTER = 212;
    public static final int LOWPASS = 219;
    public static final int HIGHPASS = 223;
    public static final int NAME = 233;
    public static final int LINE_FREQ = 235;
    public static final int CH_DACQ_NAME = 258;

    // tag kinds: raw data
    public static final int DATA_BUFFER = 300;
    public static final int DATA_SKIP = 301;

    // tag kinds: projectors, bad channels, annotations
    public static final int PROJ_ITEM_KIND = 3411;
    public static final int PROJ_ITEM_TIME = 3412;
    public static final int PROJ_ITEM_NVEC = 3414;
    public static final int PROJ_ITEM_VECTORS = 3415;
    public static final int PROJ_ITEM_CH_NAME_LIST = 3417;
    public static final int MNE_CH_NAME_LIST = 3507;
    public static final int MNE_PROJ_ITEM_ACTIVE = 3560;
    public static final int MNE_BASELINE_MIN = 3568;
    public static final int MNE_BASELINE_MAX = 3569;
    public static final int MNE_EPOCHS_DROP_LOG = 3801;

    // block kinds
    public static final int BLOCK_MEAS = 100;
    public static final int BLOCK_MEAS_INFO = 101;
    public static final int BLOCK_RAW_DATA = 102;
    public static final int BLOCK_CONTINUOUS_DATA = 112;
    public static final int BLOCK_CH_INFO = 113;
    public static final int BLOCK_REF = 118;
    public static final int BLOCK_IAS_RAW_DATA = 119;
    public static final int BLOCK_PROJ = 313;
    public static final int BLOCK_PROJ_ITEM = 314;
    public static final int BLOCK_MNE_BAD_CHANNELS = 359;
    public static final int BLOCK_MNE_ANNOTATIONS = 3810;

    // data types
    public static final int T_VOID = 0;
    public static final int T_SHORT = 2;
    public static final int T_INT = 3;
    public static final int T_FLOAT = 4;
    public static final int T_DOUBLE = 5;
    public static final int T_STRING = 10;
    public static final int T_DAU_PACK16 = 16;
    public static final int T_CH_INFO_STRUCT = 30;
    public static final int T_ID_STRUCT = 31;
    /** Dense matrix coding bit: {@code T_MATRIX | T_FLOAT} is a float matrix, dimensions after the data. */
    public static final int T_MATRIX = 0x40000000;

    // reference roles (split files)
    public static final int ROLE_PREV_FILE = 1;
    public static final int ROLE_NEXT_FILE = 2;

    // channel kinds
    public static final int CH_MEG = 1;
    public static final int CH_EEG = 2;
    public static final int CH_STIM = 3;
    public static final int CH_EOG = 202;
    public static final int CH_EMG = 302;
    public static final int CH_ECG = 402;
    public static final int CH_MISC = 502;
    public static final int CH_RESP = 602;

    // units
    public static final int UNIT_NONE = -1;
    public static final int UNIT_V = 107;
    public static final int UNIT_T = 112;
    public static final int UNIT_T_M = 201;

    /** The size of one value of a raw data buffer of this type, or 0 for a type raw data never has. */
    public static int bytesPerValue(int type) {
        return switch (type) {
            case T_SHORT, T_DAU_PACK16 -> 2;
            case T_INT, T_FLOAT -> 4;
            case T_DOUBLE -> 8;
            default -> 0;
        };
    }

    /** " (data buffer)" for the kinds worth naming in an error message, "" otherwise. */
    static String kindName(int kind) {
        String n = switch (kind) {
            case FILE_ID -> "file id";
            case DIR_POINTER -> "directory pointer";
            case BLOCK_START -> "block start";
            case BLOCK_END -> "block end";
            case NCHAN -> "channel count";
            case SFREQ -> "sampling rate";
            case CH_INFO -> "channel info";
            case MEAS_DATE -> "measurement date";
            case FIRST_SAMPLE -> "first sample";
            case DATA_BUFFER -> "data buffer";
            case DATA_SKIP -> "data skip";
            case PROJ_ITEM_VECTORS -> "projector vectors";
            default -> null;
        };
        return n == null ? "" : " (" + n + ")";
    }
}
