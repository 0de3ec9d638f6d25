package io.mindstream.display;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP side against hostile requests, over raw sockets so nothing normalises the paths on the way. */
class HttpSafetyTest {

    @TempDir
    static Path tmp;

    private DisplayServer server;
    private Path bankDir;
    private static final String SECRET = "TOP-SECRET-CONTENT";

    @BeforeEach
    void start() throws Exception {
        bankDir = Files.createTempDirectory(tmp, "bank");
        BankCatalog bank = Fixtures.bank(bankDir, 4);
        // a secret next to the bank, and links inside the bank pointing at it and at its directory
        Path outside = Files.createTempDirectory(tmp, "outside");
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(bankDir.resolve("thumbs").resolve("link.png"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(bankDir.resolve("escape"), outside);
        Files.writeString(bankDir.resolve(".hidden"), SECRET);
        server = DisplayServer.start(DisplayConfig.defaults().withPort(0).withBankDir(bankDir), bank);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesThePageAndThumbnails() throws Exception {
        RawHttp.Response page = RawHttp.get(server.port(), "/");
        assertEquals(200, page.status());
        assertTrue(page.bodyText().contains("<title>mindstream"));
        assertTrue(page.head().toLowerCase().contains("content-security-policy"), page.head());
        assertEquals(200, RawHttp.get(server.port(), "/display.js").status());
        RawHttp.Response png = RawHttp.get(server.port(), "/bank/thumbs/img_0002.png");
        assertEquals(200, png.status());
        assertArrayEquals(Files.readAllBytes(bankDir.resolve("thumbs/img_0002.png")), png.body());
        assertTrue(png.head().toLowerCase().contains("content-type: image/png"));
        assertEquals(404, RawHttp.get(server.port(), "/bank/thumbs/nope.png").status());
        assertEquals(404, RawHttp.get(server.port(), "/pom.xml").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/../../../../etc/passwd",
            "/bank/../../../../etc/passwd",
            "/bank/thumbs/../../outside/secret.txt",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/bank/%2e%2e/%2e%2e/etc/passwd",
            "/bank/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "/bank/..%2f..%2f..%2fetc%2fpasswd",
            "/bank/%252e%252e/%252e%252e/etc/passwd",
            "/bank/..\\..\\..\\etc\\passwd",
            "/bank/%5c..%5c..%5cetc%5cpasswd",
            "/bank/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
            "/bank/thumbs/link.png",
            "/bank/escape/secret.txt",
            "/bank/.hidden",
            "/bank//etc/passwd",
            "/bank/%00/etc/passwd",
            "/etc/passwd",
            "//etc/passwd",
            "/bank/C:/Windows/win.ini",
    })
    void neverServesAFileOutsideItsRoots(String target) throws Exception {
        RawHttp.Response r = RawHttp.get(server.port(), target);
        assertTrue(r.status() == 400 || r.status() == 404, target + " → " + r.status());
        assertFalse(r.bodyText().contains(SECRET), target);
        assertFalse(r.bodyText().contains("root:"), target);
    }

    @Test
    void refusesAbsoluteFormAndForeignHosts() throws Exception {
        int port = server.port();
        assertEquals(400, RawHttp.send(port, "GET http://127.0.0.1:" + port + "/../../etc/passwd HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").status());
        // DNS rebinding: a foreign name resolving to loopback must not get the page
        assertEquals(421, RawHttp.send(port, "GET / HTTP/1.1\r\nHost: evil.example:" + port
                + "\r\nConnection: close\r\n\r\n").status());
        assertEquals(200, RawHttp.send(port, "GET / HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    void aPortInUseIsAClearError() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> DisplayServer.start(DisplayConfig.defaults().withPort(server.port()), null));
        assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + server.port()), e.getMessage());
    }

    @Test
    void limitsMethodsAndRequestSizes() throws Exception {
        int port = server.port();
        assertEquals(405, RawHttp.send(port, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}").status());
        assertEquals(413, RawHttp.send(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
                + "Connection: close\r\n\r\n" + "x".repeat(100_000)).status());
        String longHeader = "X-Filler: " + "a".repeat(20_000) + "\r\n";
        int big = RawHttp.send(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + longHeader
                + "Connection: close\r\n\r\n").status();
        assertEquals(431, big);
        int longLine = RawHttp.get(port, "/" + "a".repeat(10_000)).status();
        assertTrue(longLine == 431 || longLine == 414 || longLine == 400, "long request line → " + longLine);
        // the server is still fine afterwards
        assertEquals(200, RawHttp.get(port, "/").status());
    }
}
