package io.mindstream.cli.ingest;

import io.mindstream.ingest.record.RecorderConfig;
import io.mindstream.ingest.record.XdfRecorder;
import io.mindstream.lsl4j.Resolver;
import io.mindstream.lsl4j.StreamInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code ./mindstream record}: LSL streams into an XDF file, as LabRecorder records them, kill-safe. */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Records LSL streams into an XDF file as LabRecorder does: each stream's full XML, every sample "
                + "with its timestamp as sent, clock offsets every 5 s, boundary chunks every 10 s, and a footer per "
                + "stream when recording stops (Ctrl-C, SIGTERM or --duration).",
                "Each pull is written at once: the file grows while recording, and a recorder killed outright "
                        + "(SIGKILL, a crash) leaves a file that reads up to its last chunk."})
public final class RecordCommand implements Callable<Integer> {

    private static final RecorderConfig DEFAULTS = RecorderConfig.defaults();

    @Option(names = "--out", required = true, paramLabel = "FILE.xdf", description = "The XDF file to write.")
    Path out;

    @Option(names = "--stream", paramLabel = "NAME", split = ",", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Record the streams with this name or source_id (repeatable; default: every stream found).")
    List<String> names = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", split = ",", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Record the streams of this LSL type (repeatable), e.g. MEG,Markers.")
    List<String> types = new ArrayList<>();

    @Option(names = "--resolve", paramLabel = "SECONDS", defaultValue = "2",
            description = "How long to look for streams before recording starts.")
    double resolveSeconds;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after this long (0 = until Ctrl-C or SIGTERM).")
    double durationSeconds;

    @Option(names = "--clock-offset-interval", paramLabel = "SECONDS",
            description = "How often each stream's clock offset is measured and written.")
    double clockOffsetInterval = DEFAULTS.clockOffsetIntervalSeconds();

    @Option(names = "--boundary-interval", paramLabel = "SECONDS", description = "How often a boundary chunk is written.")
    double boundaryInterval = DEFAULTS.boundaryIntervalSeconds();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<StreamInfo> found = Resolver.resolveStreams(resolveSeconds);
        Map<String, StreamInfo> chosen = new LinkedHashMap<>();
        for (StreamInfo s : found) {
            boolean byName = names.isEmpty() || names.contains(s.name()) || names.contains(s.sourceId());
            boolean byType = types.isEmpty() || types.contains(s.type());
            if (byName && byType) {
                chosen.putIfAbsent(s.uid(), s);
            }
        }
        for (String n : names) {
            if (chosen.values().stream().noneMatch(s -> s.name().equals(n) || s.sourceId().equals(n))) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no LSL stream named '" + n + "' found in "
                        + resolveSeconds + " s (seen: " + found.stream().map(StreamInfo::name).toList() + ")");
            }
        }
        if (chosen.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no LSL stream to record found in "
                    + resolveSeconds + " s" + (types.isEmpty() ? "" : " of type " + types));
        }
        RecorderConfig cfg = new RecorderConfig(clockOffsetInterval, boundaryInterval, DEFAULTS.maxBufferedSeconds(),
                DEFAULTS.openTimeoutSeconds(), DEFAULTS.pullTimeoutSeconds());
        XdfRecorder recorder = new XdfRecorder(out, List.copyOf(chosen.values()), cfg).start();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    recorder.close();
                    System.out.println("record: wrote " + out + " (" + String.join(", ", recorder.progress()) + ")");
                } catch (Exception e) {
                    System.err.println("record: closing " + out + " failed: " + e.getMessage());
                }
            }
        };
        Thread hook = new Thread(stop, "record-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("record: recording " + chosen.size() + " streams into " + out
                + (durationSeconds > 0 ? " for " + durationSeconds + " s" : " until Ctrl-C"));
        long end = durationSeconds > 0 ? System.nanoTime() + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
        long report = System.nanoTime();
        while (System.nanoTime() < end && recorder.failure() == null) {
            Thread.sleep(100);
            if (System.nanoTime() - report > 5_000_000_000L) {
                report = System.nanoTime();
                System.out.println("record: " + String.join(", ", recorder.progress()));
            }
        }
        stop.run();
        Runtime.getRuntime().removeShutdownHook(hook);
        if (recorder.failure() != null) {
            System.err.println("record: " + recorder.failure().getMessage());
            return 1;
        }
        return 0;
    }
}
