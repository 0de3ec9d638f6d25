package io.mindstream.lsl4j;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-made LSL "outlet" for robustness tests: accepts one connection, reads the request header block, then
 * writes whatever bytes the test gives it (a handshake, test patterns, samples or garbage) and closes.
 */
final class FakeOutlet implements AutoCloseable {
    static final String UID = "0a1b2c3d-0000-4000-8000-0000000000ff";
    final ServerSocket server;
    private final Thread thread;

    FakeOutlet(byte[] reply, long holdOpenMs) throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                StringBuilder sb = new StringBuilder();
                int b;
                while (!sb.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) sb.append((char) b);
                s.getOutputStream().write(reply);
                s.getOutputStream().flush();
                Thread.sleep(holdOpenMs);
            } catch (IOException | InterruptedException e) {
                // the inlet hung up: fine
            }
        }, "fake-outlet");
        thread.setDaemon(true);
        thread.start();
    }

    static byte[] okHeader() {
        return ("LSL/110 200 OK\r\nUID: " + UID + "\r\nByte-Order: 1234\r\nSuppress-Subnormals: 0\r\n"
                + "Data-Protocol-Version: 110\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    StreamInfo info(ChannelFormat f, int channels) {
        return StreamInfo.fromXml("<?xml version=\"1.0\"?><info><name>fake</name><type>T</type>"
                + "<channel_count>" + channels + "</channel_count><channel_format>" + f.lslName() + "</channel_format>"
                + "<source_id></source_id><nominal_srate>100</nominal_srate><version>1.1</version>"
                + "<created_at>1</created_at><uid>" + UID + "</uid><session_id>default</session_id><hostname>h</hostname>"
                + "<v4address>127.0.0.1</v4address><v4data_port>" + server.getLocalPort() + "</v4data_port>"
                + "<v4service_port>0</v4service_port><v6address></v6address><v6data_port>0</v6data_port>"
                + "<v6service_port>0</v6service_port><desc/></info>");
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
    }
}
