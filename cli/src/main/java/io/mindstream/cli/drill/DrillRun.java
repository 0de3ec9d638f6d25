package io.mindstream.cli.drill;

import io.mindstream.cli.launch.StageProcess;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.processor.ProcessorConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One fault drill, end to end: the pipeline as separate processes on a fresh broker (kafka, simulate, ingest,
 * process, decode, display), the fault injected with SIGKILL mid-session, the session played to its end and drained,
 * then {@link SessionAudit} over what is stored. Everything lives under one directory, logs included.
 */
final class DrillRun {

    private static final String PROCESSOR_GROUP = "mindstream-processor";
    private static final String DECODER_GROUP = "mindstream-decoder";

    /** A drill's outcome; {@code pageRecoverySeconds}/{@code pageMissed} only for the display drill (else NaN/0). */
    record Result(Fault fault, SessionAudit.Report report, double pageRecoverySeconds, int pageMissed, Path dir) {
        boolean clean() {
            return report.clean() && pageMissed == 0;
        }
    }

    private final Fault fault;
    private final Path dir;
    private final PrintWriter out;

    DrillRun(Fault fault, Path dir, PrintWriter out) {
        this.fault = fault;
        this.dir = dir;
        this.out = out;
    }

    Result run() throws Exception {
        Files.createDirectories(dir);
        String uid = UUID.randomUUID().toString().substring(0, 8);
        String session = "drill-" + fault.name() + "-" + uid;
        int brokerPort = freePort();
        int controllerPort = freePort();
        int displayPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Path logs = dir.resolve("logs");
        Path truth = dir.resolve("simulation");
        Map<String, String> env = new HashMap<>();
        env.put("MINDSTREAM_DATA_DIR", dir.resolve("data").toString());
        env.put("OPT_OUT_TRACKING", "true");
        env.put("DJL_OFFLINE", "true");
        env.putIfAbsent("DJL_CACHE_DIR", System.getenv().getOrDefault("DJL_CACHE_DIR",
                dir.resolve("data").resolve("djl").toString()));
        String streams = "drill-" + uid;

        Map<String, StageProcess> stages = new LinkedHashMap<>();
        stages.put("kafka", new StageProcess("kafka", List.of("kafka", "--port", "" + brokerPort,
                "--controller-port", "" + controllerPort, "--data-dir", dir.resolve("kafka").toString()),
                logs, env, "1g"));
        stages.put("simulate", new StageProcess("simulate", List.of("simulate", "--seed", "1", "--concepts", "200",
                "--exemplars", "11", "--test-images", "200", "--test-repeats", "4", "--name", streams,
                "--source-id", streams, "--duration", "" + fault.sessionSeconds(), "--out", truth.toString(),
                "--wait-for-consumers", "120", "--progress", "0"), logs, env, "512m"));
        stages.put("process", new StageProcess("process", List.of("process", "--bootstrap-servers", bootstrap,
                "--state-dir", dir.resolve("processor-state").toString(), "--instance-id", "drill"),
                logs, env, "1g"));
        stages.put("decode", new StageProcess("decode", List.of("decode", "--bootstrap-servers", bootstrap,
                "--model", "demo", "--bank", truth.resolve("bank").toString(), "--candidates", "test",
                "--from-beginning", "--instance-id", "drill", "--lsl-name", streams + "-decoder"), logs, env, "1g"));
        stages.put("display", new StageProcess("display", List.of("display", "--bootstrap-servers", bootstrap,
                "--port", "" + displayPort, "--bank", truth.resolve("bank").toString(), "--candidates", "test",
                "--session", session), logs, env, "512m"));
        stages.put("ingest", new StageProcess("ingest", List.of("ingest", "--bootstrap-servers", bootstrap,
                "--session", session, "--source-id", streams + "-meg," + streams + "-markers",
                "--journal-dir", dir.resolve("journal").toString(), "--stats-interval", "10s", "--drain", "60s"),
                logs, env, "1g"));

        PageWatcher page = null;
        try {
            say("%s: %s (session %s, %s)", fault.name(), fault.description(), session, dir);
            stages.get("kafka").start();
            awaitBroker(bootstrap, 120);
            stages.get("simulate").start();
            awaitFile(truth.resolve("bank").resolve("bank.json"), 120, stages.get("simulate"));
            for (String s : List.of("process", "decode", "display", "ingest")) {
                stages.get(s).start();
            }
            page = new PageWatcher(displayPort);
            long sessionStart = awaitFirstRecord(bootstrap, 180);
            say("session started; fault at %.0f s of %.0f", fault.atSeconds(), fault.sessionSeconds());

            sleepUntil(sessionStart + (long) (fault.atSeconds() * 1000));
            long faultStart = TraceStamps.nowMicros();
            for (String s : fault.stages()) {
                stages.get(s).kill();
            }
            say("SIGKILL %s", fault.stages());
            Thread.sleep((long) (fault.downSeconds() * 1000));
            for (String s : fault.stages()) {
                stages.get(s).start();
            }
            if (fault.stages().contains("kafka")) {
                awaitBroker(bootstrap, 120); // back means answering again, not just started
            }
            long faultEnd = TraceStamps.nowMicros();
            page.watchFrom(faultEnd);
            say("%s back after %.1f s", fault.stages(), (faultEnd - faultStart) / 1e6);

            if (!stages.get("simulate").await((long) (fault.sessionSeconds() + 180))) {
                throw new IllegalStateException("the simulated session did not end (see " + stages.get("simulate")
                        .log() + ")");
            }
            // ingest stops the way a lab stops it: it forwards what is journaled and marks where each stream ends
            stages.get("ingest").stop(90);
            say("session over; ingest stopped; waiting for the processor and the decoder to drain");
            awaitDrained(bootstrap, 600);
            Thread.sleep(3000); // the display's feed and the page
            Files.write(logs.resolve("page-results.tsv"), page.arrivals());
            double pageRecovery = Double.NaN;
            if (fault.stages().contains("display") && page.firstLiveMicros() != Long.MAX_VALUE) {
                pageRecovery = (page.firstLiveMicros() - faultEnd) / 1e6;
            }
            for (String s : List.of("display", "decode", "process")) {
                stages.get(s).stop(30);
            }
            SessionAudit.Report report = new SessionAudit(bootstrap, session, dir.resolve("journal"), truth,
                    fault.sessionSeconds() - 1.0, ProcessorConfig.defaults()).audit(faultStart, faultEnd);
            int pageMissed = 0;
            if (fault.stages().contains("display")) {
                pageMissed = report.results() - Math.min(report.results(), page.seen().size());
            }
            return new Result(fault, report, pageRecovery, pageMissed, dir);
        } finally {
            if (page != null) {
                page.close();
            }
            List<StageProcess> reverse = new ArrayList<>(stages.values());
            java.util.Collections.reverse(reverse);
            for (StageProcess s : reverse) {
                s.close();
            }
        }
    }

    private void say(String fmt, Object... args) {
        out.printf("drill " + fmt + "%n", args);
        out.flush();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(io.mindstream.runtime.kafka.KafkaClients.admin(bootstrap));
    }

    private static void awaitBroker(String bootstrap, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (Admin a = admin(bootstrap)) {
            while (true) {
                try {
                    if (a.listTopics().names().get(5, TimeUnit.SECONDS).contains(Topics.RESULTS)) {
                        return;
                    }
                } catch (Exception e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker at " + bootstrap + " did not come up");
                }
                Thread.sleep(500);
            }
        }
    }

    private static void awaitFile(Path f, int seconds, StageProcess writer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(f)) {
            if (System.nanoTime() > deadline || !writer.alive()) {
                throw new IllegalStateException(f + " was not written (see " + writer.log() + ")");
            }
            Thread.sleep(200);
        }
    }

    /** Waits for the first MEG record on the broker: the session has begun (wall clock, ms). */
    private static long awaitFirstRecord(String bootstrap, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String meg = Topics.rawTopic(StreamKind.MEG);
        try (Admin a = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetSpec> q = new HashMap<>();
                for (var p : a.describeTopics(List.of(meg)).allTopicNames().get().get(meg).partitions()) {
                    q.put(new TopicPartition(meg, p.partition()), OffsetSpec.latest());
                }
                long total = 0;
                for (ListOffsetsResult.ListOffsetsResultInfo i : a.listOffsets(q).all().get().values()) {
                    total += i.offset();
                }
                if (total > 0) {
                    return System.currentTimeMillis();
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no MEG data reached Kafka within " + seconds + " s");
    }

    private static void sleepUntil(long wallMillis) throws InterruptedException {
        long wait = wallMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /**
     * Waits until the processor has committed every raw record and the decoder every epoch (their groups' committed
     * offsets equal the partitions' ends), three seconds in a row.
     */
    private void awaitDrained(String bootstrap, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int settled = 0;
        try (Admin a = admin(bootstrap)) {
            while (settled < 3) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the processor and decoder did not drain within " + seconds + " s");
                }
                long lag = lag(a, PROCESSOR_GROUP, List.of(Topics.rawTopic(StreamKind.MEG), Topics.MARKERS))
                        + lag(a, DECODER_GROUP, List.of(Topics.EPOCHS));
                settled = lag == 0 ? settled + 1 : 0;
                Thread.sleep(1000);
            }
        }
    }

    private static long lag(Admin a, String group, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        for (var d : a.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            d.partitions().forEach(p -> q.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        long lag = 0;
        for (var e : a.listOffsets(q).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }
}
