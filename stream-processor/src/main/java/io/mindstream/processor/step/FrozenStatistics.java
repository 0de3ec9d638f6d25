package io.mindstream.processor.step;

import io.mindstream.processor.calibration.Calibration;
import io.mindstream.processor.epoch.EpochJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Statistics fitted on a calibration block and then frozen (architecture.md §6): the first {@code needed} blocks of
 * a stream (marker epochs, fMRI volumes) are collected, journaled one by one so a restart resumes collecting, then
 * fitted once and held fixed. A calibration given up front (a file) wins. Owns the blocks and the frozen result; the
 * journal persists both.
 */
public final class FrozenStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(FrozenStatistics.class);

    private final String session;
    private final String stream;
    private final int needed;
    private final Function<List<float[]>, Calibration> fit;
    private final EpochJournal journal;
    private final List<float[]> blocks = new ArrayList<>();
    private Calibration calibration;

    /**
     * @param given a calibration to use from the start, or null to fit one
     * @param fit   the blocks collected → the frozen statistics
     */
    public FrozenStatistics(String session, String stream, int needed, Calibration given,
                            Function<List<float[]>, Calibration> fit, EpochJournal journal) {
        this.session = session;
        this.stream = stream;
        this.needed = needed;
        this.calibration = given;
        this.fit = fit;
        this.journal = journal;
    }

    /** The frozen statistics, or null while still collecting. */
    public Calibration calibration() {
        return calibration;
    }

    public boolean frozen() {
        return calibration != null;
    }

    /** Adds one block (copied) while collecting, and freezes once enough were collected. */
    public void collect(float[] block) {
        if (calibration != null) {
            return;
        }
        blocks.add(block.clone());
        journal.calibrationBlock(session, stream, blocks.size() - 1, block);
    }

    /** Fits and freezes when enough blocks were collected. */
    public void freezeIfReady() {
        if (calibration != null || blocks.size() < needed) {
            return;
        }
        calibration = fit.apply(blocks);
        blocks.clear();
        LOG.info("{}/{}: statistics fitted on {} blocks and frozen as {} ({})", session, stream, needed,
                calibration.id(), calibration.method());
        journal.calibrated(session, stream, calibration);
    }

    /**
     * Resumes after a restart: a calibration the stream already has (given up front) wins; otherwise the journaled
     * frozen statistics; failing both, collecting carries on with the journaled blocks.
     */
    public void restore(Calibration restored, List<float[]> journaledBlocks) {
        if (calibration != null) {
            return;
        }
        if (restored != null) {
            calibration = restored;
        } else {
            blocks.clear();
            blocks.addAll(journaledBlocks);
        }
    }
}
