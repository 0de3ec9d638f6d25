package io.mindstream.benchmarks.e2e;

import io.mindstream.cli.demo.Demo;
import io.mindstream.contracts.Stage;
import io.mindstream.display.DisplayConfig;
import io.mindstream.display.DisplayHub;
import io.mindstream.browser.HeadlessChromium;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end latency harness: runs the demo pipeline (simulated subject → LSL → ingest → journal → Kafka →
 * processor → decoder → display) for a while with a real headless Chromium as the page, and reports each stage's and
 * the end-to-end latency — from the moment the last sample of an epoch left the LSL outlet (ACQUIRED) to the
 * browser's render acknowledgement (RENDERED) — as p50/p95/p99/max.
 *
 * <p>The decoder's results are also pushed on its closed-loop LSL outlet and received here by an lsl4j inlet (a
 * stimulus client's view), so the report has the closed loop's latency too: from ACQUIRED to the result received
 * over LSL, and from there to the page's WebSocket push. {@code --decoding fast} runs the fast path (decoding in the
 * processor, {@code process --decode}); {@code --decoding both} runs the same simulated subject through the
 * standalone stages and then through the fast path, one report each, in one run.
 *
 * <pre>
 * java … io.mindstream.benchmarks.e2e.EndToEndLatency [--minutes 3] [--warmup-seconds 30] [--seed 1]
 *                                                      [--decoding standalone|fast|both] [--report FILE]
 * </pre>
 */
public final class EndToEndLatency {

    private static final Logger log = LoggerFactory.getLogger(EndToEndLatency.class);

    /** Which decoder a run uses: the standalone stage (epochs cross Kafka first) or the processor's fast path. */
    public enum Decoding { STANDALONE, FAST }

    /**
     * What one run measured.
     *
     * @param closedLoop the results received on the decoder's LSL outlet, joined to the page's traces by epoch id:
     *                   ACQUIRED → received over LSL, and received over LSL → PUSHED to the page
     */
    public record Result(LatencyReport report, int renderedTotal, int warmupDropped, Duration measured,
                         long framesDropped, Decoding decoding, List<LatencyReport.Row> closedLoop,
                         List<LatencyReport.Row> windows, List<LatencyReport.Row> floors) {
    }

    private EndToEndLatency() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 3;
        double warmup = 30;
        long seed = 1;
        String decoding = "standalone";
        boolean windows = false;
        Path reportFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--warmup-seconds" -> warmup = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--decoding" -> decoding = args[++i];
                case "--report" -> reportFile = Path.of(args[++i]);
                case "--windows" -> windows = true;
                default -> usage("unknown argument: " + args[i]);
            }
        }
        List<Decoding> runs = switch (decoding) {
            case "standalone" -> List.of(Decoding.STANDALONE);
            case "fast" -> List.of(Decoding.FAST);
            case "both" -> List.of(Decoding.STANDALONE, Decoding.FAST);
            default -> {
                usage("--decoding takes standalone, fast or both, not " + decoding);
                yield List.of();
            }
        };
        StringBuilder md = new StringBuilder();
        for (Decoding d : runs) {
            Result r = run(Duration.ofMillis((long) (minutes * 60_000)), Duration.ofMillis((long) (warmup * 1000)),
                    seed, d, windows);
            md.append(describe(r, minutes, warmup, seed)).append('\n');
        }
        System.out.println(md);
        if (reportFile != null) {
            Files.writeString(reportFile, md);
            log.info("report written to {}", reportFile);
        }
    }

    private static void usage(String problem) {
        System.err.println("usage: EndToEndLatency [--minutes M] [--warmup-seconds S] [--seed N] "
                + "[--decoding standalone|fast|both] [--windows] [--report FILE]\n" + problem);
        System.exit(2);
    }

    /** The standalone decoder's run. */
    public static Result run(Duration measure, Duration warmup, long seed) throws Exception {
        return run(measure, warmup, seed, Decoding.STANDALONE, false);
    }

    /** Runs the pipeline for {@code warmup + measure} and reports the traces rendered after the warm-up. */
    public static Result run(Duration measure, Duration warmup, long seed, Decoding decoding, boolean windows)
            throws Exception {
        Path chromium = HeadlessChromium.findBinary();
        if (chromium == null) {
            throw new IllegalStateException("no Chromium found (/usr/bin/chromium): install the Debian packages "
                    + "chromium and chromium-driver");
        }
        Path work = Files.createTempDirectory("mindstream-e2e-");
        List<DisplayHub.RenderedTrace> traces = new ArrayList<>();
        List<DisplayHub.PushedWindow> windowTraces = new ArrayList<>();
        int[] warm = new int[1];
        String outlet = "mindstream-e2e-results-" + ProcessHandle.current().pid() + "-" + decoding.name()
                .toLowerCase(Locale.ROOT);
        try (Demo demo = Demo.start(new Demo.Options(seed, 1.0, null, null, work,
                DisplayConfig.defaults().withPort(0)).withDecoding(decoding == Decoding.FAST, outlet)
                .withWindows(windows));
             ClosedLoopClient client = ClosedLoopClient.spawn(outlet);
             FloorProbe floors = FloorProbe.start(demo.bootstrapServers(), outlet + "-floor");
             HeadlessChromium browser = HeadlessChromium.launch(chromium, 1440, 1100)) {
            Instant[] measureFrom = {Instant.MAX};
            demo.display().hub().addTraceListener((DisplayHub.RenderedTrace t) -> {
                synchronized (traces) {
                    if (Instant.now().isAfter(measureFrom[0])) {
                        traces.add(t);
                    } else {
                        warm[0]++;
                    }
                }
            });
            demo.display().hub().addWindowListener(w -> {
                synchronized (traces) {
                    if (Instant.now().isAfter(measureFrom[0])) {
                        windowTraces.add(w);
                    }
                }
            });
            browser.navigate(demo.url());
            if (!browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(60))) {
                throw new IllegalStateException("the page did not connect to " + demo.url());
            }
            log.info("harness: {} decoding; page open at {}; warming up for {} s", decoding, demo.url(),
                    warmup.toSeconds());
            Thread.sleep(warmup.toMillis());
            synchronized (traces) {
                measureFrom[0] = Instant.now();
            }
            floors.measure();
            long end = System.nanoTime() + measure.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                synchronized (traces) {
                    log.info("harness: {} results rendered so far; end to end p50 {} ms", traces.size(),
                            String.format(Locale.ROOT, "%.1f", LatencyReport.of(micros(traces)).endToEnd().ms()
                                    .p50()));
                }
            }
            synchronized (traces) {
                List<DisplayHub.RenderedTrace> kept = List.copyOf(traces);
                return new Result(LatencyReport.of(micros(kept)), kept.size() + warm[0], warm[0], measure,
                        demo.display().hub().broadcaster().droppedTotal(), decoding, closedLoop(kept, client),
                        windows ? windowSpans(List.copyOf(windowTraces), client) : List.of(), floors.rows());
            }
        } finally {
            deleteTree(work);
        }
    }

    private static List<long[]> micros(List<DisplayHub.RenderedTrace> traces) {
        return traces.stream().map(DisplayHub.RenderedTrace::micros).toList();
    }

    /** The closed-loop spans of the rendered results that were also received over LSL. */
    static List<LatencyReport.Row> closedLoop(List<DisplayHub.RenderedTrace> traces, ClosedLoopClient client) {
        List<long[]> toLsl = new ArrayList<>();
        List<long[]> lslToPage = new ArrayList<>();
        for (DisplayHub.RenderedTrace t : traces) {
            long received = client.receivedMicros(t.epochId());
            long acquired = t.micros()[Stage.ACQUIRED.ordinal()];
            long pushed = t.micros()[Stage.PUSHED.ordinal()];
            if (received != 0 && acquired != 0) {
                toLsl.add(new long[]{acquired, received});
            }
            if (received != 0 && pushed != 0) {
                lslToPage.add(new long[]{received, pushed});
            }
        }
        return List.of(LatencyReport.span("ACQUIRED → received on the decoder's LSL outlet", toLsl),
                LatencyReport.span("received over LSL → PUSHED to the page", lslToPage));
    }

    /**
     * The sliding windows' spans (20 a second; the page does not acknowledge them, so their last stamp is the
     * display's push): the window's last sample leaving the outlet → decoded, → received by the closed-loop client
     * over LSL, → pushed to the page.
     */
    static List<LatencyReport.Row> windowSpans(List<DisplayHub.PushedWindow> windows, ClosedLoopClient client) {
        List<long[]> decoded = new ArrayList<>();
        List<long[]> toLsl = new ArrayList<>();
        List<long[]> pushed = new ArrayList<>();
        for (DisplayHub.PushedWindow w : windows) {
            long acquired = w.micros()[Stage.ACQUIRED.ordinal()];
            if (acquired == 0) {
                continue;
            }
            long dec = w.micros()[Stage.DECODED.ordinal()];
            long received = client.receivedMicros(w.epochId());
            long push = w.micros()[Stage.PUSHED.ordinal()];
            if (dec != 0) {
                decoded.add(new long[]{acquired, dec});
            }
            if (received != 0) {
                toLsl.add(new long[]{acquired, received});
            }
            if (push != 0) {
                pushed.add(new long[]{acquired, push});
            }
        }
        return List.of(LatencyReport.span("window: ACQUIRED → DECODED", decoded),
                LatencyReport.span("window: ACQUIRED → received on the decoder's LSL outlet", toLsl),
                LatencyReport.span("window: ACQUIRED → PUSHED to the page", pushed));
    }

    /**
     * Each hop's median over its floor's median: LSL into ingest over the LSL floor; the Kafka hops (into the
     * processor, to a standalone decoder, to the display) over the Kafka floor.
     */
    static String excessOverFloors(Result r) {
        if (r.floors().size() < 2 || r.floors().get(0).ms().n() == 0 || r.floors().get(1).ms().n() == 0) {
            return "";
        }
        double lsl = r.floors().get(0).ms().p50();
        double kafka = r.floors().get(1).ms().p50();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nEach hop's excess over its floor "
                + "(medians):%n%n| stage | floor | stage p50 ms | floor p50 ms | excess ms |%n|---|---|---:|---:|---:|%n"));
        List<String[]> hops = new ArrayList<>(List.of(new String[]{"ACQUIRED → INGESTED", "LSL"},
                new String[]{"PRODUCED → CONSUMED", "Kafka"}, new String[]{"DECODED → PUSHED", "Kafka"}));
        if (r.decoding() == Decoding.STANDALONE) {
            hops.add(new String[]{"EPOCHED → DECODED", "Kafka"});
        }
        for (String[] hop : hops) {
            for (LatencyReport.Row row : r.report().rows()) {
                if (row.name().equals(hop[0]) && row.ms().n() > 0) {
                    double floor = hop[1].equals("LSL") ? lsl : kafka;
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f |%n", hop[0], hop[1],
                            row.ms().p50(), floor, row.ms().p50() - floor));
                }
            }
        }
        return sb.toString();
    }

    static String describe(Result r, double minutes, double warmup, long seed) {
        StringBuilder closedLoop = new StringBuilder();
        for (LatencyReport.Row row : r.closedLoop()) {
            closedLoop.append(LatencyReport.markdownRow(row));
        }
        closedLoop.append(String.format(Locale.ROOT, "%nFloors, measured in the same run (a probe every 100 ms):%n%n"))
                .append(LatencyReport.TABLE_HEAD);
        for (LatencyReport.Row row : r.floors()) {
            closedLoop.append(LatencyReport.markdownRow(row));
        }
        closedLoop.append(excessOverFloors(r));
        if (!r.windows().isEmpty()) {
            closedLoop.append(String.format(Locale.ROOT, "%nSliding windows (250 ms every 50 ms, decoded by the window "
                    + "model; every live window result pushed after the warm-up):%n%n")).append(LatencyReport.TABLE_HEAD);
            for (LatencyReport.Row row : r.windows()) {
                closedLoop.append(LatencyReport.markdownRow(row));
            }
        }
        return String.format(Locale.ROOT, "End-to-end latency, demo pipeline (%s decoding), seed %d: %.1f min "
                        + "measured after %.0f s warm-up, load average %.2f at the end; %d results rendered and "
                        + "acknowledged by headless Chromium (%d during warm-up, not counted); %d frames dropped by "
                        + "the display.%n%n%s%nClosed loop (the same results, received by an lsl4j inlet on the "
                        + "decoder's LSL outlet):%n%n%s%s", r.decoding() == Decoding.FAST ? "fast path" : "standalone",
                seed, minutes, warmup, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(), r.report().traces(), r.warmupDropped(), r.framesDropped(),
                r.report().toMarkdown(), LatencyReport.TABLE_HEAD, closedLoop);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
