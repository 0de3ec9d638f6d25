package io.mindstream.cli.lsl;

import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LostStreamException;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.LslConfig;
import io.mindstream.lsl4j.ProcessingFlag;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamInlet;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mindstream lsl receive NAME}: print or count samples; report rate, drops and time correction every second. */
@Command(name = "receive", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Receive one LSL stream: print its samples (or only count them) and report rate, drops and "
                + "time correction every second.")
public final class LslReceiveCommand implements Callable<Integer> {
    @Mixin
    LslOptions lsl;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Stream name.")
    String name;

    @Option(names = "--predicate", paramLabel = "XPATH", description = "Select the stream by an XPath predicate instead of a name.")
    String predicate;

    @Option(names = "--count", description = "Only count samples (no per-sample output).")
    boolean countOnly;

    @Option(names = "--duration", defaultValue = "0", description = "Seconds to receive (0 = until interrupted or lost).")
    double duration;

    @Option(names = "--max-samples", defaultValue = "0", description = "Stop after this many samples (0 = no limit).")
    long maxSamples;

    @Option(names = "--timeout", defaultValue = "5", description = "Seconds to look for the stream.")
    double timeout;

    @Option(names = "--flags", split = ",", paramLabel = "FLAG",
            description = "Timestamp post-processing: ${COMPLETION-CANDIDATES}.")
    List<ProcessingFlag> flags;

    @Option(names = "--no-recover", description = "Fail when the outlet goes away instead of waiting for it to restart.")
    boolean noRecover;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (name == null && predicate == null) throw new CommandLine.ParameterException(cl, "give a stream NAME or --predicate");
        if (duration < 0 || maxSamples < 0) throw new CommandLine.ParameterException(cl, "--duration and --max-samples must be >= 0");
        LslConfig cfg = lsl.load(spec);
        StreamInfo si = Streams.find(cfg, name, predicate, timeout);
        if (si == null) return 1;
        Set<ProcessingFlag> pf = flags == null ? EnumSet.noneOf(ProcessingFlag.class) : EnumSet.copyOf(flags);
        int ch = si.channelCount();
        int chunk = 64;
        double[] ts = new double[chunk];
        double[] values = new double[chunk * ch];
        String[] text = new String[chunk * ch];
        boolean strings = si.channelFormat() == ChannelFormat.STRING;
        System.out.printf("receiving '%s' (%s, %d ch %s @ %s Hz) from %s:%d uid %s%n", si.name(), si.type(), ch,
                si.channelFormat().lslName(), si.nominalSrate() == 0 ? "irregular" : si.nominalSrate(), si.v4address(),
                si.v4dataPort(), si.uid());
        long total = 0;
        long sinceReport = 0;
        try (StreamInlet in = new StreamInlet(si, 360, 0, !noRecover, pf, cfg)) {
            in.open(timeout);
            double start = LslClock.localClock();
            double lastReport = start;
            while ((duration == 0 || LslClock.localClock() - start < duration) && (maxSamples == 0 || total < maxSamples)) {
                int n;
                if (maxSamples > 0 && maxSamples - total < ts.length) {
                    // the last pull asks for exactly what is left of --max-samples
                    ts = new double[(int) (maxSamples - total)];
                }
                try {
                    n = strings ? in.pullChunk(text, ts, 0.2) : in.pullChunk(values, ts, 0.2);
                } catch (LostStreamException e) {
                    System.err.println("error: " + e.getMessage());
                    summary(total, start);
                    return 1;
                }
                for (int s = 0; s < n && !countOnly; s++) {
                    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.6f", ts[s]));
                    for (int k = 0; k < ch; k++) sb.append('\t').append(strings ? text[s * ch + k] : fmt(values[s * ch + k]));
                    System.out.println(sb);
                }
                total += n;
                sinceReport += n;
                double now = LslClock.localClock();
                if (now - lastReport >= 1.0) {
                    String tc;
                    try {
                        tc = String.format(Locale.ROOT, "%+.6f s (±%.6f)", in.timeCorrection(0.0), in.timeCorrectionUncertainty());
                    } catch (TimeoutException e) {
                        tc = "pending";
                    }
                    System.err.printf(Locale.ROOT, "%8.1f s  %d samples (%.1f/s), dropped %d, time correction %s%s%n",
                            now - start, total, sinceReport / (now - lastReport), in.droppedSamples(), tc,
                            in.isConnected() ? "" : ", reconnecting");
                    sinceReport = 0;
                    lastReport = now;
                }
            }
            summary(total, start);
        }
        return 0;
    }

    private static void summary(long total, double start) {
        double secs = LslClock.localClock() - start;
        System.err.printf(Locale.ROOT, "received %d samples in %.1f s (%.1f/s)%n", total, secs, total / Math.max(secs, 1e-9));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
