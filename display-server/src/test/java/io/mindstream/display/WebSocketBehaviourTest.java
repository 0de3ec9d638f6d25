package io.mindstream.display;

import com.fasterxml.jackson.databind.JsonNode;
import io.mindstream.contracts.Stage;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.display.ws.ClientOutbox;
import io.mindstream.display.ws.OutFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pushing to pages over real sockets: fan-out, snapshots, acks, slow clients, limits, Origin. */
class WebSocketBehaviourTest {

    @TempDir
    Path tmp;

    private DisplayServer server;
    private BankCatalog bank;

    @BeforeEach
    void start() throws Exception {
        bank = Fixtures.bank(tmp.resolve("bank"), 10);
        server = DisplayServer.start(DisplayConfig.defaults().withPort(0).withBankDir(bank.dir())
                .withAllowedOrigins(List.of("http://lab.example:3000")).withClientQueueFrames(16), bank);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<String> top(int... ids) {
        return java.util.Arrays.stream(ids).mapToObj(Fixtures::imageId).toList();
    }

    @Test
    void everyPageGetsEveryResultAndAcksCompleteTheTrace() throws Exception {
        List<DisplayHub.RenderedTrace> traces = new CopyOnWriteArrayList<>();
        server.hub().addTraceListener(traces::add);
        try (WsClient a = WsClient.connect(server.port(), null);
             WsClient b = WsClient.connect(server.port(), "http://127.0.0.1:" + server.port())) {
            JsonNode hello = a.next("hello");
            assertEquals(10, hello.path("bank").path("count").asInt());
            assertEquals(Stage.values().length, hello.path("stages").size());
            b.next("hello");
            waitForClients(2);
            server.hub().publishResult(Fixtures.result("s1", 1, Fixtures.imageId(3), top(3, 1, 2, 4, 5)));
            for (WsClient c : List.of(a, b)) {
                JsonNode r = c.next("result");
                assertEquals(0, r.path("seq").asLong());
                assertEquals("s1/meg/marker/1", r.path("epochId").asText());
                assertEquals(Fixtures.imageId(3), r.path("trigger").path("imageId").asText());
                assertEquals("/bank/thumbs/img_0003.png", r.path("topK").get(0).path("thumb").asText());
                assertTrue(r.path("hit").path("top1").asBoolean());
                assertEquals(0.1, r.path("accuracy").path("chance1").asDouble(), 1e-9);
                assertTrue(r.path("trace").get(Stage.PUSHED.ordinal()).asLong() > 0, "stamped PUSHED");
                assertEquals(0, r.path("trace").get(Stage.RENDERED.ordinal()).asLong());
            }
            long rendered = TraceStamps.nowMicros();
            a.send("{\"type\":\"rendered\",\"seq\":0,\"renderedUs\":" + rendered + ",\"clockOffsetUs\":12}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (traces.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, traces.size());
            assertEquals(rendered, traces.get(0).trace().get(Stage.RENDERED));
            assertEquals("s1/meg/marker/1", traces.get(0).epochId());
            // malformed and unknown messages are ignored, the connection stays
            a.send("{not json");
            a.send("{\"type\":\"rendered\",\"seq\":999999}");
            a.send("{\"type\":\"ping\",\"clientMs\":5}");
            JsonNode pong = a.next("pong");
            assertEquals(5.0, pong.path("clientMs").asDouble());
            assertTrue(pong.path("serverUs").asLong() > 0);
        }
    }

    @Test
    void lateJoinerGetsTheRecentStateInOrder() throws Exception {
        for (int n = 0; n < 60; n++) {
            server.hub().publishResult(Fixtures.result("s1", n, Fixtures.imageId(n % 10), top(1, 2, 3, 4, 5)));
        }
        server.hub().acceptChunk(Fixtures.megChunk("meg-a", 0, 1200, 4, 1200.0));
        try (WsClient late = WsClient.connect(server.port(), null)) {
            assertEquals("hello", late.messages.poll(10, TimeUnit.SECONDS).path("type").asText());
            for (int seq = 10; seq < 60; seq++) {       // snapshot: the last 50, oldest first
                JsonNode m = late.messages.poll(10, TimeUnit.SECONDS);
                assertEquals("result", m.path("type").asText());
                assertEquals(seq, m.path("seq").asLong());
            }
            JsonNode meg = late.next("meg");
            assertEquals(4, meg.path("channels").asInt());
            assertEquals(10, meg.path("samples").asInt());       // 100 ms at the 100 Hz plot rate
            assertEquals(40, meg.path("data").size());
            server.hub().publishResult(Fixtures.result("s1", 60, Fixtures.imageId(0), top(1, 2, 3, 4, 5)));
            assertEquals(60, late.next("result").path("seq").asLong());
        }
    }

    @Test
    void slowPageIsBoundedAndCountedWhileFastPageKeepsUp() throws Exception {
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);             // and never read: the server's writes back up
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            handshake(slow);
            try (WsClient fast = WsClient.connect(server.port(), null)) {
                fast.next("hello");
                waitForClients(2);
                // 600 frames of 32 KiB ≈ 19 MiB: far more than the kernel's socket buffers absorb
                int total = 600;
                String pad = "x".repeat(32 * 1024);
                for (int n = 0; n < total; n++) {
                    server.hub().broadcaster().broadcast(new OutFrame(OutFrame.Kind.RESULT,
                            ("{\"type\":\"result\",\"seq\":" + n + ",\"pad\":\"" + pad + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)));
                }
                // the newest result is never the one dropped: the fast page ends at the last one
                long last = -1;
                while (last != total - 1) {
                    last = fast.next("result").path("seq").asLong();
                }
                ClientOutbox slowBox = server.hub().broadcaster().clients().stream()
                        .filter(c -> c.written() + c.dropped() + c.queued() >= total && c.dropped() > 0)
                        .findFirst().orElseThrow(() -> new AssertionError("no client dropped frames: "
                                + describe(server.hub().broadcaster().clients())));
                assertTrue(slowBox.maxQueued() <= slowBox.capacity(), "ring bounded");
                assertEquals(slowBox.offered(), slowBox.written() + slowBox.dropped() + slowBox.queued(),
                        "every frame accounted for");
                assertTrue(server.hub().broadcaster().droppedTotal() >= slowBox.dropped());
            }
        }
    }

    private static String describe(List<ClientOutbox> boxes) {
        StringBuilder sb = new StringBuilder();
        for (ClientOutbox c : boxes) {
            sb.append("[client ").append(c.id()).append(" offered ").append(c.offered()).append(" written ")
                    .append(c.written()).append(" dropped ").append(c.dropped()).append(" queued ").append(c.queued())
                    .append("] ");
        }
        return sb.toString();
    }

    @Test
    void oversizedFrameClosesTheConnectionWith1009() throws Exception {
        try (WsClient c = WsClient.connect(server.port(), null)) {
            c.next("hello");
            c.socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}", true);
            assertEquals(1009, c.closeCode.get(10, TimeUnit.SECONDS));
        }
        // others are unaffected
        try (WsClient c = WsClient.connect(server.port(), null)) {
            c.next("hello");
        }
    }

    @Test
    void singleOversizedFrameIsRefusedBeforeItsPayloadArrives() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(10_000);
            handshake(raw);
            InputStream in = raw.getInputStream();
            // skip the hello and snapshot the server sends first: read frames until our close arrives
            var out = raw.getOutputStream();
            // FIN + text, masked, 64-bit length of 1 MiB; only the header is sent
            out.write(new byte[]{(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4});
            out.flush();
            while (true) {
                int b0 = in.read();
                assertTrue(b0 >= 0, "connection closed without a close frame");
                int len = in.read() & 0x7f;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                }
                byte[] payload = in.readNBytes(len);
                if ((b0 & 0x0f) == 0x8) {
                    assertEquals(1009, ((payload[0] & 0xff) << 8) | (payload[1] & 0xff));
                    return;
                }
            }
        }
    }

    @Test
    void foreignOriginIsRefusedOwnAndAllowedOriginsAreNot() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> WsClient.connect(server.port(), "http://evil.example"));
        WebSocketHandshakeException hs = assertInstanceOf(WebSocketHandshakeException.class,
                e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause());
        assertEquals(403, hs.getResponse().statusCode());
        assertThrows(ExecutionException.class, () -> WsClient.connect(server.port(), "null"));
        assertThrows(ExecutionException.class,
                () -> WsClient.connect(server.port(), "http://127.0.0.1:" + (server.port() + 1)));
        try (WsClient own = WsClient.connect(server.port(), "http://127.0.0.1:" + server.port());
             WsClient allowed = WsClient.connect(server.port(), "http://lab.example:3000")) {
            own.next("hello");
            allowed.next("hello");
        }
    }

    private void waitForClients(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.hub().broadcaster().clients().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(n, server.hub().broadcaster().clients().size());
    }

    /** A minimal RFC 6455 handshake over a raw socket; reads only the 101 response, nothing after. */
    private void handshake(Socket s) throws Exception {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed during handshake: " + head);
            }
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    }
}
