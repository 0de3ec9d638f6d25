package io.mindstream.formats.fif;

/**
 * One tag's header as found in the file: what it holds ({@code kind}), how its data is coded ({@code type}), how
 * many data bytes follow the 16-byte header ({@code size}) and where the header starts ({@code position}).
 */
public record FifTag(int kind, int type, int size, long position) {

    /** Where the tag's data starts. */
    public long dataPosition() {
        return position + FifConstants.TAG_HEADER_BYTES;
    }

    /** "tag kind 300 (data buffer), type 4" for error messages. */
    public String describe() {
        return "tag kind " + kind + FifConstants.kindName(kind) + ", type " + type;
    }
}
