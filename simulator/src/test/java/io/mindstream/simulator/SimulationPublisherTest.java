package io.mindstream.simulator;

import io.mindstream.lsl4j.LostStreamException;
import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.ProcessingFlag;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outlet → inlet on loopback: the MEG samples, their timestamps, the desc and the markers arrive as generated. */
class SimulationPublisherTest {

    @Test
    void megAndMarkersArriveAsGeneratedWithScheduleTimestamps() throws Exception {
        LslConfig lsl = isolatedConfig(8);
        String name = "simtest-" + UUID.randomUUID().toString().substring(0, 8);
        SimulationConfig cfg = SimulationConfig.defaults(31).toBuilder().fmriVoxels(50).fmriTr(0.5).build();
        SimulatedSubject subject = new SimulatedSubject(cfg);
        double end = 3.6; // block marker at 2.0 s, first onset at 3.0 s, its offset at 3.5 s
        SimulationPublisher pub = new SimulationPublisher(subject,
                new SimulationPublisher.Options(name, name, 6.0, end, true, 12, 1.0), lsl);
        Resolver resolver = new Resolver(lsl);
        StreamInfo megInfo = resolver.byProperty("source_id", name + "-meg", 1, 10).get(0);
        StreamInfo mkInfo = resolver.byProperty("source_id", name + "-markers", 1, 10).get(0);
        StreamInfo fmriInfo = resolver.byProperty("source_id", name + "-fmri", 1, 10).get(0);
        assertEquals("MEG", megInfo.type());
        assertEquals("Markers", mkInfo.type());
        assertEquals("fMRI", fmriInfo.type());
        try (StreamInlet mk = new StreamInlet(mkInfo, 360, 0, false, EnumSet.noneOf(ProcessingFlag.class), lsl);
             StreamInlet fm = new StreamInlet(fmriInfo, 360, 0, false, EnumSet.noneOf(ProcessingFlag.class), lsl);
             StreamInlet meg = new StreamInlet(megInfo, 60, 0, false, EnumSet.noneOf(ProcessingFlag.class), lsl)) {
            mk.open(10);
            fm.open(10);
            meg.open(10);
            StreamInfo full = meg.info(10);
            assertEquals(272, full.channelCount());
            assertEquals("MLC11", full.desc().child("channels").child("channel").childValue("label"));
            assertEquals("fT", full.desc().child("channels").child("channel").childValue("unit"));
            assertTrue(full.desc().child("channels").child("channel").child("location").childValue("X").length() > 0);
            assertEquals(272, full.desc().child("channels").children("channel").size());

            CompletableFuture<SimulationPublisher.Summary> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return pub.run(new AtomicBoolean(), 10);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            int total = (int) Math.ceil(end * 1200);
            float[] got = new float[total * 272];
            double[] ts = new double[total];
            float[] one = new float[272 * 12];
            double[] t = new double[12];
            int n = 0;
            while (n < total) {
                int k = meg.pullChunk(one, t, 10);
                assertTrue(k > 0, "MEG stalled after " + n + " samples");
                System.arraycopy(one, 0, got, n * 272, k * 272);
                System.arraycopy(t, 0, ts, n, k);
                n += k;
            }
            SimulationPublisher.Summary sum = run.get(30, TimeUnit.SECONDS);
            assertEquals(total, sum.megSamples());
            float[] expected = new float[total * 272];
            new SimulatedSubject(cfg).generateMeg(0, total, expected);
            assertArrayEquals(expected, got);
            for (int i = 1; i < total; i++) {
                assertEquals(i / 1200.0, ts[i] - ts[0], 1e-9, "sample " + i + " stamped on the schedule");
            }
            List<String> labels = new ArrayList<>();
            List<Double> stamps = new ArrayList<>();
            String[] s = new String[1];
            double stamp;
            try {
                while ((stamp = mk.pullSample(s, 2)) != 0) {
                    labels.add(s[0]);
                    stamps.add(stamp);
                }
            } catch (LostStreamException e) {
                // the publisher closed its outlets after the last push; everything buffered was delivered first
            }
            List<MarkerEvent> sent = subject.markers().stream().filter(m -> m.seconds() < end).toList();
            assertEquals(sent.stream().map(MarkerEvent::label).toList(), labels);
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(sent.get(i).seconds(), stamps.get(i) - ts[0], 1e-9, labels.get(i));
            }
            assertTrue(labels.get(1).startsWith("onset image="), labels.toString());
            float[] vol = new float[50];
            int volumes = 0;
            try {
                while (fm.pullSample(vol, 2) != 0) {
                    float[] want = new float[50];
                    subject.generateFmri(volumes, want);
                    assertArrayEquals(want, vol, "volume " + volumes);
                    volumes++;
                }
            } catch (LostStreamException e) {
                // closed after the last volume
            }
            assertEquals(sum.fmriVolumes(), volumes);
            assertEquals(8, volumes); // t = 0, 0.5, …, 3.5 s
        }
    }

    /** A private port range with discovery confined to this machine: other people run LSL tests on this host. */
    static LslConfig isolatedConfig(int range) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 60000 - range);
            if (rangeFree(base - 1, range + 1)) {
                return LslConfig.parse("[ports]\nMulticastPort = " + (base - 1) + "\nBasePort = " + base
                        + "\nPortRange = " + range + "\nAllowRandomPorts = 0\n[multicast]\nResolveScope = machine\n"
                        + "[lab]\nKnownPeers = {127.0.0.1}\n[tuning]\nMulticastMinRTT = 0.2\nUnicastMinRTT = 0.2\n",
                        "simulator-test");
            }
        }
        throw new IllegalStateException("no free port range found");
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
