package io.mindstream.benchmarks.lsl;

import io.mindstream.lsl4j.LslClock;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated per chunk, per thread, on the real-time paced path (one 10-sample chunk of 306 ch float32 every
 * 10 ms, pushed and pulled): the JMH {@code latency} benchmark's {@code -prof gc} figure also counts JMH's
 * per-invocation machinery, this counts only our threads (ThreadMXBean allocated bytes after a warm-up).
 * Run: {@code java -cp <classpath> io.mindstream.benchmarks.lsl.LslPacedAllocation [chunks=1500]}.
 */
public final class LslPacedAllocation {
    public static void main(String[] args) throws Exception {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        int warmup = 500;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (LoopbackStream s = new LoopbackStream()) {
            Map<Long, Long> before = new HashMap<>();
            double next = LslClock.localClock();
            for (int i = 0; i < warmup + measured; i++) {
                if (i == warmup) snapshot(threads, before);
                next += LoopbackStream.CHUNK / LoopbackStream.RATE;
                double wait = next - LslClock.localClock();
                if (wait > 0) Thread.sleep((long) (wait * 1000));
                s.outlet.pushChunk(s.chunk);
                s.pull(LoopbackStream.CHUNK);
            }
            Map<Long, Long> after = new HashMap<>();
            snapshot(threads, after);
            long total = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                Long b = before.get(t.getId());
                Long e = after.get(t.getId());
                if (b == null || e == null || e - b <= 0) continue;
                total += e - b;
                System.out.printf("%-40s %10d B  %8.2f B/chunk%n", t.getName(), e - b, (e - b) / (double) measured);
            }
            System.out.printf("all threads: %.2f B per chunk, %.3f B per sample over %d chunks%n",
                    total / (double) measured, total / (double) measured / LoopbackStream.CHUNK, measured);
        }
    }

    private static void snapshot(com.sun.management.ThreadMXBean threads, Map<Long, Long> into) {
        for (long id : threads.getAllThreadIds()) into.put(id, threads.getThreadAllocatedBytes(id));
    }
}
