package io.mindstream.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trial averages show the documented components at the documented latencies. */
class EvokedResponseTest {

    static final int PRE = 240, POST = 1200; // −200 … +1000 ms at 1200 Hz

    /** Baseline-corrected epochs (channel-major per epoch) of every non-catch trial of the given image (null = all). */
    static List<double[]> epochs(SimulatedSubject s, String image) {
        int c = s.channelCount();
        float[] buf = new float[(PRE + POST) * c];
        List<double[]> out = new ArrayList<>();
        for (StimulusEvent ev : s.schedule()) {
            if (ev.catchTrial() || (image != null && !image.equals(ev.imageId()))) {
                continue;
            }
            s.generateMeg(ev.onsetSample(1200) - PRE, PRE + POST, buf);
            double[] e = new double[(PRE + POST) * c];
            for (int ch = 0; ch < c; ch++) {
                double base = 0;
                for (int t = 0; t < PRE; t++) {
                    base += buf[t * c + ch];
                }
                base /= PRE;
                for (int t = 0; t < PRE + POST; t++) {
                    e[ch * (PRE + POST) + t] = buf[t * c + ch] - base;
                }
            }
            out.add(e);
        }
        return out;
    }

    static double[] average(List<double[]> eps) {
        double[] avg = new double[eps.get(0).length];
        for (double[] e : eps) {
            for (int i = 0; i < avg.length; i++) {
                avg[i] += e[i] / eps.size();
            }
        }
        return avg;
    }

    /** Global field power (RMS over channels) averaged over [fromMs, toMs). */
    static double gfp(double[] avg, int channels, double fromMs, double toMs) {
        int a = PRE + (int) Math.round(fromMs * 1.2), b = PRE + (int) Math.round(toMs * 1.2);
        double ss = 0;
        for (int ch = 0; ch < channels; ch++) {
            for (int t = a; t < b; t++) {
                double v = avg[ch * (PRE + POST) + t];
                ss += v * v;
            }
        }
        return Math.sqrt(ss / (channels * (b - a)));
    }

    static SimulatedSubject subject() {
        SimulationConfig cfg = SimulationConfig.defaults(11).toBuilder().clean().snr(1.0).concepts(2)
                .exemplarsPerConcept(0).testImages(2).testRepeats(24).catchFraction(0).fmriVoxels(10).build();
        return new SimulatedSubject(cfg);
    }

    @Test
    void componentsAppearAtTheDocumentedLatencies() {
        SimulatedSubject s = subject();
        int c = s.channelCount();
        double[] avg = average(epochs(s, null));
        double baseline = gfp(avg, c, -200, 0);
        double before = gfp(avg, c, 20, 55);
        double early = gfp(avg, c, 90, 120);
        double offsetPeak = gfp(avg, c, 585, 615);
        double preOffset = gfp(avg, c, 440, 480);
        assertTrue(before < 2 * baseline, "nothing before ~75 ms: " + before + " vs baseline " + baseline);
        assertTrue(early > 5 * baseline, "early component at 90-120 ms: " + early + " vs baseline " + baseline);
        assertTrue(offsetPeak > 1.3 * preOffset, "offset transient ~100 ms after image offset: " + offsetPeak
                + " vs " + preOffset);
        assertTrue(gfp(avg, c, 700, 900) > 3 * baseline, "sustained response to ~1 s");
        // the peak of the first 150 ms lies within the documented early window
        double best = 0;
        int bestMs = -1;
        for (int ms = 0; ms < 150; ms += 2) {
            double g = gfp(avg, c, ms, ms + 2);
            if (g > best) {
                best = g;
                bestMs = ms;
            }
        }
        assertTrue(bestMs >= 85 && bestMs <= 125, "early peak at " + bestMs + " ms");
    }

    @Test
    void responsesAreImageSpecific() {
        SimulatedSubject s = subject();
        int c = s.channelCount();
        List<String> ids = s.imageIds();
        List<double[]> a = epochs(s, ids.get(0)), b = epochs(s, ids.get(1));
        double[] diff = average(a);
        double[] bAvg = average(b);
        for (int i = 0; i < diff.length; i++) {
            diff[i] -= bAvg[i];
        }
        // split-half difference within image A: the noise level of a difference of two averages
        double[] half = average(a.subList(0, a.size() / 2));
        double[] other = average(a.subList(a.size() / 2, a.size()));
        for (int i = 0; i < half.length; i++) {
            half[i] -= other[i];
        }
        double between = gfp(diff, c, 80, 300), within = gfp(half, c, 80, 300);
        assertTrue(between > 2 * within, "image A vs B " + between + " vs split-half " + within);
    }

    @Test
    void conceptInformationArrivesWithTheCategoryComponent() {
        SimulatedSubject s = new SimulatedSubject(SimulationConfig.defaults(12).toBuilder().clean().snr(1.0)
                .concepts(2).exemplarsPerConcept(2).trainRepeats(16).testImages(0).catchFraction(0).fmriVoxels(10)
                .build());
        int c = s.channelCount();
        double[] a0 = average(epochs(s, "c0000_e00")), a1 = average(epochs(s, "c0000_e01"));
        double[] b0 = average(epochs(s, "c0001_e00"));
        double[] within = a0.clone(), between = a0.clone();
        for (int i = 0; i < a0.length; i++) {
            within[i] -= a1[i];
            between[i] -= b0[i];
        }
        // early (≈100 ms) sources are image-specific: exemplars of one concept differ as much as different concepts;
        // the category sources (150–250 ms) are shared within a concept, so there concepts differ more
        double early = gfp(between, c, 85, 115) / gfp(within, c, 85, 115);
        double category = gfp(between, c, 170, 240) / gfp(within, c, 170, 240);
        assertTrue(category > 1.3 * early, "between/within concept ratio: " + category + " at 170-240 ms vs "
                + early + " at 85-115 ms");
    }
}
