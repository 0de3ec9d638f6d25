package io.mindstream.cli.lsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mindstream.cli.Mindstream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code mindstream lsl ...}: usage errors exit 2; send → list/info/receive work end to end on loopback. */
class LslCommandTest {

    private static Path isolatedConfig() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000);
            boolean free = true;
            for (int p = base - 1; p < base + 8 && free; p++) {
                try (ServerSocket s = new ServerSocket(); DatagramSocket d = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress(p));
                    d.bind(new InetSocketAddress(p));
                } catch (Exception e) {
                    free = false;
                }
            }
            if (!free) continue;
            Path cfg = Files.createTempFile("lsl_api", ".cfg");
            Files.writeString(cfg, "[ports]\nMulticastPort = " + (base - 1) + "\nBasePort = " + base + "\nPortRange = 8\n"
                    + "[multicast]\nResolveScope = machine\n[lab]\nKnownPeers = {127.0.0.1}\n");
            cfg.toFile().deleteOnExit();
            return cfg;
        }
        throw new IllegalStateException("no free port range");
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Mindstream.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "lsl", "send", "--format", "float16"));
        assertTrue(err.toString().startsWith("error: --format: unknown LSL channel format 'float16'"), err.toString());
        assertTrue(err.toString().contains("Usage:"));
        assertEquals(2, run(out, err, "lsl", "send", "--channels", "0"));
        assertEquals(2, run(out, err, "lsl", "receive"));
        assertEquals(2, run(out, err, "lsl", "list", "--config", "/nonexistent/lsl_api.cfg"));
    }

    @Test
    void sendThenListInfoAndReceive() throws Exception {
        String cfg = isolatedConfig().toString();
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        Thread sender = new Thread(() -> run(new StringWriter(), new StringWriter(), "lsl", "send", "--config", cfg,
                "--name", name, "--channels", "3", "--rate", "200", "--chunk-size", "4", "--format", "int16",
                "--duration", "6"));
        sender.start();
        try {
            StringWriter err = new StringWriter();
            java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
            java.io.PrintStream old = System.out;
            int listed;
            int received;
            int info;
            try {
                System.setOut(new java.io.PrintStream(captured, true));
                Thread.sleep(1000);
                listed = run(new StringWriter(), err, "lsl", "list", "--config", cfg, "--wait", "1.5");
                info = run(new StringWriter(), err, "lsl", "info", name, "--config", cfg);
                received = run(new StringWriter(), err, "lsl", "receive", name, "--config", cfg, "--max-samples", "20");
            } finally {
                System.setOut(old);
            }
            String text = captured.toString();
            assertEquals(0, listed, err.toString());
            assertTrue(text.contains(name) && text.contains("int16"), text);
            assertEquals(0, info, err.toString());
            assertTrue(text.contains("<label>ch3</label>"), text);
            assertEquals(0, received, err.toString());
            long sampleLines = text.lines().filter(l -> l.matches("\\d+\\.\\d{6}\\t-?\\d+\\t-?\\d+\\t-?\\d+")).count();
            assertEquals(20, sampleLines, text);
        } finally {
            sender.join(10000);
        }
    }

    @Test
    void receiveOfAMissingStreamFailsWithOneLine() throws Exception {
        StringWriter err = new StringWriter();
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        int rc;
        try {
            System.setErr(new java.io.PrintStream(captured, true));
            rc = run(new StringWriter(), err, "lsl", "receive", "nope-" + UUID.randomUUID(), "--config",
                    isolatedConfig().toString(), "--timeout", "0.5");
        } finally {
            System.setErr(old);
        }
        assertEquals(1, rc);
        assertTrue(captured.toString().contains("error: no LSL stream named"), captured.toString());
    }
}
