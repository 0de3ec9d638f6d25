package io.mindstream.processor.fmri;

import io.mindstream.contracts.StreamDescription;
import io.mindstream.formats.Geometry;
import io.mindstream.lsl4j.StreamInfo;

import java.util.Optional;

/**
 * The volume geometry a stream's description states: {@code <info><desc><geometry>} with {@code dimensions},
 * {@code voxel_size} and {@code affine}, as {@link Geometry#describeTo} writes it for ingest's scanner-folder source
 * and the simulator's LSL outlet. The XML is read with lsl4j's stream-info parser (hardened: no DTDs, no external
 * entities), the fields with {@link Geometry#fromDescription}: one writer, one reader.
 */
public final class DescribedGeometry {

    private DescribedGeometry() {
    }

    /**
     * The geometry, or empty when the description states none (an LSL source that does not describe its volumes,
     * an incomplete {@code <geometry>}, or XML that does not parse).
     */
    public static Optional<Geometry> of(StreamDescription description) {
        StreamInfo info;
        try {
            info = StreamInfo.fromXml(description.xml());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Geometry.fromDescription(info.desc().child("geometry")::childValue);
    }
}
