package io.mindstream.cli.drill;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault drills of docs/reliability.md as tests: real processes, a real broker, SIGKILL mid-session, and every
 * count taken from the journal and the topics. About 20 minutes in all, so tagged slow ({@code mvn -B test
 * -Dmindstream.test.excluded= -Dtest=FaultDrillTest}); {@code ./mindstream drill} runs the same drills.
 */
@Tag("slow")
class FaultDrillTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"process", "decode", "display", "ingest", "broker-20s", "broker-60s", "backlog-2m"})
    void nothingIsLostHiddenOrDuplicated(String drill) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        DrillRun.Result r = new DrillRun(Fault.named(drill), tmp.resolve(drill), out).run();
        out.println(DrillCommand.table(java.util.List.of(r)));
        assertAllZero(r, drill);
    }

    static void assertAllZero(DrillRun.Result r, String drill) {
        SessionAudit.Report a = r.report();
        assertTrue(a.samplesJournaled() > 0, "the session produced data");
        assertEquals(0, a.samplesLost(), "journaled samples missing from the raw topic");
        boolean sourceLoses = r.fault().stages().contains("ingest");
        assertEquals(sourceLoses ? 1 : 0, a.sourceGaps(), "holes in the journaled samples");
        assertEquals(a.sourceGaps(), a.sourceGapsReported(), "every hole reported, once");
        assertEquals(0, a.sourceGapsHidden(), "holes not announced by lostBefore");
        assertEquals(0, a.markersLostHidden(), "markers lost without a gap");
        assertEquals(sourceLoses ? 1 : 0, a.markerGapsReported(), "marker gaps reported");
        assertEquals(0, a.epochsMissing(), "epochs of the offline recomputation missing live");
        assertEquals(0, a.epochsExtra(), "live epochs the offline recomputation does not have");
        assertEquals(0, a.epochsDifferent(), "live epochs that differ from the offline recomputation");
        assertTrue(a.epochsLive() > 20, "epochs were cut: " + a.epochsLive());
        assertEquals(0, a.resultsMissing(), "epochs without a result");
        assertEquals(0, a.resultsDuplicated(), "results written twice");
        assertEquals(0, a.undecodableRecords(), "records that do not decode");
        assertFalse(Double.isNaN(a.recoverySeconds()), "results flowed again after the fault");
        if (drill.equals("display")) {
            assertEquals(0, r.pageMissed(), "results the page never got");
            assertFalse(Double.isNaN(r.pageRecoverySeconds()), "the page got live results again");
        }
    }
}
