package io.mindstream.cli;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.contracts.Topics;
import io.mindstream.kafka.KafkaTarget;
import io.mindstream.runtime.Durations;
import io.mindstream.runtime.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code mindstream topics}: what the cluster holds, per pipeline topic. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {
                "List the pipeline's Kafka topics with their partitions, retention, end offsets and record counts, "
                        + "on --bootstrap-servers or the running embedded broker (it starts none, and creates the "
                        + "pipeline topics only with --create-topics).",
                "RECORDS is the sum over partitions of end minus beginning offset: the records currently retained "
                        + "(transaction markers, if any producer used transactions, count too)."
        })
public final class TopicsCommand implements Callable<Integer> {

    @Mixin
    BrokerOptions kafka;

    @Option(names = "--all", description = "Also list every other non-internal topic on the cluster.")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaTarget target = kafka.openExisting(); Admin admin = TopicAdmin.connect(target.bootstrapServers())) {
            TopicAdmin topics = new TopicAdmin(admin);
            List<String> names = new ArrayList<>(Topics.defaults().stream().map(Topics.Spec::name).toList());
            if (all) {
                Set<String> others = new TreeSet<>(topics.listTopics());
                others.removeAll(names);
                names.addAll(others);
            }
            List<TopicAdmin.TopicStats> stats = topics.describe(names);
            out.println("Kafka: " + target.describe());
            printTable(out, stats);
            out.flush();
        }
        return 0;
    }

    static void printTable(PrintWriter out, List<TopicAdmin.TopicStats> stats) {
        int w = Math.max("TOPIC".length(), stats.stream().mapToInt(s -> s.name().length()).max().orElse(0));
        String fmt = "%-" + w + "s  %10s  %9s  %12s  %s%n";
        out.printf(fmt, "TOPIC", "PARTITIONS", "RETENTION", "RECORDS", "END OFFSETS (per partition)");
        long total = 0;
        for (TopicAdmin.TopicStats s : stats) {
            if (!s.exists()) {
                out.printf("%-" + w + "s  %10s%n", s.name(), "missing");
                continue;
            }
            total += s.records();
            out.printf(fmt, s.name(), s.partitions().size(),
                    s.retention().map(Durations::format).orElse("forever"), s.records(),
                    s.partitions().stream().map(p -> Long.toString(p.end())).collect(Collectors.joining(",")));
        }
        out.printf("%-" + w + "s  %10s  %9s  %12d%n", "total", "", "", total);
    }
}
