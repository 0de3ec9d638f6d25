package io.mindstream.cli.lsl;

import io.mindstream.lsl4j.LslConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every {@code lsl} subcommand shares: which lsl_api.cfg to use and extra peers to scan. */
public final class LslOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "lsl_api.cfg to use (default: liblsl's search: $LSLAPICFG, ./lsl_api.cfg, ~/lsl_api/lsl_api.cfg, /etc/lsl_api/lsl_api.cfg).")
    Path config;

    @Option(names = "--known-peers", split = ",", paramLabel = "HOST",
            description = "Hosts to scan by unicast on the port range, e.g. 127.0.0.1 (overrides [lab] KnownPeers). "
                    + "Needed to see several outlets of one host without multicast.")
    List<String> knownPeers;

    @Option(names = "--session-id", paramLabel = "ID", description = "Session id to publish and filter on (overrides [lab] SessionID).")
    String sessionId;

    /** The config to use; a bad --config file is a usage error naming the file and the problem. */
    LslConfig load(picocli.CommandLine.Model.CommandSpec spec) {
        LslConfig cfg;
        try {
            cfg = config == null ? LslConfig.load() : LslConfig.fromFile(config);
        } catch (IOException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--config: cannot read " + config + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--config: " + e.getMessage());
        }
        if (knownPeers != null && !knownPeers.isEmpty()) cfg = cfg.with("lab.KnownPeers", "{" + String.join(",", knownPeers) + "}");
        if (sessionId != null) cfg = cfg.with("lab.SessionID", sessionId);
        return cfg;
    }
}
