package io.mindstream.formats.fif;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One block of a FIF file's tree: its kind, the tags directly inside it (in file order, block start/end tags
 * excluded) and its child blocks. The root (kind {@link #ROOT}) holds the tags outside any block.
 */
public record FifNode(int blockKind, long position, List<FifTag> tags, List<FifNode> children) {

    public static final int ROOT = 999;

    /** Every block of this kind in this subtree, depth first, this node included. */
    public List<FifNode> find(int kind) {
        List<FifNode> out = new ArrayList<>();
        collect(kind, out);
        return out;
    }

    private void collect(int kind, List<FifNode> out) {
        if (blockKind == kind) {
            out.add(this);
        }
        for (FifNode c : children) {
            c.collect(kind, out);
        }
    }

    /** The first direct tag of this kind. */
    public Optional<FifTag> tag(int kind) {
        for (FifTag t : tags) {
            if (t.kind() == kind) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
