package io.mindstream.benchmarks.e2e;

import io.mindstream.contracts.Stage;
import io.mindstream.browser.HeadlessChromium;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A short run of the harness (slow: about two minutes, not in the default run). Checks that complete traces come
 * back — every stage stamped, acquisition to render — not how fast: no timing thresholds on shared machines.
 */
@Tag("slow")
class EndToEndLatencyTest {

    @Test
    void harnessCollectsCompleteTracesFromTheBrowser() throws Exception {
        assumeTrue(HeadlessChromium.findBinary() != null, "no Chromium at /usr/bin/chromium: install the Debian "
                + "packages chromium and chromium-driver");
        EndToEndLatency.Result r = EndToEndLatency.run(Duration.ofSeconds(45), Duration.ofSeconds(30), 1);
        assertTrue(r.report().traces() > 3, "results rendered while measuring: " + r.report().traces());
        LatencyReport.Row e2e = r.report().endToEnd();
        assertTrue(e2e.ms().n() == r.report().traces(), "every trace runs from ACQUIRED to RENDERED");
        assertTrue(r.report().rows().stream().anyMatch(row -> row.name().endsWith(Stage.RENDERED.name())));
        // the stimulus client, in its own JVM, received the rendered results over LSL
        assertTrue(r.closedLoop().get(0).ms().n() > 3, "results received by the closed-loop client JVM: "
                + r.closedLoop().get(0).ms().n());
        // the floors were probed in the same run (every 100 ms while measuring)
        r.floors().forEach(f -> assertTrue(f.ms().n() > 100, f.name() + ": " + f.ms().n() + " probes"));
        assertTrue(EndToEndLatency.excessOverFloors(r).contains("PRODUCED → CONSUMED"),
                EndToEndLatency.excessOverFloors(r));
    }
}
