package io.mindstream.processor.step;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A step's own part of its stream's snapshot: what it must carry across a restart, written and read by the step
 * itself, in the chain's order ({@link StepSnapshots}). Steps that a replay rebuilds (the ring) have none.
 */
public interface SnapshotPart {

    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;
}
