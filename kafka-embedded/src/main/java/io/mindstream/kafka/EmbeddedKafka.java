package io.mindstream.kafka;

import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.DataDirs;
import io.mindstream.runtime.kafka.TopicAdmin;
import io.mindstream.contracts.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in this JVM: one KRaft node that is both broker and controller, listening on 127.0.0.1, built
 * from Kafka's own server jars (docs/dependencies.md §1). Alone it is a cluster of one; with {@link Settings#quorum} it is one node
 * of a cluster whose other nodes run in other processes ({@code ./mindstream kafka --brokers 3}). Its storage is formatted in code the first time a data directory is used
 * and reused afterwards, so topics and records survive restarts.
 *
 * <p>Layout of the data directory: {@code server.properties} (the generated configuration, rewritten at every start,
 * kept for inspection) and {@code log/} (Kafka's log directory, which also holds the KRaft metadata log).
 */
public final class EmbeddedKafka implements AutoCloseable {

    /** The embedded broker's address; loopback only, so nothing leaves this machine. */
    public static final String HOST = "127.0.0.1";
    /** Broker port of {@code ./mindstream kafka} and of the default embedded broker (Kafka's 9092 plus 10000). */
    public static final int DEFAULT_PORT = 19092;
    /** KRaft controller port of the default embedded broker. */
    public static final int DEFAULT_CONTROLLER_PORT = 19093;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int AUTO_PORT_ATTEMPTS = 3;

    /**
     * Where and how to run the broker.
     *
     * @param dataDir        directory holding {@code server.properties} and Kafka's log directory; created if missing
     * @param port           broker (PLAINTEXT) port; 0 picks a free one
     * @param controllerPort KRaft controller port; 0 picks a free one
     * @param quorum         the cluster this node belongs to, or null for a cluster of one
     */
    public record Settings(Path dataDir, int port, int controllerPort, Quorum quorum) {

        /** A cluster of one. */
        public Settings(Path dataDir, int port, int controllerPort) {
            this(dataDir, port, controllerPort, null);
        }

        public Settings {
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir is required");
            }
            checkPort("port", port);
            checkPort("controllerPort", controllerPort);
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("broker and controller ports must differ, both are " + port);
            }
        }

        /** The default embedded broker: {@value #DEFAULT_PORT}/{@value #DEFAULT_CONTROLLER_PORT}, data in {@link DataDirs#kafka()}. */
        public static Settings defaults() {
            return new Settings(DataDirs.kafka(), DEFAULT_PORT, DEFAULT_CONTROLLER_PORT);
        }

        /** Free ports, the given directory: what tests use. */
        public static Settings ephemeral(Path dataDir) {
            return new Settings(dataDir, 0, 0);
        }

        /** This node's id: 1 alone. */
        int nodeId() {
            return quorum == null ? 1 : quorum.nodeId();
        }

        private static void checkPort(String name, int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException(name + " must be in 0..65535, got " + p);
            }
        }
    }

    /**
     * One node's place in a cluster of several KRaft nodes, each broker and controller (fixed ports: every node must
     * know every controller's address before any starts).
     *
     * @param nodeId    this node's id, 1 … size
     * @param voters    every node's controller address, {@code id@127.0.0.1:port,…} (Kafka's controller.quorum.voters)
     * @param clusterId the cluster's id, the same on every node (formatted into each node's storage)
     * @param size      how many nodes: replication factor of every topic; min.insync.replicas is 2 from 3 nodes on
     */
    public record Quorum(int nodeId, String voters, String clusterId, int size) {
        public Quorum {
            if (size < 1 || nodeId < 1 || nodeId > size) {
                throw new IllegalArgumentException("node " + nodeId + " of a cluster of " + size);
            }
            if (voters == null || voters.split(",").length != size) {
                throw new IllegalArgumentException("voters must list " + size + " controllers, got " + voters);
            }
            if (clusterId == null || clusterId.isBlank()) {
                throw new IllegalArgumentException("clusterId is required");
            }
        }

        /** The voters string for nodes 1 … n on these controller ports. */
        public static String voters(int[] controllerPorts) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < controllerPorts.length; i++) {
                sb.append(i == 0 ? "" : ",").append(i + 1).append('@').append(HOST).append(':')
                        .append(controllerPorts[i]);
            }
            return sb.toString();
        }

        /** A new cluster id, as {@code kafka-storage random-uuid} makes one. */
        public static String newClusterId() {
            return Uuid.randomUuid().toString();
        }

        /** Replicas of every topic's partitions: all nodes, at most 3. */
        int replication() {
            return Math.min(3, size);
        }

        /** Replicas that must have a write before it is acknowledged (acks=all): 2 when there are 3 or more. */
        int minInsync() {
            return replication() >= 3 ? 2 : 1;
        }
    }

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final boolean freshStorage;
    private final Admin admin;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, int port, int controllerPort, boolean freshStorage) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.freshStorage = freshStorage;
        this.admin = Admin.create(KafkaClients.admin(HOST + ":" + port));
    }

    /**
     * Starts a broker and returns once it answers metadata requests. Formats the storage if the data directory has
     * none; otherwise opens the existing data.
     *
     * @throws EmbeddedKafkaException naming the port or directory if the broker cannot start
     */
    public static EmbeddedKafka start(Settings settings) {
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        Path logDir = dataDir.resolve("log");
        prepareDirectory(logDir);
        requireUnlocked(logDir);
        boolean autoPorts = settings.port() == 0 || settings.controllerPort() == 0;
        for (int attempt = 1; ; attempt++) {
            int[] ports = choosePorts(settings);
            try {
                return startOnce(dataDir, logDir, ports[0], ports[1], settings);
            } catch (PortTakenException e) {
                // A port we picked as free was taken by someone else before Kafka bound it: pick again.
                if (!autoPorts || attempt >= AUTO_PORT_ATTEMPTS) {
                    throw new EmbeddedKafkaException(e.getMessage(), e.getCause());
                }
                log.info("Port race while starting the embedded broker ({}); retrying with new ports", e.getMessage());
            }
        }
    }

    private static EmbeddedKafka startOnce(Path dataDir, Path logDir, int port, int controllerPort,
                                           Settings settings) {
        long t0 = System.nanoTime();
        Properties props = brokerProperties(logDir, port, controllerPort, settings.quorum(), settings.nodeId());
        Path config = dataDir.resolve("server.properties");
        writeConfig(config, props);

        boolean fresh = !Files.exists(logDir.resolve("meta.properties"));
        if (fresh) {
            format(config, logDir, settings.quorum() == null ? Quorum.newClusterId() : settings.quorum().clusterId());
        }
        long tFormatted = System.nanoTime();

        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new EmbeddedKafkaException("cannot open Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server);
            String why = KafkaClients.rootMessage(e);
            if (why.contains("Address already in use") || why.contains("bind")) {
                throw new PortTakenException("cannot bind " + HOST + ":" + port + " or " + HOST + ":" + controllerPort
                        + ": " + why, e);
            }
            throw new EmbeddedKafkaException("embedded Kafka broker failed to start (data " + dataDir + "): " + why, e);
        }
        long tStarted = System.nanoTime();

        EmbeddedKafka kafka = new EmbeddedKafka(server, dataDir, port, controllerPort, fresh);
        String clusterId;
        try {
            // a node of a larger cluster answers once a quorum of controllers has elected a leader: its peers may
            // still be starting, so it is given longer
            clusterId = kafka.admin.describeCluster().clusterId().get(settings.quorum() == null ? 30 : 120,
                    TimeUnit.SECONDS);
        } catch (Exception e) {
            kafka.close();
            throw new EmbeddedKafkaException("embedded Kafka broker at " + kafka.bootstrapServers()
                    + " started but does not answer: " + KafkaClients.rootMessage(e), e);
        }
        long tReady = System.nanoTime();
        log.info("Kafka broker ready at {} (controller {}:{}) in {} ms [format {} ms, startup {} ms, first metadata {} ms]; "
                        + "cluster {}, data in {} ({})",
                kafka.bootstrapServers(), HOST, controllerPort, ms(tReady - t0), ms(tFormatted - t0),
                ms(tStarted - tFormatted), ms(tReady - tStarted), clusterId, dataDir,
                fresh ? "new storage formatted" : "existing storage reused");
        return kafka;
    }

    /** {@code 127.0.0.1:<port>}: what clients pass as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** True if this start formatted new storage, false if it reopened existing data. */
    public boolean freshStorage() {
        return freshStorage;
    }

    /**
     * Creates the topics that do not exist yet, with their partitions and {@code retention.ms}; existing topics are
     * left as they are (see {@link TopicAdmin#ensure}).
     */
    public List<TopicAdmin.Outcome> createTopics(List<Topics.Spec> specs) {
        return new TopicAdmin(admin).ensure(specs);
    }

    /** Stops the broker cleanly (controlled shutdown, logs flushed); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        admin.close(java.time.Duration.ofSeconds(2));
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker at {} stopped in {} ms (data kept in {})", bootstrapServers(), ms(System.nanoTime() - t0),
                dataDir);
    }

    static Properties brokerProperties(Path logDir, int port, int controllerPort, Quorum quorum, int nodeId) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(nodeId));
        p.setProperty("controller.quorum.voters", quorum == null ? nodeId + "@" + HOST + ":" + controllerPort
                : quorum.voters());
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        // Alone, every topic has one replica. In a cluster of 3 or more every topic (internal ones included) has 3,
        // and a write is acknowledged once 2 have it: any one node may die without losing an acknowledged record or
        // stopping writes.
        String replicas = Integer.toString(quorum == null ? 1 : quorum.replication());
        String minIsr = Integer.toString(quorum == null ? 1 : quorum.minInsync());
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minIsr);
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        p.setProperty("share.coordinator.state.topic.min.isr", minIsr);
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minIsr);
        // An unclean leader (a replica that missed acknowledged writes) must never be elected: that would lose them.
        p.setProperty("unclean.leader.election.enable", "false");
        // Consumers join at once instead of waiting 3 s for more members.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics are created explicitly with their partitions (co-partitioning, architecture.md §3); an auto-created
        // topic would silently get the broker default and a typo would create a topic.
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", Integer.toString(Topics.DEFAULT_PARTITIONS));
        return p;
    }

    private static void prepareDirectory(Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (AccessDeniedException e) {
            throw new EmbeddedKafkaException("cannot create Kafka data directory " + logDir
                    + ": permission denied (choose another with --data-dir / --kafka-data-dir or MINDSTREAM_DATA_DIR)", e);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("cannot create Kafka data directory " + logDir + ": " + e, e);
        }
        if (!Files.isWritable(logDir)) {
            throw new EmbeddedKafkaException("Kafka data directory " + logDir + " is not writable by this user "
                    + "(choose another with --data-dir / --kafka-data-dir or MINDSTREAM_DATA_DIR)");
        }
    }

    /**
     * Kafka locks {@code .lock} in every log directory it serves. Checking it first turns Kafka's long stack trace
     * into a message that says what to do.
     */
    private static void requireUnlocked(Path logDir) {
        Path lockFile = logDir.resolve(".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw inUse(logDir);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw inUse(logDir);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("cannot lock Kafka data directory " + logDir + ": " + e, e);
        }
    }

    private static EmbeddedKafkaException inUse(Path logDir) {
        return new EmbeddedKafkaException("Kafka data directory " + logDir + " is in use by another broker "
                + "(a running './mindstream kafka' or another command's in-process broker); "
                + "use that broker with --bootstrap-servers, stop it, or choose another data directory");
    }

    private static int[] choosePorts(Settings s) {
        int port = s.port();
        int cport = s.controllerPort();
        if (port != 0) {
            requirePortFree(port, "broker");
        }
        if (cport != 0) {
            requirePortFree(cport, "controller");
        }
        while (port == 0 || port == cport) {
            port = freePort();
        }
        while (cport == 0 || cport == port) {
            cport = freePort();
        }
        return new int[]{port, cport};
    }

    private static void requirePortFree(int port, String role) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new EmbeddedKafkaException(HOST + ":" + port + " (" + role + " port) is already in use: "
                    + "is './mindstream kafka' already running? Use it with --bootstrap-servers " + HOST + ":" + port
                    + " or pick another port");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private static void writeConfig(Path file, Properties props) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "generated by mindstream's embedded broker at every start; edits are overwritten");
        } catch (IOException e) {
            throw new EmbeddedKafkaException("cannot write " + file + ": " + e, e);
        }
    }

    /** The in-code {@code kafka-storage format -t <cluster id> -c server.properties}. */
    private static void format(Path config, Path logDir, String clusterId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[]{"format", "-t", clusterId, "-c", config.toString()}, ps);
        } catch (RuntimeException e) {
            throw new EmbeddedKafkaException("cannot format Kafka storage in " + logDir + ": " + KafkaClients.rootMessage(e), e);
        }
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        if (rc != 0) {
            throw new EmbeddedKafkaException("formatting Kafka storage in " + logDir + " failed (exit " + rc + "): "
                    + printed);
        }
        log.info("Formatted new Kafka storage in {}", logDir);
        log.debug("kafka-storage format said: {}", printed);
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.debug("while stopping a broker that failed to start", e);
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** A bind failure, kept apart so that auto-chosen ports can be retried. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
