package io.mindstream.cli.options;

import io.mindstream.contracts.Topics;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.runtime.DataDirs;
import io.mindstream.runtime.kafka.KafkaAdminException;
import io.mindstream.runtime.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka choice every command that talks to Kafka shares (a picocli mixin: {@code @Mixin BrokerOptions kafka;}).
 *
 * <ul>
 *   <li>With {@code --bootstrap-servers}: that cluster is used as it is; the pipeline topics are created only with
 *       {@code --create-topics}.</li>
 *   <li>Without it: the embedded broker at {@code 127.0.0.1:19092}. If one is already listening there (typically
 *       {@code ./mindstream kafka} in another terminal) it is used; otherwise the command starts one in-process on
 *       {@code --kafka-data-dir} and stops it when the command ends. Either way the pipeline topics are created if
 *       missing.</li>
 * </ul>
 * The environment variable {@code MINDSTREAM_BOOTSTRAP_SERVERS} is the default of {@code --bootstrap-servers}.
 */
public final class BrokerOptions {

    private static final Logger log = LoggerFactory.getLogger(BrokerOptions.class);

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,HOST:PORT...]",
            defaultValue = "${env:MINDSTREAM_BOOTSTRAP_SERVERS}",
            converter = OptionConverters.BootstrapServers.class,
            description = "Kafka cluster to use (default: $MINDSTREAM_BOOTSTRAP_SERVERS if set, else the embedded "
                    + "broker at 127.0.0.1:" + EmbeddedKafka.DEFAULT_PORT + ": the one './mindstream kafka' runs, "
                    + "or one started inside this command if none is running).")
    String bootstrapServers;

    @Option(names = "--kafka-data-dir", paramLabel = "DIR",
            description = "Data directory of the embedded broker when this command has to start it "
                    + "(default: ${DEFAULT-VALUE}).")
    Path kafkaDataDir = DataDirs.kafka();

    @Option(names = "--create-topics",
            description = "With --bootstrap-servers: create the pipeline topics that are missing "
                    + "(" + Topics.DEFAULT_PARTITIONS + " partitions, 7 days retention). The embedded broker always "
                    + "gets them.")
    boolean createTopics;

    /** Port pair of the default embedded broker; tests point it at a free pair. */
    int embeddedPort = EmbeddedKafka.DEFAULT_PORT;
    int embeddedControllerPort = EmbeddedKafka.DEFAULT_CONTROLLER_PORT;

    public BrokerOptions() {
    }

    /** For code (and tests) that choose without a command line. */
    public static BrokerOptions of(String bootstrapServers, Path kafkaDataDir, boolean createTopics) {
        BrokerOptions o = new BrokerOptions();
        o.bootstrapServers = bootstrapServers;
        if (kafkaDataDir != null) {
            o.kafkaDataDir = kafkaDataDir;
        }
        o.createTopics = createTopics;
        return o;
    }

    /** Uses another port pair for the default embedded broker (tests; never the shared 19092 there). */
    BrokerOptions embeddedPorts(int port, int controllerPort) {
        this.embeddedPort = port;
        this.embeddedControllerPort = controllerPort;
        return this;
    }

    /** {@code --bootstrap-servers} as given, or null. */
    public String bootstrapServersOption() {
        return bootstrapServers;
    }

    /**
     * Finds or starts the cluster, makes sure the pipeline topics exist where that is asked for, and returns it.
     * Close the result when done: it stops a broker started here.
     */
    public KafkaTarget open() {
        return open(Topics.defaults());
    }

    /** As {@link #open()}, with the topics to ensure. */
    public KafkaTarget open(List<Topics.Spec> topics) {
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            requireSomeoneListening(bootstrapServers);
            try (Admin admin = TopicAdmin.connect(bootstrapServers)) {
                requireKafka(admin, bootstrapServers, "--bootstrap-servers");
                if (createTopics) {
                    logOutcomes(new TopicAdmin(admin).ensure(topics));
                }
            }
            KafkaTarget t = KafkaTarget.external(bootstrapServers);
            log.info("Using {}", t.describe());
            return t;
        }
        String address = EmbeddedKafka.HOST + ":" + embeddedPort;
        if (listening(EmbeddedKafka.HOST, embeddedPort)) {
            try (Admin admin = TopicAdmin.connect(address)) {
                requireKafka(admin, address, "the embedded broker's address");
                logOutcomes(new TopicAdmin(admin).ensure(topics));
            }
            KafkaTarget t = KafkaTarget.sharedEmbedded(address);
            log.info("Using {}", t.describe());
            return t;
        }
        EmbeddedKafka broker = EmbeddedKafka.start(
                new EmbeddedKafka.Settings(kafkaDataDir, embeddedPort, embeddedControllerPort));
        KafkaTarget t = KafkaTarget.inProcess(broker);
        try {
            logOutcomes(broker.createTopics(topics));
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        log.info("Using {}", t.describe());
        return t;
    }

    /**
     * For commands that only look (e.g. {@code topics}): the cluster given by {@code --bootstrap-servers}, or the
     * embedded broker if one is running — never a broker started for the occasion, and topics created only with
     * {@code --create-topics}. Fails with one line saying where nothing answers.
     */
    public KafkaTarget openExisting() {
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            return open();
        }
        String address = EmbeddedKafka.HOST + ":" + embeddedPort;
        if (!listening(EmbeddedKafka.HOST, embeddedPort)) {
            throw new KafkaAdminException("no Kafka broker: nothing listens at " + address + " (the embedded "
                    + "broker's address). Start one with ./mindstream kafka, or name a cluster with "
                    + "--bootstrap-servers", null);
        }
        try (Admin admin = TopicAdmin.connect(address)) {
            requireKafka(admin, address, "the embedded broker's address");
            if (createTopics) {
                logOutcomes(new TopicAdmin(admin).ensure(Topics.defaults()));
            }
        }
        return KafkaTarget.sharedEmbedded(address);
    }

    private static void logOutcomes(List<TopicAdmin.Outcome> outcomes) {
        for (TopicAdmin.Outcome o : outcomes) {
            log.debug("topic {}", o.describe());
        }
    }

    /**
     * Fails with a message naming the address if nothing there answers as a Kafka cluster within a minute. Something
     * listens there (checked before): a broker still starting or recovering its logs, or a machine too busy to answer
     * at once, is waited for — stages are often started together with the cluster (systemd, Kubernetes, the drills).
     */
    private static void requireKafka(Admin admin, String address, String origin) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean said = false;
        while (true) {
            try {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (e instanceof InterruptedException || System.nanoTime() > deadline) {
                    throw new KafkaAdminException("no Kafka cluster answers at " + address + " (" + origin + "): "
                            + (e instanceof java.util.concurrent.TimeoutException ? "timed out after 60 s"
                            : io.mindstream.runtime.kafka.KafkaClients.rootMessage(e)), e);
                }
                if (!said) {
                    log.info("waiting for the Kafka cluster at {} to answer (up to 60 s)", address);
                    said = true;
                }
            }
        }
    }


    /**
     * Fails at once if no address of the list accepts a TCP connection: a Kafka client would retry silently until its
     * timeout instead.
     */
    private static void requireSomeoneListening(String bootstrap) {
        for (String hp : bootstrap.split(",")) {
            int colon = hp.lastIndexOf(':');
            if (listening(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)))) {
                return;
            }
        }
        throw new KafkaAdminException("nothing accepts connections at " + bootstrap + " (--bootstrap-servers): "
                + "is the cluster running and reachable from here?", null);
    }

    /** A plain TCP connect: cheap, and silent when nothing listens (unlike a Kafka client, which retries and logs). */
    static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
