package io.mindstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
                io.mindstream.cli.dataset.DatasetExportCommand.Parent.class,
                io.mindstream.decoder.CalibrateCommand.class,
                io.mindstream.decoder.EvaluateCommand.class,
                io.mindstream.decoder.DecodeCommand.class,
                io.mindstream.decoder.BankCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Mindstream implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
        return cl;
    }
}
