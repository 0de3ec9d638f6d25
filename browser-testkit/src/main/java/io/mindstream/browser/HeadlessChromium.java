package io.mindstream.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real headless Chromium driven over the DevTools protocol with nothing but {@code java.net.http}: used by the
 * display's browser tests and by the end-to-end latency harness as the page's client. It lives in the test sources
 * and reaches cli's tests and the benchmarks through display-server's test-jar, so no server carries it.
 *
 * <p>Started for a closed network (no first-run, sync, component updates, QUIC or background traffic), with a fresh
 * profile directory that is deleted on {@link #close()}. Chromium picks its own debugging port
 * ({@code --remote-debugging-port=0}) and writes it to {@code DevToolsActivePort} in the profile.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeadlessChromium.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where Debian's {@code chromium} package puts the browser. */
    public static final Path DEFAULT_BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final List<String> consoleErrors = new ArrayList<>();
    private String sessionId;

    /** The browser binary if one is installed, else null (tests skip then). */
    public static Path findBinary() {
        String env = System.getenv("MINDSTREAM_CHROMIUM");
        for (Path p : List.of(env == null ? DEFAULT_BINARY : Path.of(env), DEFAULT_BINARY,
                Path.of("/usr/bin/chromium-browser"), Path.of("/usr/bin/google-chrome"))) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Launches the browser with a window of {@code width × height} CSS pixels and opens one blank page. */
    public static HeadlessChromium launch(Path binary, int width, int height) throws IOException,
            InterruptedException {
        Path profile = Files.createTempDirectory("mindstream-chromium-");
        List<String> cmd = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-extensions",
                "--disable-default-apps", "--mute-audio", "--hide-scrollbars", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + profile, "about:blank");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!p.isAlive()) {
                    throw new IOException("chromium exited with " + p.exitValue() + ": "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("chromium wrote no DevToolsActivePort within 30 s");
                }
                Thread.sleep(50);
            }
            List<String> lines = Files.readAllLines(portFile);
            URI browserWs = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
            return new HeadlessChromium(p, profile, browserWs);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile, URI browserWs) throws IOException, InterruptedException {
        this.process = process;
        this.profile = profile;
        try {
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(browserWs, new Listener()).get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to chromium's DevTools socket " + browserWs, e);
        }
        String targetId = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        sessionId = call(null, "Target.attachToTarget", Map.of("targetId", targetId, "flatten", true))
                .path("sessionId").asText();
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
    }

    /** Navigates the page and waits for its load event's round trip. */
    public void navigate(String url) throws IOException {
        JsonNode r = call("Page.navigate", Map.of("url", url));
        if (r.hasNonNull("errorText")) {
            throw new IOException("navigating to " + url + ": " + r.path("errorText").asText());
        }
    }

    /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
    public JsonNode evaluate(String expression) throws IOException {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("page threw: " + r.path("exceptionDetails").toString());
        }
        return r.path("result").path("value");
    }

    /** Polls {@code expression} until it is true or the timeout passes; returns whether it became true. */
    public boolean waitFor(String expression, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (evaluate(expression).asBoolean(false)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** A PNG screenshot of the whole viewport. */
    public byte[] screenshot() throws IOException {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    /** Console errors and uncaught exceptions the page reported so far. */
    public synchronized List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    private JsonNode call(String method, Map<String, Object> params) throws IOException {
        return call(sessionId, method, params);
    }

    private JsonNode call(String session, String method, Map<String, Object> params) throws IOException {
        long id = nextId.getAndIncrement();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (session != null) {
            msg.put("sessionId", session);
        }
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        calls.put(id, f);
        try {
            socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = f.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IOException(method + " failed: " + reply.path("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no answer from chromium", e);
        } finally {
            calls.remove(id);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(JSON.readTree(text));
                } catch (IOException e) {
                    log.warn("unreadable DevTools message: {}", e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void dispatch(JsonNode msg) {
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = calls.get(msg.path("id").asLong());
            if (f != null) {
                f.complete(msg);
            }
            return;
        }
        String method = msg.path("method").asText();
        if (method.equals("Runtime.exceptionThrown")) {
            synchronized (this) {
                consoleErrors.add(msg.path("params").path("exceptionDetails").toString());
            }
        } else if (method.equals("Runtime.consoleAPICalled")
                && msg.path("params").path("type").asText().equals("error")) {
            synchronized (this) {
                consoleErrors.add(msg.path("params").path("args").toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException e) {
            log.debug("closing DevTools socket: {}", e.toString());
        }
        List<ProcessHandle> helpers = process.descendants().toList();   // renderer, GPU, zygote …
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        helpers.forEach(ProcessHandle::destroyForcibly);     // none may outlive the browser
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("removing {}: {}", dir, e.toString());
        }
    }
}
