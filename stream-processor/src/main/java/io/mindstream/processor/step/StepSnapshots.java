package io.mindstream.processor.step;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A stream's snapshot as the concatenation of its steps' parts, behind a version byte and the sequence number it
 * was taken at: one format and one reader for every stream kind, so no stream carries its own copy of the
 * snapshot code.
 */
public final class StepSnapshots {

    private final byte version;
    private final List<SnapshotPart> parts;
    /**
     * Reused from snapshot to snapshot, so that only the snapshot's own bytes are new each time, not a buffer grown
     * by doubling up to its size; a stream's snapshots are taken on its one processing thread.
     */
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final DataOutputStream out = new DataOutputStream(buffer);

    /** @param parts the steps with state, in chain order (the order is the format) */
    public StepSnapshots(int version, List<SnapshotPart> parts) {
        this.version = (byte) version;
        this.parts = List.copyOf(parts);
    }

    /** The snapshot taken just before sample (or volume) {@code sequence}. */
    public byte[] write(long sequence) {
        buffer.reset();
        try {
            out.writeByte(version);
            out.writeLong(sequence);
            for (SnapshotPart p : parts) {
                p.save(out);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Loads every step's part; returns the sequence the snapshot was taken at.
     *
     * @throws IllegalArgumentException naming {@code what} when the bytes are not this chain's layout
     */
    public long read(byte[] state, String what) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            byte v = in.readByte();
            if (v != version) {
                throw new IllegalArgumentException("snapshot of " + what + " has layout " + v + ", this build reads "
                        + version);
            }
            long sequence = in.readLong();
            for (SnapshotPart p : parts) {
                p.load(in);
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("snapshot of " + what + " has " + in.available()
                        + " bytes more than its steps read: another layout");
            }
            return sequence;
        } catch (IOException e) {
            throw new IllegalArgumentException("snapshot of " + what + " is truncated or of another layout", e);
        }
    }
}
