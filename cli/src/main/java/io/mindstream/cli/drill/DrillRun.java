package io.mindstream.cli.drill;

import io.mindstream.cli.launch.KafkaCluster;
import io.mindstream.cli.launch.StageProcess;
import io.mindstream.contracts.StreamKind;
import io.mindstream.contracts.Topics;
import io.mindstream.contracts.TraceStamps;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.processor.ProcessorConfig;
import io.mindstream.runtime.InstanceIds;
import io.mindstream.runtime.kafka.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
 * One fault drill, end to end: the pipeline as separate processes (a Kafka cluster of {@link Layout#brokers()} nodes;
 * per session a simulated subject and an ingest; processor and decoder instances in their groups; the display), the
 * fault injected with SIGKILL mid-session, the sessions played to their end and drained, then {@link SessionAudit}
 * over what is stored, session by session. Everything lives under one directory, logs included.
 */
final class DrillRun {

    private static final String PROCESSOR_GROUP = "mindstream-processor";
    private static final String DECODER_GROUP = "mindstream-decoder";

    /**
     * A drill's outcome: the counts summed over the sessions (latencies: the worst session's);
     * {@code pageRecoverySeconds}/{@code pageMissed} only for the display drill (else NaN/0); {@code pageDuplicates}:
     * results the display pushed twice (the recent frames a reconnecting page is sent again do not count).
     */
    record Result(Fault fault, Layout layout, SessionAudit.Report report, double pageRecoverySeconds, int pageMissed,
                  int pageDuplicates, Resources resources, Path dir) {
        boolean clean() {
            return report.clean() && pageMissed == 0 && pageDuplicates == 0;
        }
    }

    /**
     * What the run cost: CPU (user + system) per kind of process in steady state, as cores per session (CPU seconds
     * from 20 s into the session to its end, over that time and the number of sessions; JVM start-up excluded), and
     * bytes stored on the brokers per kind of topic, every replica counted (raw topics, the derived
     * epochs/windows/results, the processor's changelogs, Kafka's own offsets and transactions).
     */
    record Resources(Map<String, Double> coresPerSession, Map<String, Long> brokerBytes, int sessions,
                     double sessionSeconds) {
        /** CPU seconds per simulated session-second: what one more session costs. */
        double cpuPerSessionSecond(String kind) {
            return coresPerSession.getOrDefault(kind, 0.0);
        }

        double bytesPerSessionSecond(String kind) {
            return brokerBytes.getOrDefault(kind, 0L) / (sessions * sessionSeconds);
        }
    }

    private final Fault fault;
    private final Layout layout;
    private final Path dir;
    private final PrintWriter out;

    DrillRun(Fault fault, Path dir, PrintWriter out) {
        this(fault, Layout.SINGLE, dir, out);
    }

    DrillRun(Fault fault, Layout layout, Path dir, PrintWriter out) {
        this.fault = fault;
        this.layout = layout;
        this.dir = dir;
        this.out = out;
    }

    Result run() throws Exception {
        Files.createDirectories(dir);
        String uid = UUID.randomUUID().toString().substring(0, 8);
        int displayPort = freePort();
        Path logs = dir.resolve("logs");
        Map<String, String> env = new HashMap<>();
        env.put("MINDSTREAM_DATA_DIR", dir.resolve("data").toString());
        env.put("OPT_OUT_TRACKING", "true");
        env.put("DJL_OFFLINE", "true");
        env.putIfAbsent("DJL_CACHE_DIR", System.getenv().getOrDefault("DJL_CACHE_DIR",
                dir.resolve("data").resolve("djl").toString()));

        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= layout.sessions(); i++) {
            sessions.add("drill-" + fault.name() + "-" + uid + (layout.sessions() == 1 ? "" : "-" + i));
        }
        // every session plays the same subject (seed 1): one bank serves them all, and each session's audit
        // recomputes its own epochs from its own journal
        Path bank = truth(1).resolve("bank");

        KafkaCluster cluster = null;
        Map<String, StageProcess> stages = new LinkedHashMap<>();
        PageWatcher page = null;
        // the kernel forgets a process's CPU time once it is gone: note it every second while the drill runs
        java.util.concurrent.ScheduledExecutorService cpuSampler = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "drill-cpu-sampler");
                    t.setDaemon(true);
                    return t;
                });
        List<StageProcess> everyProcess = new java.util.concurrent.CopyOnWriteArrayList<>();
        cpuSampler.scheduleAtFixedRate(() -> everyProcess.forEach(StageProcess::sampleCpu), 1, 1, TimeUnit.SECONDS);
        try {
            say("%s: %s (%s; sessions %s, %s)", fault.name(), fault.description(), layout.describe(),
                    sessions.size() == 1 ? sessions.get(0) : sessions.get(0) + " …", dir);
            cluster = KafkaCluster.start(layout.brokers(), dir.resolve("kafka"), 0, logs,
                    EmbeddedKafka.Quorum.newClusterId(), Topics.defaults(), "1g");
            String bootstrap = cluster.bootstrapServers();
            everyProcess.addAll(cluster.nodes());
            for (int i = 1; i <= layout.sessions(); i++) {
                String streams = streams(uid, i);
                stages.put("simulate-" + i, new StageProcess("simulate-" + i, List.of("simulate", "--seed", "1",
                        "--concepts", "200", "--exemplars", "11", "--test-images", "200", "--test-repeats", "4",
                        "--name", streams, "--source-id", streams, "--duration", "" + fault.sessionSeconds(),
                        "--out", truth(i).toString(), "--wait-for-consumers", "180", "--progress", "0"), logs, env,
                        "512m"));
            }
            for (int j = 1; j <= layout.processors(); j++) {
                List<String> cmd = new ArrayList<>(List.of("process", "--bootstrap-servers", bootstrap,
                        "--state-dir", dir.resolve("processor-state-" + j).toString(), "--instance-id", "drill-" + j));
                if (layout.processors() > 1) {
                    cmd.addAll(List.of("--standby-replicas", "1"));
                }
                stages.put("process-" + j, new StageProcess("process-" + j, cmd, logs, env, "1g"));
            }
            for (int j = 1; j <= layout.decoders(); j++) {
                stages.put("decode-" + j, new StageProcess("decode-" + j, List.of("decode", "--bootstrap-servers",
                        bootstrap, "--model", "demo", "--bank", bank.toString(), "--candidates", "test",
                        "--from-beginning", "--instance-id", "drill-" + j, "--lsl-name",
                        "drill-" + uid + "-decoder-" + j), logs, env, "1g"));
            }
            stages.put("display", new StageProcess("display", List.of("display", "--bootstrap-servers", bootstrap,
                    "--port", "" + displayPort, "--bank", bank.toString(), "--candidates", "test",
                    "--session", sessions.get(0)), logs, env, "512m"));
            for (int i = 1; i <= layout.sessions(); i++) {
                String streams = streams(uid, i);
                stages.put("ingest-" + i, new StageProcess("ingest-" + i, List.of("ingest", "--bootstrap-servers",
                        bootstrap, "--session", sessions.get(i - 1), "--source-id",
                        streams + "-meg," + streams + "-markers", "--journal-dir", journal(i).toString(),
                        "--stats-interval", "10s", "--drain", "60s"), logs, env, "1g"));
            }

            everyProcess.addAll(stages.values());
            for (int i = 1; i <= layout.sessions(); i++) {
                stages.get("simulate-" + i).start();
                awaitFile(truth(i).resolve("bank").resolve("bank.json"), 180, stages.get("simulate-" + i));
            }
            for (Map.Entry<String, StageProcess> e : stages.entrySet()) {
                if (!e.getKey().startsWith("simulate-")) {
                    e.getValue().start();
                }
            }
            page = new PageWatcher(displayPort);
            long sessionStart = awaitFirstRecord(bootstrap, 180);
            say("sessions started; fault at %.0f s of %.0f", fault.atSeconds(), fault.sessionSeconds());

            // steady state: CPU used from 20 s into the session (JVMs started, JIT warm) until the session's end
            sleepUntil(sessionStart + 20_000);
            Map<String, Double> cpuFrom = cpuByKind(cluster, stages);
            long cpuFromNanos = System.nanoTime();
            sleepUntil(sessionStart + (long) (fault.atSeconds() * 1000));
            List<StageProcess> victims = victims(stages, cluster, bootstrap, sessions.get(0));
            long faultStart = TraceStamps.nowMicros();
            for (StageProcess v : victims) {
                if (fault.freeze()) {
                    v.freeze();
                } else {
                    v.kill();
                }
            }
            List<String> names = victims.stream().map(StageProcess::name).toList();
            say("%s %s at %s UTC", fault.freeze() ? "SIGSTOP" : "SIGKILL", names,
                    java.time.LocalTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            Thread.sleep((long) (fault.downSeconds() * 1000));
            for (StageProcess v : victims) {
                if (fault.freeze()) {
                    v.thaw();
                } else {
                    v.start();
                }
            }
            if (fault.stages().contains("kafka")) {
                // back means every broker answering again, not just started
                cluster.awaitBrokers(layout.brokers(), 180);
                awaitBroker(bootstrap, 120);
            }
            long faultEnd = TraceStamps.nowMicros();
            page.watchFrom(faultEnd);
            say("%s back after %.1f s", names, (faultEnd - faultStart) / 1e6);

            for (int i = 1; i <= layout.sessions(); i++) {
                StageProcess sim = stages.get("simulate-" + i);
                if (!sim.await((long) (fault.sessionSeconds() + 180))) {
                    throw new IllegalStateException("the simulated session did not end (see " + sim.log() + ")");
                }
            }
            Map<String, Double> cpuTo = cpuByKind(cluster, stages);
            double cpuWindowSeconds = (System.nanoTime() - cpuFromNanos) / 1e9;
            Map<String, Double> steadyCpu = new java.util.TreeMap<>();
            cpuTo.forEach((k, v) -> steadyCpu.put(k, (v - cpuFrom.getOrDefault(k, 0.0))
                    / (cpuWindowSeconds * layout.sessions())));
            // ingest stops the way a lab stops it: it forwards what is journaled and marks where each stream ends
            for (int i = 1; i <= layout.sessions(); i++) {
                stages.get("ingest-" + i).stop(90);
            }
            say("sessions over; ingest stopped; waiting for the processors and the decoders to drain");
            awaitDrained(bootstrap, 900);
            Map<String, Long> brokerBytes = brokerBytes(bootstrap);
            Thread.sleep(3000); // the display's feed and the page
            Files.write(logs.resolve("page-results.tsv"), page.arrivals());
            double pageRecovery = Double.NaN;
            if (fault.stages().contains("display") && page.firstLiveMicros() != Long.MAX_VALUE) {
                pageRecovery = (page.firstLiveMicros() - faultEnd) / 1e6;
            }
            for (Map.Entry<String, StageProcess> e : stages.entrySet()) {
                if (e.getKey().startsWith("display") || e.getKey().startsWith("decode-")
                        || e.getKey().startsWith("process-")) {
                    e.getValue().stop(30);
                }
            }
            Resources resources = new Resources(steadyCpu, brokerBytes, layout.sessions(), fault.sessionSeconds());
            List<SessionAudit.Report> reports = new ArrayList<>();
            for (int i = 1; i <= layout.sessions(); i++) {
                reports.add(new SessionAudit(bootstrap, sessions.get(i - 1), journal(i), truth(i),
                        fault.sessionSeconds() - 1.0, ProcessorConfig.defaults()).audit(faultStart, faultEnd));
            }
            int pageMissed = 0;
            if (fault.stages().contains("display")) {
                // the page follows the first session
                pageMissed = reports.get(0).results() - Math.min(reports.get(0).results(), page.seen().size());
            }
            // a result the display pushed twice has two sequence numbers; the frames a reconnecting page is sent again
            // keep theirs
            Map<String, java.util.Set<String>> seqsPerEpoch = new HashMap<>();
            for (String a : page.arrivals()) {
                String[] f = a.split("\t", 4);
                if (f.length == 4 && f[1].equals("live")) {
                    seqsPerEpoch.computeIfAbsent(f[2], k -> new java.util.HashSet<>()).add(f[3]);
                }
            }
            int pageDuplicates = seqsPerEpoch.values().stream().mapToInt(x -> x.size() - 1).sum();
            return new Result(fault, layout, SessionAudit.Report.sum(reports), pageRecovery, pageMissed,
                    pageDuplicates, resources, dir);
        } finally {
            cpuSampler.shutdownNow();
            if (page != null) {
                page.close();
            }
            List<StageProcess> reverse = new ArrayList<>(stages.values());
            java.util.Collections.reverse(reverse);
            for (StageProcess s : reverse) {
                s.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * The processes this fault kills: every instance of each named stage with everyInstance; else, of a processor or
     * decoder group, the instance that holds the first session now (instance 1 when that cannot be told), and the
     * first instance of any other stage.
     */
    private List<StageProcess> victims(Map<String, StageProcess> stages, KafkaCluster cluster, String bootstrap,
                                       String firstSession) throws Exception {
        List<StageProcess> victims = new ArrayList<>();
        for (String s : fault.stages()) {
            if (s.equals("kafka")) {
                victims.add(cluster.node(cluster.leaderOf(Topics.rawTopic(StreamKind.MEG))));
            } else if (s.equals("display")) {
                victims.add(stages.get("display"));
            } else if (fault.everyInstance()) {
                stages.forEach((name, st) -> {
                    if (name.startsWith(s + "-")) {
                        victims.add(st);
                    }
                });
            } else {
                StageProcess holder = switch (s) {
                    case "process" -> holderOf(stages, s, PROCESSOR_GROUP, Topics.rawTopic(StreamKind.MEG),
                            bootstrap, firstSession);
                    case "decode" -> holderOf(stages, s, DECODER_GROUP, Topics.EPOCHS, bootstrap, firstSession);
                    default -> null;
                };
                victims.add(holder != null ? holder : stages.get(s + "-1"));
            }
        }
        return victims;
    }

    /**
     * The instance of {@code stage} whose group member holds {@code session}'s partition of {@code topic} now: the one
     * whose death the session feels. Killing instance 1 regardless kills, as often as not, an instance that holds no
     * session of the drill's, and the drill then measures nothing (a 1-session decode drill did, 2026-12-03). Null
     * when there is only one instance or no member holds it (mid-rebalance).
     */
    private StageProcess holderOf(Map<String, StageProcess> stages, String stage, String group, String topic,
                                  String bootstrap, String session) throws Exception {
        if (!stages.containsKey(stage + "-2")) {
            return null;
        }
        try (Admin a = admin(bootstrap)) {
            int partitions = a.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
            TopicPartition tp = new TopicPartition(topic,
                    TopicReader.partitionForKey(session.getBytes(StandardCharsets.UTF_8), partitions));
            ConsumerGroupDescription d = a.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                    .get(group);
            for (MemberDescription m : d.members()) {
                if (!m.assignment().topicPartitions().contains(tp) || m.groupInstanceId().isEmpty()) {
                    continue;
                }
                // the instance ids the drill gives (Kafka Streams appends "-<thread>" to the processor's)
                String id = m.groupInstanceId().get();
                for (int j = 1; stages.containsKey(stage + "-" + j); j++) {
                    String base = InstanceIds.of(group, "drill-" + j);
                    if (id.equals(base) || id.startsWith(base + "-")) {
                        say("%s-%d holds %s (the first session's partition)", stage, j, tp);
                        return stages.get(stage + "-" + j);
                    }
                }
            }
            say("no %s instance holds %s now: killing %s-1", stage, tp, stage);
            return null;
        }
    }

    /** CPU seconds used so far by every process, summed by kind (kafka, simulate, ingest, process, decode, display). */
    private static Map<String, Double> cpuByKind(KafkaCluster cluster, Map<String, StageProcess> stages) {
        Map<String, Double> cpu = new java.util.TreeMap<>();
        for (StageProcess n : cluster.nodes()) {
            n.sampleCpu();
            cpu.merge("kafka", n.cpuSeconds(), Double::sum);
        }
        stages.forEach((name, st) -> {
            st.sampleCpu();
            cpu.merge(name.replaceAll("-\\d+$", ""), st.cpuSeconds(), Double::sum);
        });
        return cpu;
    }

    /** Bytes stored on every broker (all replicas), by kind of topic. */
    private static Map<String, Long> brokerBytes(String bootstrap) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Admin a = admin(bootstrap)) {
            List<Integer> ids = a.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.common.Node::id).toList();
            a.describeLogDirs(ids).allDescriptions().get(30, TimeUnit.SECONDS).values().forEach(dirs ->
                    dirs.values().forEach(d -> d.replicaInfos().forEach((tp, info) ->
                            out.merge(topicKind(tp.topic()), info.size(), Long::sum))));
        }
        return out;
    }

    static String topicKind(String topic) {
        if (topic.startsWith("raw.")) {
            return "raw";
        }
        if (topic.equals(Topics.EPOCHS) || topic.equals(Topics.WINDOWS) || topic.equals(Topics.RESULTS)) {
            return "derived";
        }
        if (topic.endsWith("-changelog")) {
            return "processor state";
        }
        return "kafka internal";
    }

    private static String streams(String uid, int session) {
        return "drill-" + uid + "-" + session;
    }

    private Path truth(int session) {
        return dir.resolve(layout.sessions() == 1 ? "simulation" : "simulation-" + session);
    }

    private Path journal(int session) {
        return dir.resolve(layout.sessions() == 1 ? "journal" : "journal-" + session);
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
