package io.mindstream.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.display.DisplayConfig;
import io.mindstream.display.DisplayService;
import io.mindstream.ingest.stats.IngestStats;
import io.mindstream.processor.epoch.ProcessorStats;
import io.mindstream.runtime.metrics.StageMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/prometheus and deploy/grafana against the code and against Prometheus itself: the scrape config is what
 * {@code promtool} accepts and scrapes exactly the compose file's stage endpoints; every query of the Grafana
 * dashboard parses in a real Prometheus, and every mindstream series it reads is one the stages export.
 */
class DeployMonitoringTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    @Test
    void scrapeConfigIsValidAndTargetsTheComposeStages() throws Exception {
        Path config = DEPLOY.resolve("prometheus/prometheus.yml");
        if (Files.isExecutable(Path.of("/usr/bin/promtool"))) {
            Process p = new ProcessBuilder("/usr/bin/promtool", "check", "config", config.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "promtool check config: " + out);
        }
        Set<String> targets = new TreeSet<>();
        Map<String, Object> prom = new Yaml().load(Files.readString(config));
        for (Map<String, Object> job : (List<Map<String, Object>>) prom.get("scrape_configs")) {
            for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
                targets.addAll((List<String>) sc.get("targets"));
            }
        }
        Set<String> endpoints = new TreeSet<>();
        Map<String, Object> compose = new Yaml().load(Files.readString(DEPLOY.resolve("compose/compose.yaml")));
        ((Map<String, Map<String, Object>>) compose.get("services")).values().forEach(s -> {
            List<String> cmd = (List<String>) s.get("command");
            int i = cmd.indexOf("--endpoint-port");
            if (i >= 0) {
                endpoints.add("127.0.0.1:" + cmd.get(i + 1));
            }
        });
        assertFalse(endpoints.isEmpty());
        assertEquals(endpoints, targets, "Prometheus scrapes every stage endpoint of the compose file, nothing else");
    }

    @Test
    void dashboardQueriesParseAndReadSeriesTheStagesExport() throws Exception {
        JsonNode dash = JSON.readTree(DEPLOY.resolve("grafana/mindstream-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        dash.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertTrue(exprs.size() >= 10, "the dashboard has its panels: " + exprs.size());

        Set<String> exported = exportedSeries();
        Pattern name = Pattern.compile("\\bmindstream_[a-z_]+");
        for (String e : exprs) {
            Matcher m = name.matcher(e);
            while (m.find()) {
                String series = m.group().replaceAll("_(bucket|sum|count)$", "");
                assertTrue(exported.contains(series), "the dashboard reads " + m.group() + ", which no stage exports "
                        + "(exported: " + exported + ")");
            }
        }

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")), "no prometheus to parse the queries");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = tmp.resolve("empty.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\n");
        Process prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (String e : exprs) {
                JsonNode answer = query(http, port, e, prometheus);
                assertEquals("success", answer.path("status").asText(), "Prometheus parses " + e + ": " + answer);
            }
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    private static JsonNode query(HttpClient http, int port, String expr, Process prometheus) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertTrue(prometheus.isAlive(), "prometheus exited");
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 503) { // 503: still starting
                    return JSON.readTree(r.body());
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("prometheus did not answer within 60 s");
            }
            Thread.sleep(300);
        }
    }

    /** The mindstream series names the stages' binders export (processor, ingest, display; the decoder's by name). */
    private Set<String> exportedSeries() throws Exception {
        Set<String> names = new TreeSet<>();
        IngestStats ingest = new IngestStats();
        ingest.stream("meg");
        try (StageMetrics m = new StageMetrics("test").bind(new ProcessorStats()).bind(ingest)) {
            collect(m.scrape(), names);
        }
        try (DisplayService display = DisplayService.start(DisplayConfig.defaults().withPort(0), null, null, null,
                false); StageMetrics m = new StageMetrics("test").bind(display)) {
            // a stream's health meters appear with its first health report
            display.hub().acceptMarker(new io.mindstream.contracts.Marker("s", "markers", 0, 1.0, "x", null, null,
                    io.mindstream.contracts.TraceStamps.empty()));
            display.hub().publishHealth();
            collect(m.scrape(), names);
        }
        // the forwarder's and the decoder's, which need a journal or a model to exist
        names.addAll(List.of("mindstream_ingest_journal_lag", "mindstream_ingest_forwarder_connected",
                "mindstream_ingest_forwarder_sessions_total", "mindstream_decoder_epochs_consumed_total",
                "mindstream_decoder_epochs_decoded_total", "mindstream_decoder_epochs_rejected_total",
                "mindstream_decoder_epochs_undecodable_records_total", "mindstream_decoder_epochs_skipped_total",
                "mindstream_decoder_epochs_already_delivered_total"));
        return names;
    }

    private static void collect(String scrape, Set<String> names) {
        Matcher m = Pattern.compile("^(mindstream_[a-z_]+)", Pattern.MULTILINE).matcher(scrape);
        while (m.find()) {
            names.add(m.group(1).replaceAll("_(bucket|sum|count|max)$", ""));
        }
    }
}
