package io.mindstream.cli.options;

import io.mindstream.runtime.kafka.KafkaAdminException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command that only looks ({@code topics}) says there is no broker; it never starts one or creates anything. */
class LookOnlyBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void noBrokerRunningIsSaidAndNothingIsStartedOrCreated() throws Exception {
        int port;
        int controllerPort;
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = a.getLocalPort();
            controllerPort = b.getLocalPort();
        }
        Path data = tmp.resolve("kafka");
        BrokerOptions options = BrokerOptions.of(null, data, false).embeddedPorts(port, controllerPort);
        KafkaAdminException e = assertThrows(KafkaAdminException.class, options::openExisting);
        assertTrue(e.getMessage().startsWith("no Kafka broker: nothing listens at 127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("./mindstream kafka") && e.getMessage().contains("--bootstrap-servers"),
                "says what to do: " + e.getMessage());
        assertFalse(Files.exists(data), "no broker was started on " + data);
        try (ServerSocket stillFree = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(stillFree.isBound(), "nothing listens at the embedded address afterwards");
        }
    }
}
