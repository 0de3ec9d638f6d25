package io.mindstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mindstream version}: the build's version and the versions of the stack it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print mindstream's version and the versions of Java, Kafka and the other libraries it uses.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    /** Versions come from the jars' manifests where they have one, so they never drift from the pom. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{
                    "mindstream " + orUnknown(Mindstream.class.getPackage().getImplementationVersion()),
                    "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                    "kafka-clients " + kafkaVersion(),
            };
        }

        /** Kafka writes its version into a resource of the clients jar; reading it avoids Kafka's internal classes. */
        private static String kafkaVersion() {
            try (var in = org.apache.kafka.clients.producer.KafkaProducer.class
                    .getResourceAsStream("/kafka/kafka-version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }

        private static String orUnknown(String v) {
            return v == null ? "dev" : v;
        }
    }
}
