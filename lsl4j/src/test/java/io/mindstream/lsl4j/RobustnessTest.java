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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzz/property suite: malformed discovery datagrams, handshake headers and sample streams thrown at outlet and
 * inlet. Each property checks that nothing crashes or hangs (every exchange ends within a bounded time), that no
 * unbounded allocation happens (oversized lengths are refused before allocating), and that the outlet keeps
 * serving well-formed clients afterwards.
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

    @AfterContainer
    static void closeOutlet() {
        if (outlet != null) outlet.close();
    }

    // ------------------------------------------------------------------ datagrams

    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(2048);
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(300);
        Arbitrary<byte[]> mutatedQuery = Combinators.combine(text, Arbitraries.integers().between(-5, 200000), text,
                Arbitraries.integers().between(0, 400)).as((q, port, id, cut) -> {
                    String m = "LSL:shortinfo\r\n" + q + "\r\n" + port + " " + id + "\r\n";
                    byte[] b = m.getBytes(StandardCharsets.UTF_8);
                    return java.util.Arrays.copyOf(b, Math.min(b.length, cut));
                });
        Arbitrary<byte[]> mutatedProbe = Combinators.combine(text, text).as((w, t) ->
                ("LSL:timedata\r\n" + w + " " + t + "\r\n").getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> badXpath = Arbitraries.of("LSL:shortinfo\r\nname='x' and (((\r\n1 a\r\n",
                "LSL:shortinfo\r\n" + "(".repeat(5000) + "\r\n9 b\r\n", "LSL:shortinfo\r\n\r\n\r\n",
                "LSL:timedata\r\n\r\n", "LSL:timedata", "LSL:shortinfo").map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, mutatedQuery, mutatedProbe, badXpath);
    }

    @Property(tries = 150)
    void malformedDatagramsNeitherCrashNorSilenceTheOutlet(@ForAll("datagrams") byte[] junk) throws Exception {
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
            while (true) {
                ds.receive(p);
                String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                if (r.startsWith("ok\r\n")) break;
            }
        }
    }

    // ------------------------------------------------------------------ handshake headers

    @Provide
    Arbitrary<byte[]> handshakes() {
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> key = Arbitraries.of("Native-Byte-Order", "Endian-Performance", "Has-IEEE754-Floats",
                "Supports-Subnormals", "Value-Size", "Max-Buffer-Length", "Max-Chunk-Length", "Protocol-Version", "X");
        Arbitrary<String> value = Arbitraries.oneOf(junk, Arbitraries.of("-1", "0", "1", "4", "4321", "99999999999",
                "nan", "1e400", "", "2147483648"));
        Arbitrary<String> header = Combinators.combine(key, value).as((k, v) -> k + ": " + v + "\r\n");
        Arbitrary<String> first = Arbitraries.oneOf(junk.map(j -> "LSL:streamfeed/" + j),
                Arbitraries.of("LSL:streamfeed/110", "LSL:streamfeed/110 " + "z".repeat(100), "LSL:streamfeed",
                        "LSL:fullinfo", "LSL:shortinfo", "LSL:streamfeed/abc", "LSL:streamfeed/99999999999"), junk);
        Arbitrary<String> request = Combinators.combine(first, header.list().ofMaxSize(12))
                .as((f, hs) -> f + "\r\n" + String.join("", hs) + "\r\n");
        return Combinators.combine(request, Arbitraries.integers().between(0, 2000))
                .as((r, cut) -> {
                    byte[] b = r.getBytes(StandardCharsets.UTF_8);
                    return java.util.Arrays.copyOf(b, Math.min(b.length, cut));
                });
    }

    @Property(tries = 120)
    void malformedHandshakesEndCleanly(@ForAll("handshakes") byte[] request) throws Exception {
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
        assertTrue(wellFormedClientStillServed(o));
    }

    private static boolean wellFormedClientStillServed(StreamOutlet o) throws Exception {
        try (Socket s = new Socket("127.0.0.1", o.info().v4dataPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("LSL:fullinfo\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains(NAME);
        }
    }

    @Property(tries = 1)
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

    @Provide
    Arbitrary<byte[]> corruptStreams() {
        Arbitrary<Damage> damage = Arbitraries.of(Damage.class);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
        return Combinators.combine(damage, random, Arbitraries.integers().between(0, 400), Arbitraries.of(ChannelFormat.FLOAT32, ChannelFormat.STRING))
                .as((d, r, cut, f) -> corrupt(d, r, cut, f));
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

    @Property(tries = 60)
    void corruptSampleStreamsEndInLossNotInACrashOrHang(@ForAll("corruptStreams") byte[] spec) throws Exception {
        ChannelFormat f = spec[0] == 1 ? ChannelFormat.STRING : ChannelFormat.FLOAT32;
        byte[] payload = java.util.Arrays.copyOfRange(spec, 1, spec.length);
        try (FakeOutlet fake = new FakeOutlet(payload, 0);
             StreamInlet in = new StreamInlet(fake.info(f, 2), 10, 0, false, EnumSet.noneOf(ProcessingFlag.class),
                     LslConfig.defaults())) {
            String[] v = new String[2];
            int pulled = 0;
            // Every outcome is bounded: valid samples are returned, then the loss is reported.
            LostStreamException lost = assertThrows(LostStreamException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    if (in.pullSample(v, 15) == 0.0) throw new AssertionError("inlet hung without reporting the loss");
                }
            });
            assertTrue(lost.getMessage().contains("fake"), lost.getMessage());
            assertTrue(pulled <= 100);
        }
    }

    @Property(tries = 1)
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

    @net.jqwik.api.Example
    void absurdAnnouncedChannelCountIsRefusedBeforeAllocating() throws Exception {
        try (FakeOutlet fake = new FakeOutlet(new byte[0], 0)) {
            StreamInfo huge = fake.info(ChannelFormat.DOUBLE64, 100_000_000);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new StreamInlet(huge, 10, 0, false, EnumSet.noneOf(ProcessingFlag.class), LslConfig.defaults()));
            assertTrue(e.getMessage().contains("100000000 channels"), e.getMessage());
            // a wide but sane stream (30 000 channels) opens without preallocating its whole buffer
            new StreamInlet(fake.info(ChannelFormat.DOUBLE64, 30_000), 360, 0, false, EnumSet.noneOf(ProcessingFlag.class),
                    LslConfig.defaults()).close();
        }
    }

    // ------------------------------------------------------------------ resolver against bogus replies

    @Property(tries = 1)
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
