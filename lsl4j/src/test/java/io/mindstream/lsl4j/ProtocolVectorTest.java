package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Byte-for-byte protocol vectors from lsl-protocol.md (handshakes, test patterns, sample encodings, UDP). */
class ProtocolVectorTest {
    static final String LIBLSL_REQUEST_HEADERS = "Native-Byte-Order: 1234\r\nEndian-Performance: 3.18566e+06\r\n"
            + "Has-IEEE754-Floats: 1\r\nSupports-Subnormals: 1\r\nValue-Size: 4\r\nData-Protocol-Version: 110\r\n"
            + "Max-Buffer-Length: 18000\r\nMax-Chunk-Length: 0\r\nHostname: h\r\nSource-Id: s\r\nSession-Id: default\r\n\r\n";

    static byte[] le(double ts) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(ts).array();
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    @Test
    void testPatternsMatchTheDocumentedValues() {
        // float32, 8 channels: 4,-5,...,-11 then 2,-3,...,-9
        ByteBuffer b = ByteBuffer.wrap(Wire.testPattern(ChannelFormat.FLOAT32, 8, 4)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, b.get());
        assertEquals(123456.789, b.getDouble());
        float[] exp4 = {4, -5, 6, -7, 8, -9, 10, -11};
        for (float f : exp4) assertEquals(f, b.getFloat());
        b = ByteBuffer.wrap(Wire.testPattern(ChannelFormat.FLOAT32, 8, 2)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(9);
        for (float f : new float[] {2, -3, 4, -5, 6, -7, 8, -9}) assertEquals(f, b.getFloat());
        // int16: 261 / 259 on channel 0; int64 2147483653 / 2147483651; strings "10", "-11"
        assertEquals(261, ByteBuffer.wrap(Wire.testPattern(ChannelFormat.INT16, 2, 4)).order(ByteOrder.LITTLE_ENDIAN).getShort(9));
        assertEquals(-262, ByteBuffer.wrap(Wire.testPattern(ChannelFormat.INT16, 2, 4)).order(ByteOrder.LITTLE_ENDIAN).getShort(11));
        assertEquals(259, ByteBuffer.wrap(Wire.testPattern(ChannelFormat.INT16, 2, 2)).order(ByteOrder.LITTLE_ENDIAN).getShort(9));
        assertEquals(2147483653L, ByteBuffer.wrap(Wire.testPattern(ChannelFormat.INT64, 1, 4)).order(ByteOrder.LITTLE_ENDIAN).getLong(9));
        assertEquals(2147483651L, ByteBuffer.wrap(Wire.testPattern(ChannelFormat.INT64, 1, 2)).order(ByteOrder.LITTLE_ENDIAN).getLong(9));
        assertEquals(16777221.0, ByteBuffer.wrap(Wire.testPattern(ChannelFormat.DOUBLE64, 1, 4)).order(ByteOrder.LITTLE_ENDIAN).getDouble(9));
        assertEquals(65541, ByteBuffer.wrap(Wire.testPattern(ChannelFormat.INT32, 1, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt(9));
        assertEquals(5, Wire.testPattern(ChannelFormat.INT8, 1, 4)[9]);
        assertEquals(-6, Wire.testPattern(ChannelFormat.INT8, 2, 4)[10]);
        assertArrayEquals(cat(new byte[] {2}, le(123456.789), new byte[] {1, 2, '1', '0', 1, 3, '-', '1', '1'}),
                Wire.testPattern(ChannelFormat.STRING, 2, 4));
        // the doc's float32 1-channel vector: 02 <ts> 00 00 80 40
        assertArrayEquals(cat(new byte[] {2}, le(123456.789), HexFormat.of().parseHex("00008040")),
                Wire.testPattern(ChannelFormat.FLOAT32, 1, 4));
    }

    @Test
    void int8TestPatternWrapsModulo127() {
        // k + offset + 1 modulo 127: channel 122 with offset 4 -> 127 % 127 = 0
        byte[] p = Wire.testPattern(ChannelFormat.INT8, 130, 4);
        assertEquals(0, p[9 + 122]);
        assertEquals(-1, p[9 + 123]);
    }

    @Test
    void outletHandshakeResponseAndSampleEncodingAreByteExact() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(4);
        String name = TestSupport.unique("vec");
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "EEG", 2, 100, ChannelFormat.FLOAT32, "src"), 0, 10, cfg);
             Socket s = new Socket("127.0.0.1", out.info().v4dataPort())) {
            s.setSoTimeout(5000);
            OutputStream os = s.getOutputStream();
            os.write(("LSL:streamfeed/110 " + out.info().uid() + "\r\n" + LIBLSL_REQUEST_HEADERS).getBytes(StandardCharsets.US_ASCII));
            os.flush();
            String expectedHeader = "LSL/110 200 OK\r\nUID: " + out.info().uid() + "\r\nByte-Order: 1234\r\n"
                    + "Suppress-Subnormals: 0\r\nData-Protocol-Version: 110\r\n\r\n";
            byte[] expected = cat(expectedHeader.getBytes(StandardCharsets.US_ASCII),
                    Wire.testPattern(ChannelFormat.FLOAT32, 2, 4), Wire.testPattern(ChannelFormat.FLOAT32, 2, 2));
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] got = new byte[expected.length];
            in.readFully(got);
            assertEquals(new String(expected, StandardCharsets.ISO_8859_1), new String(got, StandardCharsets.ISO_8859_1));
            assertArrayEquals(expected, got);
            assertTrue(out.waitForConsumers(5));
            out.pushSample(new float[] {1.5f, -2f}, 42.25);
            out.pushChunk(new float[] {1, 2, 3, 4, 5, 6}, 10.0);
            byte[] sample = cat(new byte[] {2}, le(42.25), HexFormat.of().parseHex("0000c03f000000c0"));
            byte[] chunk = cat(new byte[] {2}, le(10.0 - 2 / 100.0), HexFormat.of().parseHex("0000803f00000040"),
                    new byte[] {1}, HexFormat.of().parseHex("0000404000008040"),
                    new byte[] {1}, HexFormat.of().parseHex("0000a0400000c040"));
            byte[] want = cat(sample, chunk);
            byte[] data = new byte[want.length];
            in.readFully(data);
            assertArrayEquals(want, data);
        }
    }

    private static String exchange(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void outletRefusalsAndInfoRequests() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(4);
        String name = TestSupport.unique("vec-refuse");
        StreamInfo info = new StreamInfo(name, "EEG", 2, 100, ChannelFormat.FLOAT32, "src");
        info.desc().appendChildValue("manufacturer", "mindstream");
        try (StreamOutlet out = new StreamOutlet(info, 0, 10, cfg)) {
            int port = out.info().v4dataPort();
            assertEquals("LSL/110 404 Not found", exchange(port, "LSL:streamfeed/110 not-our-uid\r\n" + LIBLSL_REQUEST_HEADERS));
            assertEquals("LSL/110 505 Version not supported", exchange(port, "LSL:streamfeed/200 " + out.info().uid() + "\r\n\r\n"));
            assertEquals("LSL/110 505 Version not supported", exchange(port, "LSL:streamfeed\r\n360 0\r\n"));
            assertEquals("LSL/110 505 Version not supported",
                    exchange(port, "LSL:streamfeed/110\r\nValue-Size: 8\r\n\r\n"), "value size mismatch needs 1.00");
            assertEquals("LSL/110 505 Version not supported",
                    exchange(port, "LSL:streamfeed/110\r\nHas-IEEE754-Floats: true\r\n\r\n"), "only '1' is true");
            String sub = exchange(port, "LSL:streamfeed/110\r\nSupports-Subnormals: 0\r\nMax-Buffer-Length: 0\r\n\r\n");
            assertTrue(sub.startsWith("LSL/110 200 OK\r\n") && sub.contains("Suppress-Subnormals: 1\r\n"), sub);
            // Max-Buffer-Length 0: response + two test patterns, then the server closes
            byte[] closed = exchange(port, "LSL:streamfeed/110\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            assertTrue(closed.length > 0);
            assertEquals(out.info().toXml(), exchange(port, "LSL:fullinfo\r\n"));
            assertTrue(out.info().toXml().contains("<manufacturer>mindstream</manufacturer>"));
            assertEquals(out.info().toShortXml(), exchange(port, "LSL:shortinfo\r\nname='" + name + "'\r\n"));
            assertEquals("", exchange(port, "LSL:shortinfo\r\nname='other'\r\n"));
            assertEquals("", exchange(port, "GET / HTTP/1.0\r\n\r\n"));
        }
    }

    @Test
    void udpShortinfoQueryAndTimeProbeReplies() throws Exception {
        LslConfig cfg = TestSupport.isolatedConfig(4);
        String name = TestSupport.unique("vec-udp");
        try (StreamOutlet out = new StreamOutlet(new StreamInfo(name, "EEG", 2, 100, ChannelFormat.FLOAT32, "src"), 0, 10, cfg);
             DatagramSocket ds = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ds.setSoTimeout(5000);
            InetSocketAddress svc = new InetSocketAddress(InetAddress.getLoopbackAddress(), out.info().v4servicePort());
            byte[] q = ("LSL:shortinfo\r\nsession_id='default' and name='" + name + "'\r\n" + ds.getLocalPort() + " 4242\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            ds.send(new DatagramPacket(q, q.length, svc));
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            ds.receive(p);
            String reply = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            assertEquals("4242\r\n" + out.info().toShortXml(), reply);
            StreamInfo parsed = StreamInfo.fromXml(reply.substring(reply.indexOf('\n') + 1));
            assertEquals("", parsed.v4address(), "the outlet leaves v4address empty");
            assertTrue(reply.contains("\t<desc />\n"));
            double t0 = LslClock.localClock();
            byte[] probe = ("LSL:timedata\r\n77 " + t0 + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ds.send(new DatagramPacket(probe, probe.length, svc));
            ds.receive(p);
            String tr = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            assertTrue(tr.startsWith(" 77 " + t0 + " "), tr);
            String[] tok = tr.strip().split(" ");
            assertEquals(4, tok.length);
            double t1 = Double.parseDouble(tok[2]);
            double t2 = Double.parseDouble(tok[3]);
            assertTrue(t1 >= t0 && t2 >= t1 && t2 <= LslClock.localClock(), tr);
        }
    }

    /**
     * The inlet's request carries liblsl's headers, and the inlet obeys {@code Byte-Order: 4321}: a fake outlet
     * answers in big-endian (test patterns, timestamps, values, string lengths) and the inlet decodes it.
     */
    @Test
    void inletSendsTheRequestHeadersAndObeysBigEndianByteOrder() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String uid = "0a1b2c3d-0000-4000-8000-000000000001";
            AtomicReference<String> request = new AtomicReference<>();
            Thread fake = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder sb = new StringBuilder();
                    while (!sb.toString().endsWith("\r\n\r\n")) sb.append((char) in.read());
                    request.set(sb.toString());
                    OutputStream o = s.getOutputStream();
                    o.write(("LSL/110 200 OK\r\nUID: " + uid + "\r\nByte-Order: 4321\r\nSuppress-Subnormals: 0\r\n"
                            + "Data-Protocol-Version: 110\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (int off : new int[] {4, 2}) o.write(bigEndianSample(123456.789, 3 + off - 4 + 1, off));
                    o.write(bigEndianSample(77.5, 0, 0));
                    o.flush();
                    Thread.sleep(2000);
                } catch (Exception e) {
                    request.compareAndSet(null, "fake outlet failed: " + e);
                }
            });
            fake.setDaemon(true);
            fake.start();
            StreamInfo info = StreamInfo.fromXml("<?xml version=\"1.0\"?><info><name>be</name><type>T</type>"
                    + "<channel_count>2</channel_count><channel_format>int16</channel_format><source_id>x</source_id>"
                    + "<nominal_srate>50</nominal_srate><version>1.1</version><created_at>1</created_at><uid>" + uid
                    + "</uid><session_id>default</session_id><hostname>h</hostname><v4address>127.0.0.1</v4address>"
                    + "<v4data_port>" + server.getLocalPort() + "</v4data_port><v4service_port>0</v4service_port>"
                    + "<v6address></v6address><v6data_port>0</v6data_port><v6service_port>0</v6service_port><desc/></info>");
            try (StreamInlet in = new StreamInlet(info, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), LslConfig.defaults())) {
                short[] v = new short[2];
                double ts = in.pullSample(v, 5);
                assertEquals(77.5, ts);
                assertArrayEquals(new short[] {300, -301}, v);
            }
            String req = request.get();
            assertTrue(req.startsWith("LSL:streamfeed/110 " + uid + "\r\n"), req);
            for (String h : new String[] {"Native-Byte-Order: 1234\r\n", "Has-IEEE754-Floats: 1\r\n", "Supports-Subnormals: 1\r\n",
                    "Value-Size: 2\r\n", "Data-Protocol-Version: 110\r\n", "Max-Buffer-Length: 500\r\n", "Max-Chunk-Length: 0\r\n",
                    "Source-Id: x\r\n", "Session-Id: default\r\n"}) {
                assertTrue(req.contains(h), "request lacks " + h.strip() + ": " + req);
            }
        }
    }

    /** int16 2-channel sample in big-endian: test pattern {@code offset} (4 or 2), or data 300/-301 when 0. */
    private static byte[] bigEndianSample(double ts, int unused, int offset) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 2).putDouble(ts);
        if (offset == 0) b.putShort((short) 300).putShort((short) -301);
        else b.putShort((short) (offset + 257)).putShort((short) -(offset + 258));
        return b.array();
    }
}
