package io.mindstream.ingest.archfixture;

import io.mindstream.cli.options.BrokerOptions;
import io.mindstream.kafka.EmbeddedKafka;

/**
 * A deliberate violation for {@code ModuleGraphTest}: a class in a stage's package that imports the CLI and the
 * broker. Test code only, never scanned with the main classes; it proves the rules catch what they are for.
 */
public final class ReachesIntoTheCli {

    private ReachesIntoTheCli() {
    }

    public static String bootstrap() {
        return BrokerOptions.of(null, null, false).bootstrapServersOption() + EmbeddedKafka.class.getName();
    }
}
