package io.mindstream.cli.demo;

import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.decoder.ridge.CalibrationBlock;
import io.mindstream.decoder.ridge.RidgeFit;
import io.mindstream.decoder.ridge.RidgeModel;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.processor.offline.OfflineEpocher;
import io.mindstream.simulator.SimulatedRecording;
import io.mindstream.simulator.SimulatedSubject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fMRI decoder of a simulated subject: a ridge fitted on the subject's training trials. Their stimulus epochs are
 * cut from the subject's fMRI by the stream processor's own offline core (the classes the live topology runs, with
 * the live configuration), so the model sees exactly what the live decoder will be given; no MEG is generated, so a
 * fit takes seconds. The live demo decodes with it; the test images stay out of the fit.
 */
public final class SimulatedFmriRidge {

    private static final Logger log = LoggerFactory.getLogger(SimulatedFmriRidge.class);

    private SimulatedFmriRidge() {
    }

    /**
     * The fMRI stimulus epochs (voxels × 1) of the whole simulated session, in emission order, as the processor cuts
     * them with {@code config}.
     */
    public static List<Epoch> stimulusEpochs(SimulatedSubject subject, String session, ProcessorConfig config) {
        List<Epoch> out = new ArrayList<>();
        try (OfflineEpocher epocher = new OfflineEpocher(config)) {
            SimulatedRecording recording = new SimulatedRecording(subject, session, 1);
            recording.replayFmri(r -> keepStimuli(epocher.accept(r), out), Double.POSITIVE_INFINITY);
            keepStimuli(epocher.flush(), out);
        }
        return out;
    }

    private static void keepStimuli(List<Epoch> epochs, List<Epoch> out) {
        for (Epoch e : epochs) {
            if (e.trigger().kind() == TriggerKind.FMRI_STIMULUS) {
                out.add(e);
            }
        }
    }

    /**
     * Fits the ridge on the training split's stimulus epochs (those cut after the z-score statistics froze; the first
     * {@code maxEpochs} of them, 0 = all), alpha by leave-one-out over the default grid, and saves it to {@code file}.
     * The leave-one-out search grows as the cube of the epochs: a cap keeps a start-up fit to seconds.
     *
     * @return the fitted model (its id is "unsaved"; load {@code file} for the id the decoder reports)
     */
    public static RidgeModel fit(SimulatedSubject subject, ProcessorConfig config, Path file, int maxEpochs)
            throws IOException {
        long t0 = System.nanoTime();
        List<Epoch> epochs = stimulusEpochs(subject, "fmri-calibration", config);
        CalibrationBlock block = CalibrationBlock.fromEpochs(epochs, subject.bank(), "train", 1, maxEpochs);
        if (block.size() < 2) {
            throw new IllegalArgumentException("the simulated subject has " + block.size() + " calibrated fMRI "
                    + "training epochs: too few to fit a decoder (give it training images)");
        }
        RidgeModel model = block.calibrator().fit(RidgeFit.defaultRelativeAlphas(), subject.bankModel(),
                line -> log.debug("fMRI ridge: {}", line));
        model.save(file);
        log.info("fMRI ridge fitted on {} training epochs of {} voxels (alpha {}) in {} s: {}", block.size(),
                subject.fmriVoxels(), String.format(java.util.Locale.ROOT, "%.4g", model.alpha()),
                Math.round((System.nanoTime() - t0) / 1e9), file);
        return model;
    }
}
