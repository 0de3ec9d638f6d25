package io.mindstream.processor.step;

import io.mindstream.contracts.QualityFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks each sample's stamp against the previous one: a step that is not positive, or differs from the nominal
 * period by more than the tolerance, flags the sample CLOCK. Also stamps bridged samples at the nominal rate. Owns
 * the last stamp.
 */
public final class ClockCheck implements SnapshotPart {

    private static final Logger LOG = LoggerFactory.getLogger(ClockCheck.class);

    private final String name;
    private final double period;
    private final double tolerance;
    private final LongAdder jumps;
    private double lastTime = Double.NaN;

    /** @param jumps counter of the jumps found */
    public ClockCheck(String name, double rate, double toleranceSeconds, LongAdder jumps) {
        this.name = name;
        this.period = 1.0 / rate;
        this.tolerance = toleranceSeconds;
        this.jumps = jumps;
    }

    /**
     * Checks stamps {@code stamps[from…from+n)} of samples {@code firstSeq…}, copies them to {@code times[0…n)} and
     * raises CLOCK in {@code flags[0…n)}.
     */
    public void check(double[] stamps, int from, int n, long firstSeq, double[] times, byte[] flags, boolean quiet) {
        for (int s = 0; s < n; s++) {
            double t = stamps[from + s];
            if (!Double.isNaN(lastTime)) {
                double dt = t - lastTime;
                if (!(dt > 0) || Math.abs(dt - period) > tolerance) {
                    flags[s] |= QualityFlags.CLOCK;
                    jumps.increment();
                    if (!quiet) {
                        LOG.warn("{}: clock jump of {} s at sequence {} (expected {} s): flag CLOCK", name, dt,
                                firstSeq + s, period);
                    }
                }
            }
            lastTime = t;
            times[s] = t;
        }
    }

    /** Stamps {@code n} bridged samples on from the last stamp at the nominal rate. */
    public void bridge(double[] times, int n) {
        for (int s = 0; s < n; s++) {
            times[s] = lastTime + (s + 1) * period;
        }
        lastTime = times[n - 1];
    }

    /** Forgets the last stamp (the stream restarts after a long hole). */
    public void reset() {
        lastTime = Double.NaN;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeDouble(lastTime);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        lastTime = in.readDouble();
    }
}
