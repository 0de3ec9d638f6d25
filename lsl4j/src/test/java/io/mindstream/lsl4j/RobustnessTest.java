package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz/property suite: malformed discovery datagrams, handshake headers and sample streams thrown at outlet and
 * inlet. Each property checks that nothing crashes or hangs (every exchange ends within a bounded time), that no
 * unbounded allocation happens (oversized lengths are refused before allocating), and that the outlet keeps
 * serving well-formed clients afterwards. The inputs come from fixed-seed generators ({@link RandomInputs}); each
 * case's name carries its seed and index.
 */
class RobustnessTest {
    private static LslConfig cfg;
    private static StreamOutlet outlet;
    private static final String NAME = TestSupport.unique("fuzz");

    static synchronized StreamOutlet outlet() {
        if (outlet == null) {
            cfg = TestSupport.isolatedConfig(8);
            outlet = new StreamOutlet(new StreamInfo(NAME, "EEG", 3, 100, ChannelFormat.FLOAT32, NAME), 0, 10, cfg);
        }
        return outlet;
    }

    @AfterAll
    static void closeOutlet() {
        if (outlet != null) outlet.close();
    }

    // ------------------------------------------------------------------ datagrams

    static final int DATAGRAM_CASES = 150;

    /** Random bytes, mutated/truncated shortinfo queries, mutated time probes, and fixed bad queries. */
    static Stream<Arguments> datagrams() {
        RandomInputs in = new RandomInputs(0xDA7A_6A4L);
        List<String> badQueries = List.of("LSL:shortinfo\r\nname='x' and (((\r\n1 a\r\n",
                "LSL:shortinfo\r\n" + "(".repeat(5000) + "\r\n9 b\r\n", "LSL:shortinfo\r\n\r\n\r\n",
                "LSL:timedata\r\n\r\n", "LSL:timedata", "LSL:shortinfo");
        return IntStream.rangeClosed(1, DATAGRAM_CASES).mapToObj(i -> {
            String kind;
            byte[] b;
            switch (in.between(0, 3)) {
                case 0 -> {
                    kind = "random bytes";
                    b = in.bytes(0, 2048);
                }
                case 1 -> {
                    kind = "mutated shortinfo query";
                    String m = "LSL:shortinfo\r\n" + in.string(0, 300) + "\r\n" + in.between(-5, 200000) + " "
                            + in.string(0, 300) + "\r\n";
                    byte[] full = m.getBytes(StandardCharsets.UTF_8);
                    b = java.util.Arrays.copyOf(full, Math.min(full.length, in.between(0, 400)));
                }
                case 2 -> {
                    kind = "mutated time probe";
                    b = ("LSL:timedata\r\n" + in.string(0, 300) + " " + in.string(0, 300) + "\r\n")
                            .getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    kind = "bad query";
                    b = in.pick(badQueries).getBytes(StandardCharsets.UTF_8);
                }
            }
            return Arguments.of(in.caseName(i, DATAGRAM_CASES, kind + ", " + b.length + " bytes"), b);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datagrams")
    void malformedDatagramsNeitherCrashNorSilenceTheOutlet(String caseName, byte[] junk) {
        RandomInputs.check(caseName, () -> {
            StreamOutlet o = outlet();
            try (DatagramSocket ds = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                InetAddress lo = InetAddress.getLoopbackAddress();
                ds.send(new DatagramPacket(junk, junk.length, lo, o.info().v4servicePort()));
                ds.send(new DatagramPacket(junk, junk.length, lo, cfg.multicastPort()));
                // a well-formed query is still answered
                ds.setSoTimeout(3000);
                byte[] q = ("LSL:shortinfo\r\nname='" + NAME + "'\r\n" + ds.getLocalPort() + " ok\r\n").getBytes(StandardCharsets.US_ASCII);
                ds.send(new DatagramPacket(q, q.length, lo, o.info().v4servicePort()));
                DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                try {
                    while (true) {
                        ds.receive(p);
                        String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                        if (r.startsWith("ok\r\n")) break;
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the outlet stopped answering well-formed queries after this datagram", e);
                }
            }
        });
    }

    // ------------------------------------------------------------------ handshake headers

    static final int HANDSHAKE_CASES = 120;

    /**
     * A first line (streamfeed with junk, a fixed odd request line, or junk) and up to 12 headers (known keys and
     * "X", junk or edge-case values), truncated at 0..2000 bytes.
     */
    static Stream<Arguments> handshakes() {
        RandomInputs in = new RandomInputs(0x4A4D_5A4EL);
        List<String> keys = List.of("Native-Byte-Order", "Endian-Performance", "Has-IEEE754-Floats",
                "Supports-Subnormals", "Value-Size", "Max-Buffer-Length", "Max-Chunk-Length", "Protocol-Version", "X");
        List<String> values = List.of("-1", "0", "1", "4", "4321", "99999999999", "nan", "1e400", "", "2147483648");
        List<String> firstLines = List.of("LSL:streamfeed/110", "LSL:streamfeed/110 " + "z".repeat(100),
                "LSL:streamfeed", "LSL:fullinfo", "LSL:shortinfo", "LSL:streamfeed/abc", "LSL:streamfeed/99999999999");
        return IntStream.rangeClosed(1, HANDSHAKE_CASES).mapToObj(i -> {
            String first = switch (in.between(0, 2)) {
                case 0 -> "LSL:streamfeed/" + in.string(0, 200);
                case 1 -> in.pick(firstLines);
                default -> in.string(0, 200);
            };
            List<String> headers = in.list(12, () -> in.pick(keys) + ": "
                    + (in.percent(50) ? in.string(0, 200) : in.pick(values)) + "\r\n");
            byte[] full = (first + "\r\n" + String.join("", headers) + "\r\n").getBytes(StandardCharsets.UTF_8);
            int cut = Math.min(full.length, in.between(0, 2000));
            byte[] b = java.util.Arrays.copyOf(full, cut);
            String line = RandomInputs.escape(first.length() > 40 ? first.substring(0, 40) + "..." : first);
            return Arguments.of(in.caseName(i, HANDSHAKE_CASES, "\"" + line + "\" + " + headers.size() + " headers, "
                    + cut + "/" + full.length + " bytes sent"), b);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handshakes")
    void malformedHandshakesEndCleanly(String caseName, byte[] request) {
        RandomInputs.check(caseName, () -> {
            StreamOutlet o = outlet();
            try (Socket s = new Socket("127.0.0.1", o.info().v4dataPort())) {
                s.setSoTimeout(DataServer.HANDSHAKE_TIMEOUT_MS + 3000);
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                s.shutdownOutput();
                // Whatever was sent, the server answers and/or closes; it never leaves us hanging. A request that
                // happens to be a valid feed request keeps streaming: then we just stop reading after the response.
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                int total = 0;
                while (total < 1 << 20) {
                    int n = in.read(buf);
                    if (n < 0) break;
                    total += n;
                    if (new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("200 OK")) break;
                }
            }
            assertTrue(wellFormedClientStillServed(o), "a well-formed fullinfo request is still served");
        });
    }

    private static boolean wellFormedClientStillServed(StreamOutlet o) throws Exception {
        try (Socket s = new Socket("127.0.0.1", o.info().v4dataPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("LSL:fullinfo\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains(NAME);
        }
    }

    @Test
    void slowClientsThatNeverFinishAreDroppedAndDoNotBlockOthers() throws Exception {
        StreamOutlet o = outlet();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket("127.0.0.1", o.info().v4dataPort());
                s.getOutputStream().write("LSL:streamfeed/110 ".getBytes(StandardCharsets.US_ASCII));
                s.setSoTimeout(DataServer.HANDSHAKE_TIMEOUT_MS + 5000);
                slow.add(s);
            }
            StreamInfo si = new Resolver(cfg).byProperty("name", NAME, 1, 5).get(0);
            try (StreamInlet in = new StreamInlet(si, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), cfg)) {
                in.open(5);
                assertTrue(o.waitForConsumers(5));
                o.pushSample(new float[] {1, 2, 3}, 5.0);
                float[] v = new float[3];
                assertEquals(5.0, in.pullSample(v, 5));
                assertArrayEquals(new float[] {1, 2, 3}, v);
            }
            for (Socket s : slow) {
                try {
                    assertEquals(-1, s.getInputStream().read(), "slow client was closed without a response");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a client that never finished its handshake was kept open", e);
                }
            }
        } finally {
            for (Socket s : slow) s.close();
        }
    }

    // ------------------------------------------------------------------ sample streams at the inlet

    enum Damage { RANDOM, TRUNCATE, BAD_TAG, OVERSIZED_STRING, WRONG_TEST_PATTERN, BAD_STATUS, BAD_LENGTH_WIDTH }

    static final int CORRUPT_STREAM_CASES = 60;

    /** A damage kind, 0..4096 random bytes, a cut/size parameter 0..400, float32 or string. */
    static Stream<Arguments> corruptStreams() {
        RandomInputs in = new RandomInputs(0xC0_4417L);
        return IntStream.rangeClosed(1, CORRUPT_STREAM_CASES).mapToObj(i -> {
            Damage d = in.pick(Damage.values());
            byte[] random = in.bytes(0, 4096);
            int cut = in.between(0, 400);
            ChannelFormat f = in.pick(ChannelFormat.FLOAT32, ChannelFormat.STRING);
            byte[] spec = corrupt(d, random, cut, f);
            return Arguments.of(in.caseName(i, CORRUPT_STREAM_CASES, d + " " + f + ", " + random.length
                    + " random bytes, cut " + cut + ", " + (spec.length - 1) + " bytes served"), spec);
        });
    }

    /** Encodes {format tag, payload}: first byte 0 = float32 stream, 1 = string stream. */
    private static byte[] corrupt(Damage d, byte[] random, int cut, ChannelFormat f) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(f == ChannelFormat.STRING ? 1 : 0);
        if (d == Damage.BAD_STATUS) {
            o.writeBytes(random.length > 0 ? random : "LSL/110 500\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return o.toByteArray();
        }
        o.writeBytes(FakeOutlet.okHeader());
        if (d == Damage.WRONG_TEST_PATTERN) {
            byte[] p = Wire.testPattern(f, 2, 4);
            p[p.length - 1] ^= 1;
            o.writeBytes(p);
            o.writeBytes(Wire.testPattern(f, 2, 2));
            return o.toByteArray();
        }
        o.writeBytes(Wire.testPattern(f, 2, 4));
        o.writeBytes(Wire.testPattern(f, 2, 2));
        SampleWriter w = new SampleWriter(f, 2);
        for (int s = 0; s < 5; s++) {
            w.begin(s == 0 ? 1.0 : Wire.DEDUCED_TIMESTAMP);
            w.putString("7");
            w.putString("8");
            o.write(w.buffer(), 0, w.length());
        }
        switch (d) {
            case RANDOM -> o.writeBytes(random);
            case TRUNCATE -> {
                byte[] all = o.toByteArray();
                o.reset();
                o.write(all, 0, Math.min(all.length, 1 + FakeOutlet.okHeader().length + cut));
            }
            case BAD_TAG -> o.write(3 + (cut % 250));
            case OVERSIZED_STRING -> {
                o.write(2);
                o.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(2.0).array());
                o.write(8);
                o.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40 | cut).array());
            }
            case BAD_LENGTH_WIDTH -> {
                o.write(1);
                o.write(3);
            }
            default -> { }
        }
        return o.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptStreams")
    void corruptSampleStreamsEndInLossNotInACrashOrHang(String caseName, byte[] spec) {
        RandomInputs.check(caseName, () -> {
            ChannelFormat f = spec[0] == 1 ? ChannelFormat.STRING : ChannelFormat.FLOAT32;
            byte[] payload = java.util.Arrays.copyOfRange(spec, 1, spec.length);
            try (FakeOutlet fake = new FakeOutlet(payload, 0);
                 StreamInlet in = new StreamInlet(fake.info(f, 2), 10, 0, false, EnumSet.noneOf(ProcessingFlag.class),
                         LslConfig.defaults())) {
                String[] v = new String[2];
                // Every outcome is bounded: valid samples are returned, then the loss is reported.
                LostStreamException lost = assertThrows(LostStreamException.class, () -> {
                    for (int i = 0; i < 100; i++) {
                        if (in.pullSample(v, 15) == 0.0) throw new AssertionError("inlet hung without reporting the loss");
                    }
                });
                assertTrue(lost.getMessage().contains("fake"), lost.getMessage());
            }
        });
    }

    @Test
    void wrongTestPatternIsRefusedAtOpen() throws Exception {
        byte[] p = Wire.testPattern(ChannelFormat.FLOAT32, 2, 4);
        p[10] ^= 0x40;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(FakeOutlet.okHeader());
        o.writeBytes(p);
        o.writeBytes(Wire.testPattern(ChannelFormat.FLOAT32, 2, 2));
        try (FakeOutlet fake = new FakeOutlet(o.toByteArray(), 3000);
             StreamInlet in = new StreamInlet(fake.info(ChannelFormat.FLOAT32, 2), 10, 0, false,
                     EnumSet.noneOf(ProcessingFlag.class), LslConfig.defaults())) {
            LostStreamException e = assertThrows(LostStreamException.class, () -> in.open(10));
            assertTrue(e.getMessage().contains("test-pattern"), e.getMessage());
        }
    }

    @Test
    void absurdAnnouncedChannelCountIsRefusedBeforeAllocating() throws Exception {
        try (FakeOutlet fake = new FakeOutlet(new byte[0], 0)) {
            StreamInfo huge = fake.info(ChannelFormat.DOUBLE64, 100_000_000);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new StreamInlet(huge, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), LslConfig.defaults()));
            assertTrue(e.getMessage().contains("100000000 channels"), e.getMessage());
            // a wide but sane stream (30 000 channels) opens without preallocating its whole buffer
            new StreamInlet(fake.info(ChannelFormat.DOUBLE64, 30_000), 360, 0, false, EnumSet.noneOf(ProcessingFlag.class),
                    LslConfig.defaults()).close();
        }
    }

    // ------------------------------------------------------------------ resolver against bogus replies

    @Test
    void resolverIgnoresBogusReplies() throws Exception {
        StreamOutlet o = outlet();
        // a bogus responder inside the KnownPeers range that answers every query with junk
        DatagramSocket bogus = Net.bindUdpInRange(cfg);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                while (true) {
                    p.setLength(buf.length);
                    bogus.receive(p);
                    String[] lines = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).split("\r\n");
                    String[] tok = lines[2].split(" ");
                    InetSocketAddress back = new InetSocketAddress(p.getAddress(), Integer.parseInt(tok[0]));
                    for (String junk : new String[] {tok[1] + "\r\n<info><name>", tok[1] + "\r\nnot xml", "wrong-id\r\n" + o.info().toShortXml(),
                            tok[1] + "\r\n" + o.info().toShortXml().replace(o.info().uid(), ""), tok[1]}) {
                        byte[] b = junk.getBytes(StandardCharsets.UTF_8);
                        bogus.send(new DatagramPacket(b, b.length, back));
                    }
                }
            } catch (Exception e) {
                // closed
            }
        });
        t.setDaemon(true);
        t.start();
        try {
            List<StreamInfo> found = new Resolver(cfg).byProperty("name", NAME, 1, 5);
            assertEquals(1, found.size());
            assertEquals(o.info().uid(), found.get(0).uid());
        } finally {
            bogus.close();
        }
    }
}
