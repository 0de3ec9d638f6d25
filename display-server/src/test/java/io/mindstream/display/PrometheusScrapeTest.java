package io.mindstream.display;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.runtime.http.StageEndpoint;
import io.mindstream.runtime.metrics.StageMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Prometheus (Debian's {@code prometheus} server, started on loopback) scrapes a running display's
 * {@code /metrics} once a second while results flow, and its HTTP API is asked whether the series exist and move:
 * the stage's own counter, the per-stage latency histogram (a quantile computed by Prometheus from our buckets), the
 * JVM's, and the scrape target being up. Skipped, saying so, only where no prometheus binary is installed
 * ({@code .ci/run} installs it).
 */
class PrometheusScrapeTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void prometheusScrapesTheStageAndItsSeriesMove() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "no " + PROMETHEUS + " (apt-get install prometheus)");
        BankCatalog bank = Fixtures.bank(tmp.resolve("bank"), 10);
        DisplayConfig cfg = DisplayConfig.defaults().withPort(0).withBankDir(bank.dir());
        ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
        Process prometheus = null;
        try (DisplayService display = DisplayService.start(cfg, bank, null, null, false);
             StageMetrics metrics = new StageMetrics("display").bind(display);
             StageEndpoint endpoint = StageEndpoint.open("127.0.0.1", 0, "display", display::health, metrics)) {
            AtomicLong n = new AtomicLong();
            feed.scheduleAtFixedRate(() -> display.hub().publishResult(Fixtures.result("s1", n.incrementAndGet(),
                    Fixtures.imageId(1), List.of(Fixtures.imageId(1), Fixtures.imageId(2)))), 0, 100,
                    TimeUnit.MILLISECONDS);

            int webPort;
            try (ServerSocket s = new ServerSocket(0)) {
                webPort = s.getLocalPort();
            }
            Path config = tmp.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: mindstream\n    static_configs:\n"
                    + "      - targets: ['127.0.0.1:" + endpoint.port() + "']\n");
            prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + webPort)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
            String api = "http://127.0.0.1:" + webPort + "/api/v1/query?query=";

            double first = awaitValue(api, "mindstream_display_results_total{stage=\"display\"}", 60, prometheus);
            assertEquals(1.0, awaitValue(api, "up{job=\"mindstream\"}", 30, prometheus), "the target is up");
            assertTrue(awaitValue(api, "sum(jvm_memory_used_bytes{stage=\"display\"})", 30, prometheus) > 0,
                    "JVM memory is scraped");
            double later = first;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (later <= first && System.nanoTime() < deadline) {
                Thread.sleep(500);
                later = awaitValue(api, "mindstream_display_results_total{stage=\"display\"}", 30, prometheus);
            }
            assertTrue(later > first, "the results counter moves between scrapes: " + first + " → " + later);
            // Fixtures' traces put 28 ms between epoched and decoded: Prometheus's quantile from our buckets agrees
            double p50 = awaitValue(api, "histogram_quantile(0.5, sum by (le) (rate(mindstream_stage_latency_seconds_"
                    + "bucket{from=\"epoched\",to=\"decoded\"}[5s])))", 30, prometheus);
            assertTrue(p50 > 0.020 && p50 < 0.040, "epoched → decoded p50 from the histogram: " + p50 + " s");
        } finally {
            feed.shutdownNow();
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** Asks Prometheus {@code query} until it has a (finite) value; fails after {@code seconds}. */
    private double awaitValue(String api, String query, int seconds, Process prometheus) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertTrue(prometheus.isAlive(), "prometheus exited (see its log in the test's temp dir)");
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api
                        + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.body();
                JsonNode result = json.readTree(r.body()).path("data").path("result");
                if (result.size() > 0) {
                    double v = Double.parseDouble(result.get(0).path("value").get(1).asText());
                    if (Double.isFinite(v)) {
                        return v;
                    }
                }
            } catch (java.io.IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Prometheus has no value for " + query + " after " + seconds + " s: " + last);
    }
}
