package io.mindstream.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mindstream.cli.Mindstream;
import io.mindstream.contracts.Topics;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment manifests under deploy/ cannot run here (no container engine, no Kubernetes), so they are checked
 * the ways that do run: each file is well-formed YAML of the expected kinds; every mindstream command line in them
 * parses with the real CLI (an option renamed in the code breaks this test, not a cluster at 3 a.m.); probes ask the
 * port the stage was told to serve its health on; the Kafka cluster is replicated as docs/deploy.md says; and the
 * topics are exactly the pipeline's, co-partitioned.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> documents(String file) throws IOException {
        Path p = DEPLOY.resolve(file);
        assertTrue(Files.isRegularFile(p), p + " exists");
        List<JsonNode> docs = new ArrayList<>();
        // SnakeYAML resolves anchors and merge keys (<<: *stage) the way docker compose and kubectl read them
        try (var reader = Files.newBufferedReader(p)) {
            for (Object doc : new Yaml().loadAll(reader)) {
                if (doc != null) {
                    docs.add(JSON.valueToTree(doc));
                }
            }
        }
        return docs;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The command line parses with the real CLI; returns the matched subcommand's parse result. */
    private static CommandLine.ParseResult parses(List<String> args, String where) {
        CommandLine cl = Mindstream.newCommandLine();
        try {
            CommandLine.ParseResult r = cl.parseArgs(args.toArray(String[]::new));
            assertTrue(r.hasSubcommand(), where + ": names a mindstream command: " + args);
            return r.subcommand();
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(where + ": `mindstream " + String.join(" ", args) + "` does not parse: "
                    + e.getMessage(), e);
        }
    }

    private static String option(CommandLine.ParseResult r, String name) {
        return r.hasMatchedOption(name) ? r.matchedOption(name).stringValues().get(0) : null;
    }

    @Test
    void kubernetesStagesParseAndTheirProbesAskTheirEndpoint() throws IOException {
        Map<String, JsonNode> workloads = new TreeMap<>();
        for (JsonNode d : documents("k8s/mindstream.yaml")) {
            String kind = d.path("kind").asText();
            if (kind.equals("StatefulSet") || kind.equals("Deployment")) {
                workloads.put(d.path("metadata").path("name").asText(), d);
            }
        }
        assertEquals(Set.of("process", "decode", "display"), workloads.keySet());
        for (var e : workloads.entrySet()) {
            JsonNode pod = e.getValue().path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").get(0);
            List<String> args = strings(c.path("args"));
            CommandLine.ParseResult r = parses(args, "k8s " + e.getKey());
            assertEquals(e.getKey(), r.commandSpec().name(), "the workload runs its own command");
            assertEquals("mindstream-kafka-bootstrap:9092", option(r, "--bootstrap-servers"),
                    e.getKey() + " uses the Strimzi cluster's bootstrap service");
            String port = option(r, "--endpoint-port");
            assertNotNull(port, e.getKey() + " serves its health");
            assertEquals("0.0.0.0", option(r, "--endpoint-host"), e.getKey() + " health reachable by the kubelet");
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                JsonNode get = c.path(probe).path("httpGet");
                assertEquals("/health", get.path("path").asText(), e.getKey() + " " + probe);
                assertEquals(port, get.path("port").asText(), e.getKey() + " " + probe + " asks the endpoint port");
            }
            JsonNode annotations = e.getValue().path("spec").path("template").path("metadata").path("annotations");
            assertEquals(port, annotations.path("prometheus.io/port").asText(), e.getKey() + " scraped on its endpoint");
            assertEquals("/metrics", annotations.path("prometheus.io/path").asText());
            if (!e.getKey().equals("display")) {
                assertEquals("StatefulSet", e.getValue().path("kind").asText(),
                        e.getKey() + ": a stable pod name is its group identity");
                assertEquals("$(POD_NAME)", option(r, "--instance-id"), e.getKey() + " static membership");
                assertTrue(e.getValue().path("spec").path("replicas").asInt() >= 2, e.getKey() + " scales out");
            }
        }
        CommandLine.ParseResult process = parses(strings(workloads.get("process").path("spec").path("template")
                .path("spec").path("containers").get(0).path("args")), "k8s process");
        assertEquals("1", option(process, "--standby-replicas"), "a warm copy of each session's state");
    }

    @Test
    void strimziClusterIsReplicatedAndTheTopicsAreThePipelines() throws IOException {
        JsonNode kafka = null;
        JsonNode pool = null;
        for (JsonNode d : documents("k8s/kafka.yaml")) {
            switch (d.path("kind").asText()) {
                case "Kafka" -> kafka = d;
                case "KafkaNodePool" -> pool = d;
                default -> throw new AssertionError("unexpected kind in kafka.yaml: " + d.path("kind"));
            }
        }
        assertNotNull(kafka, "a Kafka resource");
        assertNotNull(pool, "a KafkaNodePool");
        assertEquals("mindstream", kafka.path("metadata").path("name").asText(), "bootstrap mindstream-kafka-bootstrap");
        assertEquals(9092, kafka.path("spec").path("kafka").path("listeners").get(0).path("port").asInt());
        assertEquals(3, pool.path("spec").path("replicas").asInt(), "three nodes");
        JsonNode cfg = kafka.path("spec").path("kafka").path("config");
        assertEquals(3, cfg.path("default.replication.factor").asInt());
        assertEquals(2, cfg.path("min.insync.replicas").asInt());
        assertFalse(cfg.path("unclean.leader.election.enable").asBoolean(true), "no unclean leader");
        assertFalse(cfg.path("auto.create.topics.enable").asBoolean(true), "topics only as declared");

        Set<String> names = new TreeSet<>();
        Set<Integer> partitions = new HashSet<>();
        for (JsonNode t : documents("k8s/topics.yaml")) {
            assertEquals("KafkaTopic", t.path("kind").asText());
            assertEquals("mindstream", t.path("metadata").path("labels").path("strimzi.io/cluster").asText());
            names.add(t.path("spec").path("topicName").asText());
            partitions.add(t.path("spec").path("partitions").asInt());
            assertEquals(3, t.path("spec").path("replicas").asInt(), t + " replicated");
            assertEquals(2, t.path("spec").path("config").path("min.insync.replicas").asInt());
        }
        assertEquals(new TreeSet<>(Topics.defaults().stream().map(Topics.Spec::name).toList()), names,
                "exactly the pipeline's topics");
        assertEquals(1, partitions.size(), "co-partitioned: every topic has the same partition count");
    }

    @Test
    void composeClusterAndStagesAgree() throws IOException {
        JsonNode services = documents("compose/compose.yaml").get(0).path("services");
        List<String> bootstrap = new ArrayList<>();
        Set<String> voters = new TreeSet<>();
        Set<String> clusterIds = new HashSet<>();
        Set<String> controllerAddresses = new TreeSet<>();
        Set<String> stages = new TreeSet<>();
        for (var it = services.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode s = e.getValue();
            List<String> args = strings(s.path("command"));
            CommandLine.ParseResult r = parses(args, "compose " + e.getKey());
            assertEquals("host", s.path("network_mode").asText(), e.getKey() + " on the host network (LSL, loopback)");
            String command = r.commandSpec().name();
            if (command.equals("kafka")) {
                String node = option(r, "--node");
                bootstrap.add("127.0.0.1:" + option(r, "--port"));
                voters.add(option(r, "--voters"));
                clusterIds.add(option(r, "--cluster-id"));
                controllerAddresses.add(node + "@127.0.0.1:" + option(r, "--controller-port"));
                assertEquals("3", option(r, "--cluster-size"));
            } else {
                stages.add(command);
                String port = option(r, "--endpoint-port");
                if (!command.equals("topics")) {
                    assertNotNull(port, e.getKey() + " serves its health");
                    assertTrue(s.path("healthcheck").path("test").toString().contains("127.0.0.1:" + port + "/health"),
                            e.getKey() + "'s healthcheck asks its endpoint port " + port);
                }
            }
            assertEquals("127.0.0.1:19092,127.0.0.1:19094,127.0.0.1:19096",
                    s.path("environment").path("MINDSTREAM_BOOTSTRAP_SERVERS").asText(), e.getKey());
        }
        assertEquals(List.of("127.0.0.1:19092", "127.0.0.1:19094", "127.0.0.1:19096"), bootstrap,
                "the stages' bootstrap list is the nodes' ports");
        assertEquals(1, voters.size(), "every node has the same voters");
        assertEquals(String.join(",", controllerAddresses), voters.iterator().next(),
                "the voters are the nodes' controller addresses");
        assertEquals(1, clusterIds.size(), "one cluster id");
        Uuid.fromString(clusterIds.iterator().next()); // a valid Kafka cluster id, or this throws
        assertEquals(Set.of("topics", "ingest", "process", "decode", "display"), stages);
    }
}
