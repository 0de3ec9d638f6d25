package io.mindstream.simulator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the SNR dial promises a decoder (docs/simulator.md): at the default, a linear (ridge) decoder retrieves test
 * images clearly above chance from single trials, averaging the repeats helps a lot, and a lower SNR is worse.
 * Slow (minutes on a shared machine): run with {@code -Dmindstream.test.excluded=}.
 */
@Tag("slow")
class DecodabilityTest {

    static SimulatedSubject subject(double snr) {
        return new SimulatedSubject(SimulationConfig.defaults(1).toBuilder().snr(snr).concepts(48)
                .exemplarsPerConcept(6).testImages(32).testRepeats(8).fmriVoxels(10).build());
    }

    @Test
    void ridgeIsAboveChanceOnSingleTrialsAndAveragingHelps() {
        RidgeProbe.Result r = RidgeProbe.run(subject(SimulationConfig.DEFAULT_SNR), 0.1);
        double chanceTop5 = 5.0 / r.candidates();
        assertTrue(r.top5Single() > 2 * chanceTop5, "single-trial top-5 " + r.top5Single() + " vs chance " + chanceTop5);
        assertTrue(r.top5Averaged() > r.top5Single() + 0.15, "averaging helps: " + r);
        assertTrue(r.top1Averaged() > r.top1Single(), "averaging helps top-1: " + r);
        RidgeProbe.Result low = RidgeProbe.run(subject(0.2), 0.1);
        assertTrue(low.top5Single() < r.top5Single(), "lower SNR decodes worse: " + low + " vs " + r);
    }
}
