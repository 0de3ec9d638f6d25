package io.mindstream.cli.lsl;

import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mindstream lsl info NAME}: the full stream-info document (desc included) fetched from the outlet. */
@Command(name = "info", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Print the full info document (with the desc tree: channel labels, units, ...) of one stream.")
public final class LslInfoCommand implements Callable<Integer> {
    @Mixin
    LslOptions lsl;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Stream name.")
    String name;

    @Option(names = "--predicate", paramLabel = "XPATH", description = "Select the stream by an XPath predicate instead of a name.")
    String predicate;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5", description = "How long to look for the stream.")
    double timeout;

    @Override
    public Integer call() throws Exception {
        if (name == null && predicate == null)
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a stream NAME or --predicate");
        LslConfig cfg = lsl.load(spec);
        StreamInfo si = Streams.find(cfg, name, predicate, timeout);
        if (si == null) return 1;
        try (StreamInlet in = new StreamInlet(si, 1, 0, false, EnumSet.noneOf(io.mindstream.lsl4j.ProcessingFlag.class), cfg)) {
            StreamInfo full = in.info(timeout);
            System.out.print(full.toXml());
            System.out.println("<!-- outlet at " + si.v4address() + ":" + si.v4dataPort() + " (service port "
                    + si.v4servicePort() + ") -->");
        }
        return 0;
    }
}
