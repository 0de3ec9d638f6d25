package io.mindstream.cli.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a browser page would see: a WebSocket client on the display's {@code /ws} that reconnects whenever the
 * display goes away, remembers every result's epoch id it was sent (live or in the snapshot a fresh connection gets)
 * and when the first live result after a given moment arrived.
 */
final class PageWatcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    /**
     * Every result message as it arrived: µs, live or snapshot, epoch id, the display's sequence number (a page that
     * reconnects is sent the recent frames again, same sequence numbers; a result pushed twice has two).
     */
    private final java.util.Queue<String> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong firstLiveAfter = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong liveSinceMicros = new AtomicLong(Long.MAX_VALUE);
    private final Thread loop;
    private volatile boolean running = true;
    private volatile WebSocket socket;

    PageWatcher(int port) {
        this.uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        this.loop = new Thread(this::run, "drill-page-watcher");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /** Epoch ids of every result the page was sent. */
    Set<String> seen() {
        return seen;
    }

    /** Every result message received, one line each: arrival µs, live or snapshot, epoch id. */
    java.util.List<String> arrivals() {
        return java.util.List.copyOf(arrivals);
    }

    /** From now on, remember when the first live result arrives ({@link #firstLiveMicros()}). */
    void watchFrom(long micros) {
        firstLiveAfter.set(Long.MAX_VALUE);
        liveSinceMicros.set(micros);
    }

    /** When the first live result after {@link #watchFrom} arrived (µs), or Long.MAX_VALUE. */
    long firstLiveMicros() {
        return firstLiveAfter.get();
    }

    private void run() {
        while (running) {
            java.util.concurrent.CompletableFuture<WebSocket> ws = null;
            try {
                ws = http.newWebSocketBuilder().buildAsync(uri, new Listener()).toCompletableFuture();
                socket = ws.get(5, TimeUnit.SECONDS);
                while (running && !socket.isInputClosed()) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the display is down (killed, restarting) or slow to answer: try again shortly, and drop this
                // attempt should it still connect — a second open page would see every result twice
                if (ws != null) {
                    ws.thenAccept(WebSocket::abort);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(text.toString());
                    if ("result".equals(m.path("type").asText())) {
                        seen.add(m.path("epochId").asText());
                        long now = io.mindstream.contracts.TraceStamps.nowMicros();
                        arrivals.add(now + "\t" + (m.path("live").asBoolean() ? "live" : "snapshot") + "\t"
                                + m.path("epochId").asText() + "\t" + m.path("seq").asLong());
                        if (m.path("live").asBoolean() && now >= liveSinceMicros.get()) {
                            firstLiveAfter.compareAndSet(Long.MAX_VALUE, now);
                        }
                    }
                } catch (Exception ignored) {
                    // not JSON we know: not a result
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
    }
}
