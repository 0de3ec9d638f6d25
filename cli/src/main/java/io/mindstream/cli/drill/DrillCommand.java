package io.mindstream.cli.drill;

import io.mindstream.runtime.DataDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./mindstream drill}: the fault drills of docs/reliability.md, one command. Each drill runs the whole pipeline
 * as separate processes on a fresh broker, kills what it names with SIGKILL mid-session, plays the session to its end
 * and counts, from the journal, the topics and the simulator's ground truth, what was lost, hidden or duplicated.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fault drills: run the pipeline as separate processes (kafka, simulate, ingest, process, decode, "
                + "display), SIGKILL a stage or the broker mid-session, and count what was lost, hidden or "
                + "duplicated by reading the journal and the topics (never the components' own counters).",
                "Drills: process, decode, display, ingest, broker-20s, broker-60s, backlog-2m (the default on one "
                        + "broker: about 20 minutes); with --cluster the default is process, process-away, decode, "
                        + "decode-away, display, ingest, broker-20s, broker-60s, broker-frozen-30s (a processor or "
                        + "decoder drill kills the instance holding the first session; the -away drills keep it down "
                        + "30 s, so the other instance takes its sessions over; broker-frozen-30s stops the leading "
                        + "broker with SIGSTOP and resumes it with SIGCONT, what a network partition looks like to "
                        + "the others); 'none' measures what a session costs without a fault. "
                        + "Exit code 0 when every count is zero, 1 otherwise."})
public final class DrillCommand implements Callable<Integer> {

    @Option(names = "--drill", paramLabel = "NAME", split = ",",
            description = "Drills to run (default: see above), in the order given.")
    List<String> drills = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where each drill keeps its data and logs (default: <data dir>/drills/<date-time>).")
    Path out;

    @Option(names = "--cluster",
            description = "Scale-out drills: a 3-broker cluster, 2 processors, 2 decoders and 8 sessions at once "
                    + "(change any of them with the options below).")
    boolean cluster;

    @Option(names = "--brokers", paramLabel = "N", description = "Kafka brokers (default: 1, --cluster: 3).")
    Integer brokers;

    @Option(names = "--processors", paramLabel = "N",
            description = "Processor instances in one group (default: 1, --cluster: 2).")
    Integer processors;

    @Option(names = "--decoders", paramLabel = "N",
            description = "Decoder instances in one group (default: 1, --cluster: 2).")
    Integer decoders;

    @Option(names = "--sessions", paramLabel = "N",
            description = "Simulated sessions at once, each with its own ingest (default: 1, --cluster: 8).")
    Integer sessions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Layout layout() {
        Layout base = cluster ? Layout.CLUSTER : Layout.SINGLE;
        return new Layout(brokers != null ? brokers : base.brokers(),
                processors != null ? processors : base.processors(),
                decoders != null ? decoders : base.decoders(), sessions != null ? sessions : base.sessions());
    }

    @Override
    public Integer call() throws Exception {
        List<Fault> faults = new ArrayList<>();
        Layout layout;
        try {
            layout = layout();
            if (drills.isEmpty()) {
                faults.addAll(Fault.defaults(layout));
            } else {
                for (String d : drills) {
                    faults.add(Fault.named(d));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path root = out != null ? out : DataDirs.root().resolve("drills")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        PrintWriter w = spec.commandLine().getOut();
        List<DrillRun.Result> results = new ArrayList<>();
        for (Fault f : faults) {
            DrillRun.Result r = new DrillRun(f, layout, root.resolve(f.name()), w).run();
            results.add(r);
            w.println(row(r));
            w.flush();
        }
        String table = "Layout: " + layout.describe() + "\n\n" + table(results) + "\n" + resources(results);
        Files.writeString(root.resolve("drills.md"), table, StandardCharsets.UTF_8);
        w.println();
        w.print(table);
        w.println("(written to " + root.resolve("drills.md") + ")");
        boolean clean = results.stream().allMatch(DrillRun.Result::clean);
        w.println(clean ? "every drill: nothing lost, nothing hidden, nothing duplicated"
                : "SOME DRILLS FAILED: see the non-zero counts above and the logs under " + root);
        return clean ? 0 : 1;
    }

    static String table(List<DrillRun.Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| drill | samples journaled / lost | source gaps / reported / hidden | markers sent / lost / "
                + "lost without a gap | epochs offline / live / missing / extra / different | results / missing / "
                + "duplicated on the topic + on the page | first result after | results current again after | worst result latency (worst wait for the decoder) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (DrillRun.Result r : results) {
            sb.append(row(r)).append('\n');
        }
        return sb.toString();
    }

    /** What each drill cost, per simulated session-second: CPU by process kind, bytes on the brokers by topic kind. */
    static String resources(List<DrillRun.Result> results) {
        List<String> cpuKinds = List.of("kafka", "simulate", "ingest", "process", "decode", "display");
        List<String> byteKinds = List.of("raw", "derived", "processor state", "kafka internal");
        StringBuilder sb = new StringBuilder("| drill | CPU ms per session-second, steady state: ")
                .append(String.join(" / ", cpuKinds)).append(" | broker bytes per session-second (all replicas): ")
                .append(String.join(" / ", byteKinds)).append(" |\n|---|---|---|\n");
        for (DrillRun.Result r : results) {
            DrillRun.Resources x = r.resources();
            sb.append("| ").append(r.fault().name()).append(" | ");
            sb.append(String.join(" / ", cpuKinds.stream().map(k -> String.format(Locale.ROOT, "%.0f",
                    1000 * x.cpuPerSessionSecond(k))).toList()));
            sb.append(" | ");
            sb.append(String.join(" / ", byteKinds.stream().map(k -> String.format(Locale.ROOT, "%,.0f",
                    x.bytesPerSessionSecond(k))).toList()));
            sb.append(" |\n");
        }
        return sb.toString();
    }

    static String row(DrillRun.Result r) {
        SessionAudit.Report a = r.report();
        String first = Double.isNaN(a.firstResultSeconds()) ? "never" : String.format(Locale.ROOT, "%.1f s",
                a.firstResultSeconds());
        String recovery = Double.isNaN(a.recoverySeconds()) ? "never" : String.format(Locale.ROOT, "%.1f s",
                a.recoverySeconds());
        if (!Double.isNaN(r.pageRecoverySeconds())) {
            recovery += String.format(Locale.ROOT, " (page: %.1f s, %d results missed)", r.pageRecoverySeconds(),
                    r.pageMissed());
        }
        return String.format(Locale.ROOT, "| %s | %,d / %d | %d / %d / %d | %d / %d / %d | %d / %d / %d / %d / %d | "
                        + "%d / %d / %d + %d | %s | %s | %.1f s (%.1f s) |", r.fault().name(), a.samplesJournaled(), a.samplesLost(),
                a.sourceGaps(), a.sourceGapsReported(), a.sourceGapsHidden(), a.markersSent(), a.markersLost(),
                a.markersLostHidden(), a.epochsOffline(), a.epochsLive(), a.epochsMissing(), a.epochsExtra(),
                a.epochsDifferent(), a.results(), a.resultsMissing(), a.resultsDuplicated(), r.pageDuplicates(), first, recovery,
                a.worstLatencySeconds(), a.worstDecoderWaitSeconds());
    }
}
