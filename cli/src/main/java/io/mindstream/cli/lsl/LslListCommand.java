package io.mindstream.cli.lsl;

import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mindstream lsl list}: every stream that answers within the wait time. */
@Command(name = "list", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "List the LSL streams visible from this machine.")
public final class LslListCommand implements Callable<Integer> {
    @Mixin
    LslOptions lsl;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "1.0", description = "How long to listen for replies.")
    double wait;

    @Option(names = "--predicate", paramLabel = "XPATH",
            description = "Only streams matching this XPath 1.0 predicate, e.g. \"type='EEG' and channel_count>8\".")
    String predicate;

    @Override
    public Integer call() {
        if (wait <= 0) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--wait must be > 0");
        Resolver r = new Resolver(lsl.load(spec));
        List<StreamInfo> found = predicate == null ? r.all(wait) : r.byPredicate(predicate, Integer.MAX_VALUE, wait);
        found.sort(Comparator.comparing(StreamInfo::name).thenComparing(StreamInfo::uid));
        System.out.printf("%-28s %-12s %5s %-9s %10s  %-22s %-18s %s%n", "NAME", "TYPE", "CH", "FORMAT", "RATE(Hz)",
                "HOST", "ADDRESS", "SOURCE_ID");
        for (StreamInfo si : found) {
            System.out.printf("%-28s %-12s %5d %-9s %10s  %-22s %-18s %s%n", si.name(), si.type(), si.channelCount(),
                    si.channelFormat().lslName(), si.nominalSrate() == 0 ? "irregular" : String.valueOf(si.nominalSrate()),
                    si.hostname(), si.v4address() + ":" + si.v4dataPort(), si.sourceId());
        }
        System.out.println(found.size() + " stream(s) found in " + wait + " s");
        return 0;
    }
}
