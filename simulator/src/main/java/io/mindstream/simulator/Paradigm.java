package io.mindstream.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The THINGS-MEG presentation schedule: every training image {@code trainRepeats} times and every test image
 * {@code testRepeats} times in a seeded random order, catch trials scattered among them, runs ("blocks") of
 * {@code trialsPerBlock} trials separated by a pause; each image stays on for {@code imageSeconds} and is followed by a
 * fixation interval drawn uniformly from {@code isiMean ± isiJitter} (the jitter keeps alpha from phase-locking).
 */
final class Paradigm {

    /** Quiet time before the first block: lets the pipeline calibrate on baseline data. */
    static final double LEAD_IN_SECONDS = 2.0;
    /** From a block marker to that block's first onset. */
    static final double BLOCK_LEAD_SECONDS = 1.0;
    /** Rest between the last trial of a block and the next block marker. */
    static final double BLOCK_PAUSE_SECONDS = 3.0;

    final List<StimulusEvent> events;
    final int[] stimulusIndex; // per trial: index into the StimulusSet
    final float[] trialGain;   // per trial: multiplicative amplitude jitter of the evoked response
    final List<MarkerEvent> markers;
    final double endSeconds;   // end of the last trial's fixation interval

    static int catchCount(SimulationConfig cfg) {
        long main = (long) cfg.concepts() * cfg.exemplarsPerConcept() * cfg.trainRepeats()
                + (long) cfg.testImages() * cfg.testRepeats();
        return (int) Math.round(main * cfg.catchFraction() / (1 - cfg.catchFraction()));
    }

    Paradigm(SimulationConfig cfg, StimulusSet images) {
        SplittableRandom rnd = new SplittableRandom(CounterRandom.streamKey(cfg.seed(), 2002));
        List<Integer> order = new ArrayList<>();
        int train = cfg.concepts() * cfg.exemplarsPerConcept();
        for (int r = 0; r < cfg.trainRepeats(); r++) {
            for (int i = 0; i < train; i++) {
                order.add(i);
            }
        }
        for (int r = 0; r < cfg.testRepeats(); r++) {
            for (int i = 0; i < cfg.testImages(); i++) {
                order.add(train + i);
            }
        }
        Collections.shuffle(order, new java.util.Random(rnd.nextLong()));
        // scatter the catch trials at random positions, never first in the session
        for (int k = 0; k < images.catchCount; k++) {
            int pos = 1 + rnd.nextInt(Math.max(1, order.size()));
            order.add(Math.min(pos, order.size()), images.bankCount + k);
        }
        int n = order.size();
        stimulusIndex = new int[n];
        trialGain = new float[n];
        List<StimulusEvent> ev = new ArrayList<>(n);
        List<MarkerEvent> mk = new ArrayList<>(3 * n + n / cfg.trialsPerBlock() + 1);
        double lag = cfg.triggerLagSeconds();
        double t = LEAD_IN_SECONDS;
        for (int trial = 0; trial < n; trial++) {
            if (trial % cfg.trialsPerBlock() == 0) {
                if (trial > 0) {
                    t += BLOCK_PAUSE_SECONDS;
                }
                mk.add(new MarkerEvent(t, "block start=" + (trial / cfg.trialsPerBlock()), -1));
                t += BLOCK_LEAD_SECONDS;
            }
            int img = order.get(trial);
            stimulusIndex[trial] = img;
            trialGain[trial] = (float) (1.0 + 0.2 * (rnd.nextDouble() * 2 - 1));
            // onsets sit on the sample grid so that onset sample and onset time agree exactly
            double onset = Math.round(t * cfg.sampleRate()) / cfg.sampleRate();
            String id = images.ids.get(img);
            String split = images.splits.get(img);
            boolean isCatch = StimulusEvent.CATCH.equals(split);
            ev.add(new StimulusEvent(trial, onset, id, split, isCatch));
            if (isCatch) {
                mk.add(new MarkerEvent(onset + lag, "catch trial=" + trial, trial));
            } else {
                mk.add(new MarkerEvent(onset + lag, "onset image=" + id + " trial=" + trial + " split=" + split, trial));
            }
            mk.add(new MarkerEvent(onset + cfg.imageSeconds() + lag, "offset trial=" + trial, trial));
            double isi = cfg.isiMeanSeconds() + cfg.isiJitterSeconds() * (rnd.nextDouble() * 2 - 1);
            t = onset + cfg.imageSeconds() + isi;
        }
        events = List.copyOf(ev);
        mk.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        markers = List.copyOf(mk);
        endSeconds = t;
    }
}
