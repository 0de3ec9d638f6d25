package io.mindstream.cli.launch;

import io.mindstream.contracts.Topics;
import io.mindstream.kafka.EmbeddedKafka;
import io.mindstream.runtime.kafka.KafkaClients;
import io.mindstream.runtime.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real multi-broker Kafka cluster on this machine: {@code size} KRaft nodes (each broker and controller), each its
 * own process ({@code mindstream kafka --node …}, Kafka's own server code), on loopback, every topic replicated
 * {@code min(3, size)} times with {@code min.insync.replicas} 2 from three nodes on. Nodes can be killed (SIGKILL) and
 * started again on their data, one at a time, as a fault drill does.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);

    private final List<StageProcess> nodes = new ArrayList<>();
    private final int[] ports;
    private final int[] controllerPorts;
    private final String bootstrap;

    private KafkaCluster(int[] ports, int[] controllerPorts) {
        this.ports = ports;
        this.controllerPorts = controllerPorts;
        List<String> addresses = new ArrayList<>();
        for (int p : ports) {
            addresses.add(EmbeddedKafka.HOST + ":" + p);
        }
        this.bootstrap = String.join(",", addresses);
    }

    /**
     * Starts {@code size} nodes, waits until every one is a live broker of the cluster, and creates the pipeline
     * topics that are missing.
     *
     * @param dataDir   node {@code i} keeps its data in {@code dataDir/node-i} (reused when it exists)
     * @param firstPort broker ports {@code firstPort, firstPort+2, …}, controller ports one above each; 0 picks free
     *                  ports
     * @param logDir    where each node's output goes
     * @param clusterId the cluster id of new storage (existing storage keeps its own)
     */
    public static KafkaCluster start(int size, Path dataDir, int firstPort, Path logDir, String clusterId,
                                     List<Topics.Spec> topics, String heap) throws IOException, InterruptedException {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker, got " + size);
        }
        int[] ports = new int[size];
        int[] cports = new int[size];
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < size; i++) {
            ports[i] = firstPort == 0 ? freePort(taken) : firstPort + 2 * i;
            cports[i] = firstPort == 0 ? freePort(taken) : firstPort + 2 * i + 1;
        }
        KafkaCluster c = new KafkaCluster(ports, cports);
        String voters = EmbeddedKafka.Quorum.voters(cports);
        try {
            for (int i = 0; i < size; i++) {
                int id = i + 1;
                c.nodes.add(new StageProcess("kafka-" + id, List.of("kafka", "--node", Integer.toString(id),
                        "--cluster-size", Integer.toString(size), "--voters", voters, "--cluster-id", clusterId,
                        "--port", Integer.toString(ports[i]), "--controller-port", Integer.toString(cports[i]),
                        "--data-dir", dataDir.resolve("node-" + id).toString(), "--no-topics"), logDir, Map.of(),
                        heap).start());
            }
            c.awaitBrokers(size, 180);
            try (Admin admin = TopicAdmin.connect(c.bootstrap)) {
                new TopicAdmin(admin).ensure(topics);
            }
            log.info("Kafka cluster of {} brokers at {} (replication {}, data in {})", size, c.bootstrap,
                    Math.min(3, size), dataDir);
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** What clients pass as {@code bootstrap.servers}: every node. */
    public String bootstrapServers() {
        return bootstrap;
    }

    public int size() {
        return nodes.size();
    }

    /** Broker port of node {@code id} (1 … size). */
    public int port(int id) {
        return ports[id - 1];
    }

    /** Every node's process, node 1 first. */
    public List<StageProcess> nodes() {
        return List.copyOf(nodes);
    }

    public StageProcess node(int id) {
        return nodes.get(id - 1);
    }

    private int listening() {
        int n = 0;
        for (int port : ports) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                n++;
            } catch (IOException e) {
                // not listening (yet, or any more)
            }
        }
        return n;
    }

    /** Waits until {@code count} brokers are registered and answer, or throws after {@code seconds}. */
    public void awaitBrokers(int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (StageProcess n : nodes) {
                if (!n.alive() && n.started()) {
                    throw new IllegalStateException("Kafka node " + n.name() + " exited while the cluster started; "
                            + "see " + n.log());
                }
            }
            // An admin client pointed at ports nobody listens on yet logs a warning per attempt; wait for the
            // listeners first so that a normal start prints nothing alarming.
            if (listening() < count) {
                last = "brokers not listening yet";
                Thread.sleep(250);
                continue;
            }
            try (Admin admin = TopicAdmin.connect(bootstrap)) {
                int up = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                if (up >= count) {
                    return;
                }
                last = up + " of " + count + " brokers registered";
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    throw (InterruptedException) e;
                }
                last = KafkaClients.rootMessage(e);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Kafka cluster at " + bootstrap + " did not come up within " + seconds
                + " s (" + last + ")");
    }

    /** The node that leads most partitions of {@code topic}: the one whose loss moves most leaders. */
    public int leaderOf(String topic) throws Exception {
        try (Admin admin = TopicAdmin.connect(bootstrap)) {
            var d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            int[] led = new int[nodes.size() + 1];
            d.partitions().forEach(p -> {
                if (p.leader() != null) {
                    led[p.leader().id()]++;
                }
            });
            int best = 1;
            for (int i = 1; i < led.length; i++) {
                if (led[i] > led[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    /** Stops every node politely (SIGTERM: controlled shutdown), the last one started first. */
    @Override
    public void close() throws InterruptedException {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop(60);
        }
    }

    /** A free loopback port not already in {@code taken} (the OS may hand the same one out twice in a row). */
    private static int freePort(java.util.Set<Integer> taken) {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedKafka.HOST))) {
                if (taken.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on " + EmbeddedKafka.HOST, e);
            }
        }
    }
}
