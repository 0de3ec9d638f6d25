package io.mindstream.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The one entry point behind {@code ./mindstream}. Every stage contributes its subcommands here; each subcommand
 * has {@code --help}, and bad options print one line plus usage and exit with code 2 (picocli's default).
 */
@Command(name = "mindstream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Real-time streaming decoding of MEG and fMRI: LSL → journal → Kafka → epochs → decoder → browser.",
        subcommands = {
                VersionCommand.class,
                KafkaCommand.class,
                TopicsCommand.class,
                io.mindstream.cli.simulate.SimulateCommand.class,
                io.mindstream.cli.process.ProcessCommand.class,
                io.mindstream.cli.process.EpochsCommand.class,
                io.mindstream.cli.lsl.LslCommand.class,
                io.mindstream.cli.ingest.IngestCommand.class,
                io.mindstream.cli.ingest.ReplayCommand.class,
                io.mindstream.cli.ingest.RecordCommand.class,
                io.mindstream.cli.ingest.ExportCommand.class,
                io.mindstream.cli.display.DisplayCommand.class,
                io.mindstream.cli.demo.DemoCommand.class,
                io.mindstream.cli.drill.DrillCommand.class,
                io.mindstream.cli.dataset.DatasetExportCommand.Parent.class,
                io.mindstream.cli.decode.CalibrateCommand.class,
                io.mindstream.cli.decode.EvaluateCommand.class,
                io.mindstream.cli.decode.DecodeCommand.class,
                io.mindstream.cli.decode.BankCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Mindstream implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Exceptions whose message is written for the user: they need no stack trace. */
    private static boolean expected(Exception ex) {
        return ex instanceof io.mindstream.kafka.EmbeddedKafkaException
                || ex instanceof io.mindstream.runtime.kafka.KafkaAdminException
                || ex instanceof IllegalArgumentException
                || ex instanceof java.io.UncheckedIOException
                || ex instanceof java.io.IOException;
    }

    /** The exception's message followed by its causes' messages, without repeats. */
    static String messageChain(Throwable ex) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
        }
        return sb.length() == 0 ? ex.getClass().getName() : sb.toString();
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests drive it directly. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Mindstream());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // One line of error, then the usage: the behaviour every subcommand shares (exit code 2 on bad input).
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.usage(c.getErr());
            return 2;
        });
        // A failure while running (port in use, cluster unreachable, bad file): one line naming the problem, exit 1.
        // Unexpected exceptions (bugs) and MINDSTREAM_DEBUG=1 also get the stack trace.
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("error: " + messageChain(ex));
            if (!expected(ex) || System.getenv("MINDSTREAM_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            c.getErr().flush();
            return 1;
        });
        return cl;
    }
}
