package io.mindstream.cli.lsl;

import io.mindstream.lsl4j.ChannelFormat;
import io.mindstream.lsl4j.LslClock;
import io.mindstream.lsl4j.StreamInfo;
import io.mindstream.lsl4j.StreamOutlet;
import io.mindstream.lsl4j.XmlElement;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mindstream lsl send}: a synthetic outlet, paced at its nominal rate. Numeric channels carry sine waves
 * (channel k at 1 + k Hz); string streams send {@code marker <n>} once per sample period (1 s when irregular).
 */
@Command(name = "send", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Publish a synthetic LSL stream (sine waves, or numbered markers for string streams).")
public final class LslSendCommand implements Callable<Integer> {
    @Mixin
    LslOptions lsl;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", defaultValue = "MindstreamTest", description = "Stream name.")
    String name;

    @Option(names = "--type", defaultValue = "EEG", description = "Stream content type (e.g. EEG, MEG, Markers).")
    String type;

    @Option(names = "--channels", defaultValue = "8", description = "Channels per sample.")
    int channels;

    @Option(names = "--rate", defaultValue = "100", description = "Nominal rate in Hz (0 = irregular: one sample per second).")
    double rate;

    @Option(names = "--format", defaultValue = "float32",
            description = "Channel format: float32, double64, string, int8, int16, int32, int64.")
    String format;

    @Option(names = "--chunk-size", defaultValue = "1", description = "Samples per push (1 = push single samples).")
    int chunkSize;

    @Option(names = "--source-id", description = "Source id (default: <name>-<type>), lets inlets recover after a restart.")
    String sourceId;

    @Option(names = "--duration", defaultValue = "0", description = "Seconds to run (0 = until interrupted).")
    double duration;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        ChannelFormat f;
        try {
            f = ChannelFormat.fromLslName(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--format: " + e.getMessage());
        }
        if (channels < 1) throw new CommandLine.ParameterException(cl, "--channels must be >= 1");
        if (rate < 0) throw new CommandLine.ParameterException(cl, "--rate must be >= 0");
        if (chunkSize < 1) throw new CommandLine.ParameterException(cl, "--chunk-size must be >= 1");
        if (duration < 0) throw new CommandLine.ParameterException(cl, "--duration must be >= 0");
        StreamInfo info = new StreamInfo(name, type, channels, rate, f, sourceId != null ? sourceId : name + "-" + type);
        XmlElement chans = info.desc().appendChild("channels");
        for (int k = 0; k < channels; k++) {
            chans.appendChild("channel").appendChildValue("label", "ch" + (k + 1))
                    .appendChildValue("unit", f == ChannelFormat.STRING ? "" : "au").appendChildValue("type", type);
        }
        info.desc().appendChildValue("manufacturer", "mindstream lsl send");
        double period = rate > 0 ? 1.0 / rate : 1.0;
        try (StreamOutlet out = new StreamOutlet(info, chunkSize, 360, lsl.load(spec))) {
            System.out.printf("sending '%s' (%s, %d ch %s @ %s Hz, chunks of %d) uid %s on TCP %d / UDP %d — Ctrl-C to stop%n",
                    name, type, channels, f.lslName(), rate == 0 ? "irregular" : rate, chunkSize, out.info().uid(),
                    out.info().v4dataPort(), out.info().v4servicePort());
            double[] values = new double[channels * chunkSize];
            String[] text = new String[channels * chunkSize];
            double start = LslClock.localClock();
            long sent = 0;
            double nextReport = start + 1;
            while (duration == 0 || LslClock.localClock() - start < duration) {
                double due = start + (sent + chunkSize) * period;
                double now = LslClock.localClock();
                if (due > now) Thread.sleep(Math.max(0, (long) ((due - now) * 1000)));
                for (int s = 0; s < chunkSize; s++) {
                    double t = (sent + s) * period;
                    for (int k = 0; k < channels; k++) {
                        values[s * channels + k] = f == ChannelFormat.FLOAT32 || f == ChannelFormat.DOUBLE64
                                ? Math.sin(2 * Math.PI * (1 + k) * t) : Math.round(100 * Math.sin(2 * Math.PI * (1 + k) * t));
                        text[s * channels + k] = "marker " + (sent + s) + (channels > 1 ? " ch" + (k + 1) : "");
                    }
                }
                double stamp = due; // the scheduled time of the chunk's last sample: no pacing jitter
                if (f == ChannelFormat.STRING) {
                    if (chunkSize == 1) out.pushSample(text, stamp);
                    else out.pushChunk(text, stamp);
                } else if (chunkSize == 1) {
                    out.pushSample(values, stamp);
                } else {
                    out.pushChunk(values, stamp);
                }
                sent += chunkSize;
                if (LslClock.localClock() >= nextReport) {
                    System.out.printf("%8.1f s  %d samples sent, consumers: %s, dropped for slow consumers: %d%n",
                            LslClock.localClock() - start, sent, out.haveConsumers() ? "yes" : "none", out.droppedSamples());
                    nextReport += 1;
                }
            }
            System.out.println("done: " + sent + " samples sent");
        }
        return 0;
    }
}
