package io.mindstream.lsl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;

/** Per-consumer queues (bounded, drop oldest, counted), timestamp post-processing, problem logging. */
class BuffersTest {

    static final int QUEUE_CASES = 200;

    /** Queue capacity 1..50 and up to 300 samples of 1..40 bytes each. */
    static Stream<Arguments> queueLoads() {
        RandomInputs in = new RandomInputs(0xB0FFE25L);
        return IntStream.rangeClosed(1, QUEUE_CASES).mapToObj(i -> {
            int capacity = in.between(1, 50);
            List<Integer> lengths = in.list(300, () -> in.between(1, 40));
            return Arguments.of(in.caseName(i, QUEUE_CASES, "capacity " + capacity + ", " + lengths.size() + " samples"),
                    capacity, lengths);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queueLoads")
    void consumerQueueKeepsTheNewestSamplesInOrderAndCountsDrops(String caseName, int capacity, List<Integer> lengths) {
        RandomInputs.check(caseName, () -> {
            ConsumerQueue q = new ConsumerQueue(capacity, 40);
            List<byte[]> pushed = new ArrayList<>();
            for (int i = 0; i < lengths.size(); i++) {
                byte[] s = new byte[lengths.get(i)];
                ByteBuffer.wrap(s).put((byte) i);
                java.util.Arrays.fill(s, 1, s.length, (byte) (i * 7));
                pushed.add(s);
                q.offer(s, 0, s.length);
            }
            int keep = Math.min(capacity, pushed.size());
            assertEquals(pushed.size() - keep, q.dropped(), "dropped count");
            byte[] dst = new byte[64 * 1024];
            int n = q.drainTo(dst, 0);
            int expectedBytes = 0;
            List<byte[]> tail = pushed.subList(pushed.size() - keep, pushed.size());
            for (byte[] s : tail) expectedBytes += s.length;
            assertEquals(expectedBytes, Math.max(n, 0), "bytes drained");
            int o = 0;
            for (int i = 0; i < tail.size(); i++) {
                byte[] s = tail.get(i);
                assertEquals(ByteBuffer.wrap(s), ByteBuffer.wrap(dst, o, s.length), "kept sample " + i);
                o += s.length;
            }
        });
    }

    @Test
    void monotonizeAndClocksync() {
        TimePostprocessor p = new TimePostprocessor(EnumSet.of(ProcessingFlag.MONOTONIZE, ProcessingFlag.CLOCKSYNC), 100, 90);
        assertEquals(11.0, p.process(10.0, 1.0));
        assertEquals(11.0, p.process(9.5, 1.0));
        assertEquals(12.0, p.process(11.0, 1.0));
    }

    @Test
    void dejitterRemovesJitterFromARegularStream() {
        TimePostprocessor p = new TimePostprocessor(EnumSet.of(ProcessingFlag.DEJITTER), 100, 90);
        java.util.Random r = new java.util.Random(1);
        double rawErr = 0;
        double smoothErr = 0;
        for (int i = 0; i < 2000; i++) {
            double truth = 50 + i * 0.01;
            double raw = truth + (r.nextDouble() - 0.5) * 0.004;
            double out = p.process(raw, 0);
            if (i > 500) {
                rawErr += Math.abs(raw - truth);
                smoothErr += Math.abs(out - truth);
            }
        }
        assertTrue(smoothErr < rawErr / 5, "dejittered error " + smoothErr + " vs raw " + rawErr);
    }

    @Test
    void problemsAreLoggedOncePerPeerAndKind() {
        List<String> warnings = new ArrayList<>();
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("warn")) warnings.add(String.valueOf(args[0]) + java.util.Arrays.toString(
                            args.length > 1 && args[1] instanceof Object[] a ? a : new Object[0]));
                    return m.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
        ProblemLog pl = new ProblemLog(logger, "outlet 'x'");
        for (int i = 0; i < 5; i++) pl.report("10.0.0.1:1234", "bad-tag", "bad tag " + i);
        pl.report("10.0.0.2:1", "bad-tag", "bad tag");
        pl.report("10.0.0.1:9", "truncated", "short");
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("10.0.0.1:1234"), warnings.get(0));
    }
}
