package io.mindstream.benchmarks.e2e;

import io.mindstream.contracts.DecodeResult;
import io.mindstream.contracts.Match;
import io.mindstream.contracts.SampleChunk;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.contracts.Trigger;
import io.mindstream.contracts.TriggerKind;
import io.mindstream.display.DisplayConfig;
import io.mindstream.display.DisplayHub;
import io.mindstream.display.DisplayServer;
import io.mindstream.browser.HeadlessChromium;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The display stage alone, with a real headless Chromium: decode results handed to the display server (stamped
 * DECODED at that moment) while 272 channels of MEG stream in real time, and the browser's render acknowledgements
 * collected. Reports DECODED → PUSHED (the server) and PUSHED → RENDERED (socket, page, paint).
 *
 * <pre>java … io.mindstream.benchmarks.e2e.DisplayLatency [--results 300] [--rate-hz 2]</pre>
 */
public final class DisplayLatency {

    private DisplayLatency() {
    }

    public static void main(String[] args) throws Exception {
        int results = 300;
        double rate = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Integer.parseInt(args[++i]);
                case "--rate-hz" -> rate = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println("usage: DisplayLatency [--results N] [--rate-hz R]\nunknown argument: "
                            + args[i]);
                    System.exit(2);
                }
            }
        }
        LatencyReport r = run(results, rate);
        System.out.printf(Locale.ROOT, "Display stage alone: %d results at %.1f/s with 272-channel MEG at 1200 Hz "
                + "streaming, rendered by headless Chromium.%n%n%s", r.traces(), rate, r.toMarkdown());
    }

    public static LatencyReport run(int results, double rateHz) throws Exception {
        java.nio.file.Path chromium = HeadlessChromium.findBinary();
        if (chromium == null) {
            throw new IllegalStateException("no Chromium found (/usr/bin/chromium): install the Debian packages "
                    + "chromium and chromium-driver");
        }
        List<long[]> traces = new ArrayList<>();
        try (DisplayServer server = DisplayServer.start(DisplayConfig.defaults().withPort(0), null);
             HeadlessChromium browser = HeadlessChromium.launch(chromium, 1440, 1100)) {
            server.hub().addTraceListener((DisplayHub.RenderedTrace t) -> {
                synchronized (traces) {
                    traces.add(t.micros());
                }
            });
            browser.navigate(server.url());
            if (!browser.waitFor("window.mindstream && window.mindstream.connected", Duration.ofSeconds(30))) {
                throw new IllegalStateException("page did not connect");
            }
            Thread.sleep(1000);                      // the page's first clock pings
            int channels = 272;
            int chunk = 12;                          // 10 ms at 1200 Hz, as ingest sends it
            float[] values = new float[chunk * channels];
            double[] ts = new double[chunk];
            long seq = 0;
            long periodNanos = (long) (1e9 / rateHz);
            long start = System.nanoTime();
            long nextResult = start + periodNanos;
            int sent = 0;
            while (sent < results) {
                long now = System.nanoTime();
                // MEG in real time: one 10 ms chunk per 10 ms
                long due = (now - start) / 10_000_000L;
                while (seq / chunk < due) {
                    for (int s = 0; s < chunk; s++) {
                        ts[s] = (seq + s) / 1200.0;
                        for (int c = 0; c < channels; c++) {
                            values[s * channels + c] = (float) (1e-12 * Math.sin(0.05 * (seq + s) + c));
                        }
                    }
                    server.hub().acceptChunk(SampleChunk.ofFloats("bench", "bench-meg", StreamKind.MEG, channels,
                            1200.0, seq, ts.clone(), values, TraceStamps.empty().withNow(Stage.ACQUIRED)));
                    seq += chunk;
                }
                if (now >= nextResult) {
                    server.hub().publishResult(result(sent));
                    sent++;
                    nextResult += periodNanos;
                }
                Thread.sleep(2);
            }
            Thread.sleep(2000);                      // the last acknowledgements
            synchronized (traces) {
                return LatencyReport.of(List.copyOf(traces));
            }
        }
    }

    private static DecodeResult result(int n) {
        List<Match> top = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            top.add(new Match("img_" + ((n + k) % 100), 0.9f - 0.1f * k));
        }
        String truth = "img_" + (n % 100);
        return new DecodeResult("bench", "bench/meg/marker/" + n,
                new Trigger(TriggerKind.MARKER, n, n, "onset image=" + truth + " trial=" + n, null, truth),
                new float[]{0f}, top, "bench", 0, TraceStamps.empty().withNow(Stage.DECODED));
    }
}
