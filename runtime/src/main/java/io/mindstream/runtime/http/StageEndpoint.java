package io.mindstream.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mindstream.runtime.Stage;
import io.mindstream.runtime.metrics.StageMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A stage's small HTTP side door for whoever runs it: {@code GET /health} answers the stage's {@link Stage#health()}
 * as JSON, 200 while it is UP or DEGRADED and 503 while STARTING or DOWN — what a Kubernetes readiness/liveness
 * probe, systemd's watchdog script or a load balancer asks; {@code GET /metrics} serves the stage's
 * {@link StageMetrics} in Prometheus's text format, for Prometheus to scrape. The JDK's own HTTP server is enough for a probe a few
 * times a minute; it runs on one daemon thread of its own, never on a stage's threads.
 */
public final class StageEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StageEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private StageEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Serves {@code stage}'s health on {@code host:port} (port 0: any free port).
     *
     * @param name what the stage is called in the answer (ingest, process, …)
     */
    public static StageEndpoint open(String host, int port, String name, Supplier<Stage.Health> health) {
        return open(host, port, name, health, null);
    }

    /** As {@link #open(String, int, String, Supplier)}, also serving {@code metrics} on {@code /metrics} (if not null). */
    public static StageEndpoint open(String host, int port, String name, Supplier<Stage.Health> health,
                                     StageMetrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + name + "'s health on " + host + ":" + port + " ("
                    + e.getMessage() + "); choose another --endpoint-port or 0 to turn it off", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mindstream-endpoint-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health", exchange -> answerHealth(exchange, name, health));
        if (metrics != null) {
            server.createContext("/metrics", exchange -> {
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    answer(exchange, 405, "text/plain", "GET /metrics\n");
                    return;
                }
                answer(exchange, 200, "text/plain; version=0.0.4", metrics.scrape());
            });
        }
        server.createContext("/", exchange -> answer(exchange, 404, "text/plain",
                metrics != null ? "not here: GET /health or /metrics\n" : "not here: GET /health\n"));
        server.start();
        StageEndpoint endpoint = new StageEndpoint(server, executor);
        LOG.info("{} health at http://{}:{}/health{}", name, host, endpoint.port(),
                metrics != null ? ", metrics at /metrics" : "");
        return endpoint;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answerHealth(HttpExchange exchange, String name, Supplier<Stage.Health> health)
            throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "text/plain", "GET /health\n");
            return;
        }
        Stage.Health h;
        try {
            h = health.get();
        } catch (RuntimeException e) {
            h = Stage.Health.down("health check failed: " + e);
        }
        if (h == null) {
            h = Stage.Health.down("the stage reported no health");
        }
        int code = switch (h.status()) {
            case UP, DEGRADED -> 200;
            case STARTING, DOWN -> 503;
        };
        Map<String, String> body = new LinkedHashMap<>();
        body.put("stage", name);
        body.put("status", h.status().name().toLowerCase(Locale.ROOT));
        body.put("detail", h.detail());
        answer(exchange, code, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    private static void answer(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
