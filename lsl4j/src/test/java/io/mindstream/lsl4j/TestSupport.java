package io.mindstream.lsl4j;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Isolated LSL configs for tests: a private port range (BasePort/MulticastPort picked at random among free ports),
 * discovery limited to this machine (no traffic leaves loopback) and KnownPeers = 127.0.0.1 so every outlet of
 * the range is found. Other people run LSL tests on this host at the same time.
 */
final class TestSupport {
    private TestSupport() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** cfg text with a free private range of {@code range} ports. */
    static String isolatedConfigText(int range) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000 - range);
            if (rangeFree(base - 1, range + 1)) {
                return "; test config\n[ports]\nMulticastPort = " + (base - 1) + "\nBasePort = " + base
                        + "\nPortRange = " + range + "\nAllowRandomPorts = 0\n[multicast]\nResolveScope = machine\n"
                        + "[lab]\nKnownPeers = {127.0.0.1}\n[tuning]\nMulticastMinRTT = 0.2\nUnicastMinRTT = 0.2\n";
            }
        }
        throw new IllegalStateException("no free port range found");
    }

    static LslConfig isolatedConfig(int range) {
        return LslConfig.parse(isolatedConfigText(range), "test");
    }

    static Path writeConfig(String text) throws IOException {
        Path p = Files.createTempFile("lsl_api", ".cfg");
        Files.writeString(p, text);
        p.toFile().deleteOnExit();
        return p;
    }

    private static boolean rangeFree(int from, int n) {
        for (int p = from; p < from + n; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(p));
            } catch (IOException e) {
                return false;
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(p))) {
                d.getLocalPort();
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
