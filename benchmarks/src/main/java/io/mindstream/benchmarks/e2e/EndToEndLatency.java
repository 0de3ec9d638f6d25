package io.mindstream.benchmarks.e2e;

import io.mindstream.cli.demo.Demo;
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
 * <pre>
 * java … io.mindstream.benchmarks.e2e.EndToEndLatency [--minutes 3] [--warmup-seconds 30] [--seed 1]
 *                                                      [--report FILE]
 * </pre>
 */
public final class EndToEndLatency {

    private static final Logger log = LoggerFactory.getLogger(EndToEndLatency.class);

    /** What one run measured. */
    public record Result(LatencyReport report, int renderedTotal, int warmupDropped, Duration measured,
                         long framesDropped) {
    }

    private EndToEndLatency() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 3;
        double warmup = 30;
        long seed = 1;
        Path reportFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--warmup-seconds" -> warmup = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: EndToEndLatency [--minutes M] [--warmup-seconds S] [--seed N] "
                            + "[--report FILE]\nunknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        Result r = run(Duration.ofMillis((long) (minutes * 60_000)), Duration.ofMillis((long) (warmup * 1000)), seed);
        String md = describe(r, minutes, warmup, seed);
        System.out.println(md);
        if (reportFile != null) {
            Files.writeString(reportFile, md);
            log.info("report written to {}", reportFile);
        }
    }

    /** Runs the pipeline for {@code warmup + measure} and reports the traces rendered after the warm-up. */
    public static Result run(Duration measure, Duration warmup, long seed) throws Exception {
        Path chromium = HeadlessChromium.findBinary();
        if (chromium == null) {
            throw new IllegalStateException("no Chromium found (/usr/bin/chromium): install the Debian packages "
                    + "chromium and chromium-driver");
        }
        Path work = Files.createTempDirectory("mindstream-e2e-");
        List<long[]> traces = new ArrayList<>();
        int[] warm = new int[1];
        try (Demo demo = Demo.start(new Demo.Options(seed, 1.0, null, null, work,
                DisplayConfig.defaults().withPort(0)));
             HeadlessChromium browser = HeadlessChromium.launch(chromium, 1440, 1100)) {
            Instant[] measureFrom = {Instant.MAX};
            demo.display().hub().addTraceListener((DisplayHub.RenderedTrace t) -> {
                synchronized (traces) {
                    if (Instant.now().isAfter(measureFrom[0])) {
                        traces.add(t.micros());
                    } else {
                        warm[0]++;
                    }
                }
            });
            browser.navigate(demo.url());
            if (!browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(60))) {
                throw new IllegalStateException("the page did not connect to " + demo.url());
            }
            log.info("harness: page open at {}; warming up for {} s", demo.url(), warmup.toSeconds());
            Thread.sleep(warmup.toMillis());
            synchronized (traces) {
                measureFrom[0] = Instant.now();
            }
            long end = System.nanoTime() + measure.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                synchronized (traces) {
                    log.info("harness: {} results rendered so far; end to end p50 {} ms", traces.size(),
                            String.format(Locale.ROOT, "%.1f", LatencyReport.of(traces).endToEnd().ms().p50()));
                }
            }
            synchronized (traces) {
                return new Result(LatencyReport.of(List.copyOf(traces)), traces.size() + warm[0], warm[0], measure,
                        demo.display().hub().broadcaster().droppedTotal());
            }
        } finally {
            deleteTree(work);
        }
    }

    static String describe(Result r, double minutes, double warmup, long seed) {
        return String.format(Locale.ROOT, "End-to-end latency, demo pipeline, seed %d: %.1f min measured after %.0f s "
                        + "warm-up; %d results rendered and acknowledged by headless Chromium (%d during warm-up, not "
                        + "counted); %d frames dropped by the display.%n%n%s", seed, minutes, warmup,
                r.report().traces(), r.warmupDropped(), r.framesDropped(), r.report().toMarkdown());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
