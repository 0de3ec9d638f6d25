package io.mindstream.cli.options;

import io.mindstream.runtime.Stage;
import io.mindstream.runtime.http.StageEndpoint;
import picocli.CommandLine.Option;

/**
 * The stage's HTTP endpoint ({@code GET /health}), shared by the long-running commands (a picocli mixin). Off unless
 * a port is given: on one machine nobody probes, and a port nobody asked for is one more thing to collide.
 */
public final class EndpointOptions {

    @Option(names = "--endpoint-port", paramLabel = "PORT", converter = OptionConverters.Port.class,
            description = "Serve GET /health (200 while up, 503 while starting or down; JSON) on this port, for "
                    + "probes (Kubernetes, systemd, load balancers); 0 = off (default).")
    int port;

    @Option(names = "--endpoint-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the endpoint listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
    String host;

    /** The endpoint serving {@code stage}'s health, or null when it is off. */
    public StageEndpoint open(String name, Stage stage) {
        return port == 0 ? null : StageEndpoint.open(host, port, name, stage::health);
    }
}
