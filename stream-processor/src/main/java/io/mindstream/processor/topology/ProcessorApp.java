package io.mindstream.processor.topology;

/** The processor's name in Kafka: its application id (consumer group and changelog prefix). */
public final class ProcessorApp {

    public static final String DEFAULT_APPLICATION_ID = "mindstream-processor";

    private ProcessorApp() {
    }
}
