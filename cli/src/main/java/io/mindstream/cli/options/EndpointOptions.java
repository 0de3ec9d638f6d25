package io.mindstream.cli.options;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.mindstream.runtime.Stage;
import io.mindstream.runtime.http.StageEndpoint;
import io.mindstream.runtime.metrics.StageMetrics;
import picocli.CommandLine.Option;

/**
 * The stage's HTTP endpoint — {@code GET /health} for probes, {@code GET /metrics} for Prometheus — shared by the
 * long-running commands (a picocli mixin). Off unless a port is given: on one machine nobody probes or scrapes, and
 * a port nobody asked for is one more thing to collide.
 */
public final class EndpointOptions {

    @Option(names = {"--endpoint-port", "--metrics-port"}, paramLabel = "PORT",
            converter = OptionConverters.Port.class,
            description = "Serve GET /health (200 while up, 503 while starting or down; JSON) and GET /metrics "
                    + "(Prometheus text format: the stage's counters and latencies, Kafka client, JVM and GC) on this "
                    + "port; 0 = off (default).")
    int port;

    @Option(names = "--endpoint-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the endpoint listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
    String host;

    /**
     * The endpoint serving {@code stage}'s health and metrics (its own meters when it is a {@link MeterBinder}), or
     * null when it is off. Call after the stage started: some meters (Kafka's) exist only then.
     */
    public StageEndpoint open(String name, Stage stage) {
        if (port == 0) {
            return null;
        }
        StageMetrics metrics = new StageMetrics(name);
        if (stage instanceof MeterBinder binder) {
            metrics.bind(binder);
        }
        return StageEndpoint.open(host, port, name, stage::health, metrics);
    }
}
