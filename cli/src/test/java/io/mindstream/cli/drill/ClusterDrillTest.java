package io.mindstream.cli.drill;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The scale-out drills of docs/reliability.md as tests: a real 3-broker cluster (three broker processes), two
 * processor and two decoder instances sharing the sessions, several sessions at once, and one process SIGKILLed
 * mid-session (the broker: the one leading most raw partitions). Counted per session against the offline
 * recomputation, exactly as {@link FaultDrillTest}. Sessions: {@code -Dmindstream.drill.sessions} (default 2, what
 * this 2-core machine sustains in real time beside three brokers; docs/deploy.md has the figures). Tagged slow:
 * {@code mvn -B test -Dmindstream.test.excluded= -pl cli -Dtest=ClusterDrillTest}; {@code ./mindstream drill
 * --cluster --sessions 2} runs the same.
 */
@Tag("slow")
class ClusterDrillTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"process", "process-away", "decode", "decode-away", "display", "ingest", "broker-20s",
            "broker-60s", "broker-frozen-30s"})
    void nothingIsLostHiddenOrDuplicatedOnACluster(String drill) throws Exception {
        Layout layout = new Layout(3, 2, 2, Integer.getInteger("mindstream.drill.sessions", 2));
        PrintWriter out = new PrintWriter(System.out, true);
        DrillRun.Result r = new DrillRun(Fault.named(drill), layout, tmp.resolve(drill), out).run();
        out.println(DrillCommand.table(List.of(r)));
        FaultDrillTest.assertAllZero(r, drill);
    }
}
