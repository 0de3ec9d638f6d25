package io.mindstream.cli;

import io.mindstream.cli.launch.KafkaCluster;
import io.mindstream.cli.options.OptionConverters;
import io.mindstream.contracts.Topics;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.runtime.DataDirs;
import io.mindstream.runtime.Durations;
import io.mindstream.runtime.kafka.TopicAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code mindstream kafka}: runs the embedded broker in the foreground until Ctrl-C, so that several commands in other
 * terminals share one broker (they find it at the default address without any option).
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {
                "Run the embedded Kafka broker (a real KRaft broker+controller from Kafka's own jars) on 127.0.0.1 "
                        + "until Ctrl-C, creating the pipeline topics if they are missing.",
                "Other commands use it automatically when it runs at the default port. Data is kept across restarts.",
                "With --brokers 3: a real three-broker cluster, each broker its own process (ports 19092, 19094, "
                        + "19096 by default, controllers one above each), every topic replicated three times with "
                        + "min.insync.replicas 2, so any one broker may die without losing an acknowledged record."
        })
public final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + EmbeddedKafka.DEFAULT_PORT, converter = OptionConverters.Port.class,
            description = "Broker port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}). Other commands "
                    + "find the broker by themselves only at the default port; otherwise pass --bootstrap-servers.")
    int port;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "" + EmbeddedKafka.DEFAULT_CONTROLLER_PORT,
            converter = OptionConverters.Port.class,
            description = "KRaft controller port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Broker data directory, created and formatted on first use and reused afterwards "
                    + "(default: ${DEFAULT-VALUE}).")
    Path dataDir = DataDirs.kafka();

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            converter = OptionConverters.PositiveInt.class,
            description = "Partitions of each pipeline topic created now (default: ${DEFAULT-VALUE}). Existing topics "
                    + "keep theirs: changing it would move sessions between partitions.")
    int partitions;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "7d",
            converter = io.mindstream.cli.options.OptionConverters.PositiveDuration.class,
            description = "How long the pipeline topics keep records, e.g. 12h, 7d, PT36H (default: ${DEFAULT-VALUE}). "
                    + "Given explicitly, it is also applied to existing topics.")
    Duration retention;

    @Option(names = "--brokers", paramLabel = "N", converter = OptionConverters.PositiveInt.class,
            description = "Brokers in the cluster, each its own process (default: ${DEFAULT-VALUE}). With more than "
                    + "one, --port is the first broker's port and the others follow two apart; node i keeps its data "
                    + "in <data dir>/node-i.")
    int brokers = 1;

    // one node of a multi-broker cluster, as --brokers starts it (not for users: the cluster's launcher sets them)
    @Option(names = "--node", paramLabel = "ID",
            description = "Run this process as node ID (1 … --cluster-size) of a cluster whose nodes run elsewhere "
                    + "(other containers or machines; what --brokers and deploy/compose do), with --voters and "
                    + "--cluster-id the same on every node.")
    int node;

    @Option(names = "--cluster-size", paramLabel = "N",
            description = "With --node: how many nodes the cluster has (replication min(3, N), min.insync.replicas 2 "
                    + "from 3 nodes on).")
    int clusterSize;

    @Option(names = "--voters", paramLabel = "ID@HOST:PORT[,…]",
            description = "With --node: every node's controller address, e.g. 1@127.0.0.1:19093,2@127.0.0.1:19095.")
    String voters;

    @Option(names = "--cluster-id", paramLabel = "ID",
            description = "With --node: the cluster id new storage is formatted with (22 characters, base64 of 16 "
                    + "bytes; existing storage keeps its own).")
    String clusterId;

    @Option(names = "--no-topics",
            description = "Do not create the pipeline topics (a cluster's nodes leave that to one client: "
                    + "./mindstream topics --create-topics).")
    boolean noTopics;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (brokers > 1) {
            return runCluster(out);
        }
        EmbeddedKafka.Quorum quorum = node == 0 ? null
                : new EmbeddedKafka.Quorum(node, voters, clusterId, clusterSize);
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(dataDir, port, controllerPort, quorum));
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C (SIGINT) and SIGTERM run shutdown hooks; a clean shutdown spares the next start a log recovery.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the Kafka broker at " + kafka.bootstrapServers() + " ...");
            out.flush();
            kafka.close();
            out.println("Kafka broker stopped cleanly; data kept in " + kafka.dataDir());
            out.flush();
            stopped.countDown();
        }, "mindstream-kafka-shutdown"));

        List<Topics.Spec> specs = Topics.all(partitions, retention, retention);
        if (noTopics) {
            out.println("Kafka node " + node + " of " + clusterSize + " running at " + kafka.bootstrapServers());
            out.flush();
            stopped.await();
            return 0;
        }
        List<TopicAdmin.Outcome> outcomes = kafka.createTopics(specs);
        reportTopics(out, kafka.bootstrapServers(), outcomes);

        out.println("Kafka broker running at " + kafka.bootstrapServers());
        out.println("  data:       " + kafka.dataDir() + (kafka.freshStorage() ? " (new)" : " (existing data reused)"));
        out.println("  controller: " + EmbeddedKafka.HOST + ":" + kafka.controllerPort());
        out.println("  topics:     " + specs.stream().map(Topics.Spec::name).collect(Collectors.joining(" ")));
        out.println("  inspect:    ./mindstream topics"
                + (kafka.port() == EmbeddedKafka.DEFAULT_PORT ? "" : " --bootstrap-servers " + kafka.bootstrapServers())
                + "   or   kcat -b " + kafka.bootstrapServers() + " -L");
        out.println(kafka.port() == EmbeddedKafka.DEFAULT_PORT
                ? "Other ./mindstream commands use this broker automatically. Press Ctrl-C to stop."
                : "Other commands need --bootstrap-servers " + kafka.bootstrapServers() + ". Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** --brokers N: N node processes, topics created once all are up, stopped together on Ctrl-C. */
    private int runCluster(PrintWriter out) throws Exception {
        Path logs = dataDir.resolve("logs");
        String id = EmbeddedKafka.Quorum.newClusterId();
        List<Topics.Spec> specs = Topics.all(partitions, retention, retention);
        out.println("Starting " + brokers + " Kafka brokers (logs in " + logs + ") ...");
        out.flush();
        KafkaCluster cluster = KafkaCluster.start(brokers, dataDir, port, logs, id, specs, "768m");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the " + brokers + " Kafka brokers ...");
            out.flush();
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.println("Kafka cluster stopped; data kept in " + dataDir);
            out.flush();
            stopped.countDown();
        }, "mindstream-kafka-cluster-shutdown"));
        out.println("Kafka cluster of " + brokers + " brokers running at " + cluster.bootstrapServers());
        out.println("  data:       " + dataDir + " (node-1 … node-" + brokers + ")");
        out.println("  topics:     replication " + Math.min(3, brokers) + ", min.insync.replicas "
                + (brokers >= 3 ? 2 : 1) + ": " + specs.stream().map(Topics.Spec::name)
                .collect(Collectors.joining(" ")));
        out.println("Other commands need --bootstrap-servers " + cluster.bootstrapServers() + ". Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    private void reportTopics(PrintWriter out, String bootstrap, List<TopicAdmin.Outcome> outcomes) {
        boolean retentionGiven = spec.commandLine().getParseResult().hasMatchedOption("--retention");
        List<String> retentionToFix = outcomes.stream()
                .filter(o -> o.status() == TopicAdmin.Status.EXISTS_DIFFERENT)
                .filter(o -> !o.actualRetention().equals(Optional.of(retention)))
                .map(o -> o.spec().name()).toList();
        if (retentionGiven && !retentionToFix.isEmpty()) {
            try (var admin = TopicAdmin.connect(bootstrap)) {
                new TopicAdmin(admin).setRetention(retentionToFix, retention);
            }
            out.println("Set retention " + Durations.format(retention) + " on existing topics " + retentionToFix);
        }
        for (TopicAdmin.Outcome o : outcomes) {
            if (o.status() == TopicAdmin.Status.EXISTS_DIFFERENT && o.actualPartitions() != o.spec().partitions()) {
                out.println("note: " + o.spec().name() + " already exists with " + o.actualPartitions()
                        + " partitions (asked for " + o.spec().partitions() + "); left unchanged");
            }
        }
        long created = outcomes.stream().filter(o -> o.status() == TopicAdmin.Status.CREATED).count();
        if (created > 0) {
            out.println("Created " + created + " topics with " + partitions + " partitions and retention "
                    + Durations.format(retention));
        }
    }
}
