package io.mindstream.display.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    private final OriginPolicy local = new OriginPolicy(List.of(), true);

    @Test
    void sameOriginOnlyByDefault() {
        assertTrue(local.allowsWebSocket("http://127.0.0.1:8090", "127.0.0.1:8090"));
        assertTrue(local.allowsWebSocket("HTTP://LOCALHOST:8090", "localhost:8090"));
        assertTrue(local.allowsWebSocket("http://localhost", "localhost:80"));
        assertFalse(local.allowsWebSocket("http://localhost:8091", "localhost:8090"));
        assertFalse(local.allowsWebSocket("http://evil.example", "127.0.0.1:8090"));
        assertFalse(local.allowsWebSocket("null", "127.0.0.1:8090"));
        assertTrue(local.allowsWebSocket(null, "127.0.0.1:8090"), "non-browser clients send no Origin");
    }

    @Test
    void extraOriginsAndWildcard() {
        OriginPolicy p = new OriginPolicy(List.of("https://Lab.Example:443", "http://10.0.0.5:3000"), false);
        assertTrue(p.allowsWebSocket("https://lab.example", "display:8090"));
        assertTrue(p.allowsWebSocket("http://10.0.0.5:3000", "display:8090"));
        assertFalse(p.allowsWebSocket("http://10.0.0.5:3001", "display:8090"));
        assertTrue(new OriginPolicy(List.of("*"), false).allowsWebSocket("http://anything", "x"));
    }

    @Test
    void loopbackServersOnlyAnswerLoopbackHostNames() {
        assertTrue(local.allowsHost("127.0.0.1:8090"));
        assertTrue(local.allowsHost("localhost"));
        assertTrue(local.allowsHost("[::1]:8090"));
        assertFalse(local.allowsHost("evil.example:8090"), "DNS rebinding");
        assertFalse(local.allowsHost(null));
        assertFalse(local.allowsHost(""));
        assertTrue(new OriginPolicy(List.of(), false).allowsHost("display.lab:8090"));
    }
}
