package io.mindstream.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.runtime.Stage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real HTTP client against the endpoint: what a Kubernetes probe sees as the stage's health changes. */
class StageEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersTheStagesCurrentHealthWithTheProbeStatusCode() throws Exception {
        AtomicReference<Stage.Health> health = new AtomicReference<>(Stage.Health.starting("joining the group"));
        try (StageEndpoint endpoint = StageEndpoint.open("127.0.0.1", 0, "process", health::get)) {
            HttpResponse<String> r = get(endpoint.port(), "/health");
            assertEquals(503, r.statusCode(), "starting: not ready yet");
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertEquals("process", body.get("stage").asText());
            assertEquals("starting", body.get("status").asText());
            assertEquals("joining the group", body.get("detail").asText());

            health.set(Stage.Health.up("3 tasks \"running\""));
            r = get(endpoint.port(), "/health");
            assertEquals(200, r.statusCode());
            assertEquals("3 tasks \"running\"", new ObjectMapper().readTree(r.body()).get("detail").asText(),
                    "free text survives as JSON");

            health.set(Stage.Health.degraded("broker unreachable for 12 s"));
            assertEquals(200, get(endpoint.port(), "/health").statusCode(), "degraded is alive: no restart");

            health.set(Stage.Health.down("stream thread died"));
            assertEquals(503, get(endpoint.port(), "/health").statusCode());

            health.set(null);
            assertEquals(503, get(endpoint.port(), "/health").statusCode(), "a failing check is down, not a 500");
            assertEquals(404, get(endpoint.port(), "/metricsz").statusCode());
        }
    }
}
