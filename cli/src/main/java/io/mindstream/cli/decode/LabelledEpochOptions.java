package io.mindstream.cli.decode;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.contracts.Epoch;
import io.mindstream.contracts.Topics;
import io.mindstream.decoder.KafkaEpochReader;
import io.mindstream.kafka.KafkaTarget;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code calibrate} and {@code evaluate} take labelled epochs from: a dataset export, or a recorded session's
 * epochs on Kafka with a bank (a picocli mixin).
 */
public final class LabelledEpochOptions {

    @Option(names = "--dataset", paramLabel = "DIR", description = "read labelled epochs from a dataset export "
            + "(./mindstream dataset export)")
    Path dataset;

    @Option(names = "--session", description = "instead of a dataset: this recorded session's epochs on Kafka (what "
            + "the live pipeline cut), with --bank")
    String session;

    @Option(names = "--topic", description = "with --session: epochs, or windows (fMRI)")
    String topic = Topics.EPOCHS;

    @Option(names = "--bank", paramLabel = "DIR", description = "the embedding bank (with --session; with --dataset "
            + "the dataset's own unless given)")
    Path bankDir;

    /** What is wrong with the choice (a usage error), or null. */
    String problem() {
        if ((dataset == null) == (session == null)) {
            return "give either --dataset DIR or --session S (a recorded session on Kafka)";
        }
        if (session != null && bankDir == null) {
            return "--bank DIR is needed with --session";
        }
        return null;
    }

    /** The session's epochs, read from the cluster {@code kafka} names. */
    List<Epoch> readSession(BrokerOptions kafka) {
        try (KafkaTarget target = kafka.open()) {
            System.out.println("reading " + topic + " of session " + session + " from " + target.describe());
            return KafkaEpochReader.readSession(target.bootstrapServers(), topic, session);
        }
    }
}
